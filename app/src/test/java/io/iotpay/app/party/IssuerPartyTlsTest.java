package io.iotpay.app.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.console.ConsoleCookieChecks;
import io.iotpay.console.ConsoleTestClient;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.TlsIdentity;
import io.iotpay.foundation.crypto.TlsTestFiles;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The issuer process's HTTP listener over TLS ({@code --tls-cert/--tls-key}), on a real issuer behind a
 * switch and an acquirer ({@link IssuerConsoleFixture}), with a certificate made by {@code openssl req
 * -x509} (BouncyCastle where openssl is missing): a client trusting it gets the metrics, {@code
 * /openapi.json} and the console, whose session cookie is {@code Secure; HttpOnly; SameSite=Strict}, and
 * the audit verify form works; plain HTTP to the port gets no HTTP answer and a client that does not
 * trust the certificate fails its handshake. The issuer runs in both suites, behind an EC key for one
 * and an RSA key for the other (the JDK's TLS has no SM2).
 */
class IssuerPartyTlsTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void theHttpListener_overTls_answersATrustingClient_setsSecureCookies_andRefusesPlainHttp(AlgorithmSuite suite) throws Exception {
    TlsTestFiles files = TlsTestFiles.make(dir, "issuer",
        suite == AlgorithmSuite.INTERNATIONAL ? TlsTestFiles.KeyKind.EC_P256 : TlsTestFiles.KeyKind.RSA_2048);
    TlsIdentity identity = TlsIdentity.readPem(files.certificate(), files.key(), Instant.now());
    SSLContext trusting = files.trustingOnlyThis();
    try (IssuerConsoleFixture f = IssuerConsoleFixture.start(dir, suite, identity)) {
      assertThat(f.pay(0, 500).approved()).isTrue();
      assertThat(f.issuer.httpTls()).isTrue();
      assertThat(f.base()).startsWith("https://");
      ConsoleTestClient browser = new ConsoleTestClient(f.base(), trusting);
      assertThat(browser.get("/metrics").body()).contains("iotpay_authorisations_total");
      assertThat(browser.get("/openapi.json").body()).contains("\"3.1.0\"");

      ConsoleCookieChecks.assertSecureSessionCookie(browser.get("/console/login").headers().allValues("Set-Cookie"));
      HttpResponse<String> login = browser.login(f.token());
      assertThat(login.statusCode()).isEqualTo(303);
      ConsoleCookieChecks.assertSecureSessionCookie(login.headers().allValues("Set-Cookie"));
      String csrf = ConsoleTestClient.csrfOf(browser.get("/console/books").body());
      HttpResponse<String> verified = browser.post("/console/books/verify", Map.of("csrf", csrf));
      assertThat(verified.statusCode()).isEqualTo(200);
      assertThat(verified.body()).contains(">VERIFIED<");
      assertThat(browser.get("/console/authorisations").body()).contains(f.cards.get(0).pan().masked());

      String plainBase = "http://127.0.0.1:" + f.issuer.metricsPort();
      assertThatThrownBy(() -> new ConsoleTestClient(plainBase).get("/metrics")).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> new ConsoleTestClient(f.base()).get("/metrics")).isInstanceOf(SSLHandshakeException.class);
    }
  }
}

package io.iotpay.switching.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.console.ConsoleCookieChecks;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.TlsIdentity;
import io.iotpay.foundation.crypto.TlsTestFiles;
import io.iotpay.switching.online.SwitchPartyFixture;
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
 * The switch process's HTTP listener over TLS, on a real switch party whose day was presented
 * ({@link SwitchPartyFixture}), with a certificate made by {@code openssl req -x509} (BouncyCastle where
 * openssl is missing): a client trusting that certificate gets the metrics, {@code /openapi.json} and the
 * settlement API's answers, the console's session cookie is {@code Secure; HttpOnly; SameSite=Strict}
 * and the close form works; plain HTTP to the port gets no HTTP answer, and a client that does not trust
 * the certificate is refused in the handshake. The TLS key is ECDSA P-256 or RSA (the JDK's TLS has no
 * SM2): the suite parameter runs the switch behind it in both suites, with an EC key for one and an RSA
 * key for the other.
 */
class SwitchPartyTlsTest {
  private static final String DAY = SwitchPartyFixture.DAY.toString();

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void theHttpListener_overTls_answersATrustingClient_setsSecureCookies_andRefusesPlainHttp(AlgorithmSuite suite) throws Exception {
    TlsTestFiles files = TlsTestFiles.make(dir, "switch",
        suite == AlgorithmSuite.INTERNATIONAL ? TlsTestFiles.KeyKind.EC_P256 : TlsTestFiles.KeyKind.RSA_2048);
    TlsIdentity identity = TlsIdentity.readPem(files.certificate(), files.key(), Instant.now());
    SSLContext trusting = files.trustingOnlyThis();
    try (SwitchPartyFixture sw = SwitchPartyFixture.start(dir, suite, identity)) {
      sw.presentDay(suite);
      assertThat(sw.party.httpTls()).isTrue();
      assertThat(sw.base()).startsWith("https://");
      String token = SwitchParty.operatorToken(sw.dataDir);
      ConsoleClient browser = new ConsoleClient(sw.base(), trusting);
      assertThat(browser.get("/metrics").statusCode()).isEqualTo(200);
      assertThat(browser.get("/openapi.json").body()).contains("\"3.1.0\"");
      assertThat(browser.apiGet(DAY, token).statusCode()).as("nothing closed yet").isEqualTo(404);

      ConsoleCookieChecks.assertSecureSessionCookie(browser.get("/console/login").headers().allValues("Set-Cookie"));
      HttpResponse<String> login = browser.login(token);
      assertThat(login.statusCode()).isEqualTo(303);
      ConsoleCookieChecks.assertSecureSessionCookie(login.headers().allValues("Set-Cookie"));
      String csrf = ConsoleClient.csrfOf(browser.get("/console/settlement").body());
      assertThat(browser.post("/console/settlement/close", Map.of("csrf", csrf, "date", DAY)).statusCode()).isEqualTo(303);
      HttpResponse<String> window = browser.apiGet(DAY, token);
      assertThat(window.statusCode()).isEqualTo(200);
      assertThat(window.body()).contains("\"netSumMinor\":0").contains("\"state\":\"SETTLED\"");

      String plainBase = "http://127.0.0.1:" + sw.party.metricsPort();
      assertThatThrownBy(() -> new ConsoleClient(plainBase).get("/metrics")).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> new ConsoleClient(sw.base()).get("/metrics")).isInstanceOf(SSLHandshakeException.class);
    }
  }
}

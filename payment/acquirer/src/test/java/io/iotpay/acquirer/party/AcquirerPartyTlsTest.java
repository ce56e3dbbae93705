package io.iotpay.acquirer.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.acquirer.pos.console.ConsoleBrowserSession;
import io.iotpay.console.ConsoleCookieChecks;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.TlsIdentity;
import io.iotpay.foundation.crypto.TlsTestFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The acquirer party's HTTP API and console over TLS, on a real {@link AcquirerParty}, with a certificate
 * made by {@code openssl req -x509} (BouncyCastle where openssl is missing): Java's HttpClient trusting
 * that certificate gets the API's answers, the console's session cookie is {@code Secure; HttpOnly;
 * SameSite=Strict}, plain HTTP to the port gets no HTTP answer, and a client that does not trust the
 * certificate is refused in the handshake. The TLS key is ECDSA P-256 or RSA (the JDK's TLS has no
 * SM2): the suite parameter runs the party behind it in both suites, with an EC key for one and an RSA
 * key for the other.
 */
class AcquirerPartyTlsTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void theRegistry_overTls_answersATrustingClient_setsSecureCookies_andRefusesPlainHttp(AlgorithmSuite suite) throws Exception {
    Path data = AcquirerDirectories.init(dir.resolve("acq"), suite);
    TlsTestFiles files = TlsTestFiles.make(dir, "acquirer",
        suite == AlgorithmSuite.INTERNATIONAL ? TlsTestFiles.KeyKind.EC_P256 : TlsTestFiles.KeyKind.RSA_2048);
    TlsIdentity identity = TlsIdentity.readPem(files.certificate(), files.key(), Instant.now());
    String operator = AcquirerParty.operatorToken(data);
    SSLContext trusting = files.trustingOnlyThis();

    try (AcquirerParty party = AcquirerParty.start(data, new AcquirerParty.Options(null, null, null, identity));
        HttpClient client = HttpClient.newBuilder().sslContext(trusting).connectTimeout(Duration.ofSeconds(10)).build()) {
      assertThat(party.registryTls()).isTrue();
      String https = "https://127.0.0.1:" + party.registryPort();
      HttpResponse<String> health = client.send(get(https + "/health", null), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
      HttpResponse<String> merchants = client.send(get(https + "/v1/pos/merchants?state=ACTIVATED", operator),
          HttpResponse.BodyHandlers.ofString());
      assertThat(merchants.statusCode()).as(merchants.body()).isEqualTo(200);
      assertThat(merchants.body()).contains("\"state\":\"ACTIVATED\"");
      assertThat(client.send(get(https + "/openapi.json", null), HttpResponse.BodyHandlers.ofString()).body()).contains("\"3.1.0\"");

      ConsoleBrowserSession browser = new ConsoleBrowserSession(https, trusting);
      ConsoleCookieChecks.assertSecureSessionCookie(browser.get("/console/login").headers().allValues("Set-Cookie"));
      HttpResponse<String> login = browser.login(operator);
      assertThat(login.statusCode()).isEqualTo(303);
      ConsoleCookieChecks.assertSecureSessionCookie(login.headers().allValues("Set-Cookie"));
      assertThat(browser.get("/console/review-queue").statusCode()).isEqualTo(200);

      try (HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
        assertThatThrownBy(() -> plain.send(get("http://127.0.0.1:" + party.registryPort() + "/health", null),
            HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> plain.send(get(https + "/health", null), HttpResponse.BodyHandlers.ofString()))
            .isInstanceOf(SSLHandshakeException.class);
      }
    }
  }

  private static HttpRequest get(String uri, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request.build();
  }
}

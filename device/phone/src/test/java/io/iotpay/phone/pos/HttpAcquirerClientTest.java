package io.iotpay.phone.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The SDK's HTTP client against a real HTTP server on loopback (the JDK's) that answers as the
 * acquirer's API does, and as it must not: what is sent (path, bearer token, JSON), what is taken
 * from an answer, and every answer outside the contract turned into a typed error. The acquirer's
 * own endpoints are tested with this client in payment/acquirer (PhonePosTest).
 */
class HttpAcquirerClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "mt1.m-0123456789abcdef.c2lnbmVk";

  private record Request(String method, String path, String authorization, String contentType, String body) {}

  private HttpServer server;
  private final List<Request> received = new CopyOnWriteArrayList<>();
  private volatile int status;
  private volatile byte[] answer;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    received.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
        exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Content-Type"),
        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
    exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
    exchange.getResponseBody().write(answer);
    exchange.close();
  }

  private void answer(int status, String body) {
    this.status = status;
    this.answer = body.getBytes(StandardCharsets.UTF_8);
  }

  private HttpAcquirerClient client(AlgorithmSuite suite) {
    return new HttpAcquirerClient(AcquirerHttp.jdk(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
        Duration.ofSeconds(10)), TOKEN, suite);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void enrol_sendsTheCsrWithTheSuiteAndToken_andTakesTheTerminalIdAndCertificate(AlgorithmSuite suite) throws Exception {
    byte[] certificate = {0x30, (byte) 0x82, 1, 2, 3, 4, 5};
    answer(201, "{\"terminal_id\":\"12345678\",\"state\":\"ACTIVE\",\"certificate_pem\":\"-----BEGIN CERTIFICATE-----\\n"
        + Base64.getEncoder().encodeToString(certificate) + "\\n-----END CERTIFICATE-----\\n\"}");
    byte[] csr = {0x30, 0x03, 2, 1, 0};

    Enroller.Enrolled enrolled = client(suite).enrol(csr);

    assertThat(enrolled.terminalId()).isEqualTo("12345678");
    assertThat(enrolled.certificateDer()).isEqualTo(certificate);
    Request request = received.get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/pos/merchant/terminals");
    assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN);
    assertThat(request.contentType()).isEqualTo("application/json");
    JsonNode body = JSON.readTree(request.body());
    assertThat(body.get("suite").asText()).isEqualTo(suite.name());
    assertThat(Base64.getDecoder().decode(body.get("csr").asText())).isEqualTo(csr);
  }

  @Test
  void nonceThenAttestation_onTheTerminalsPaths_verdictTakenAsAnswered() {
    byte[] nonce = new byte[16];
    nonce[0] = 7;
    answer(201, "{\"terminal_id\":\"12345678\",\"nonce\":\"" + Base64.getEncoder().encodeToString(nonce) + "\"}");
    HttpAcquirerClient client = client(AlgorithmSuite.NATIONAL);
    assertThat(client.nonce("12345678")).isEqualTo(nonce);
    answer(200, "{\"terminal_id\":\"12345678\",\"outcome\":\"BLOCK\",\"reason\":\"UNKNOWN_SDK_BUILD\",\"detail\":\"d\"}");
    MonitoringService.Verdict verdict = client.attest("12345678", new byte[] {1, 2, 3});

    assertThat(verdict).isEqualTo(new MonitoringService.Verdict("BLOCK", "UNKNOWN_SDK_BUILD", "d"));
    assertThat(verdict.approved()).isFalse();
    assertThat(received).extracting(Request::path).containsExactly("/v1/pos/merchant/terminals/12345678/nonce",
        "/v1/pos/merchant/terminals/12345678/attestations");
    assertThat(received.get(1).body()).isEqualTo("{\"token\":\"AQID\"}");
  }

  /**
   * Over TLS: an HTTPS server with a certificate for 127.0.0.1 (made here with BouncyCastle), the
   * client trusting that certificate alone (as an app pins its acquirer's); a client that trusts
   * another certificate gets no answer, and nothing was sent.
   */
  @Test
  void overTls_withTheAcquirersCertificatePinned_andNoAnswerForAClientThatTrustsAnother() throws Exception {
    Tls acquirer = Tls.selfSigned();
    HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(acquirer.serverContext()));
    https.createContext("/", this::handle);
    https.start();
    try {
      URI base = URI.create("https://127.0.0.1:" + https.getAddress().getPort());
      answer(201, "{\"nonce\":\"" + Base64.getEncoder().encodeToString(new byte[16]) + "\"}");
      HttpAcquirerClient pinned = new HttpAcquirerClient(AcquirerHttp.jdk(base,
          HttpClient.newBuilder().sslContext(acquirer.clientContext()).build(), Duration.ofSeconds(10)), TOKEN,
          AlgorithmSuite.INTERNATIONAL);
      assertThat(pinned.nonce("12345678")).hasSize(16);
      assertThat(received).hasSize(1);

      HttpAcquirerClient other = new HttpAcquirerClient(AcquirerHttp.jdk(base,
          HttpClient.newBuilder().sslContext(Tls.selfSigned().clientContext()).build(), Duration.ofSeconds(10)), TOKEN,
          AlgorithmSuite.INTERNATIONAL);
      assertThatThrownBy(() -> other.nonce("12345678")).isInstanceOf(UncheckedIOException.class);
      assertThat(received).as("the untrusted server was never given the request").hasSize(1);
    } finally {
      https.stop(0);
    }
  }

  /** A P-256 key and a self-signed certificate for 127.0.0.1, as a server's key store and a client's trust store. */
  private record Tls(KeyPair keys, X509Certificate certificate) {
    static Tls selfSigned() throws Exception {
      KeyPair keys = AlgorithmSuite.INTERNATIONAL.signature().generateKeyPair(new SecureRandom());
      X500Name name = new X500Name("CN=acquirer.test");
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
          Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3_600)), name, keys.getPublic());
      builder.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(
          new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
      return new Tls(keys, certificate);
    }

    SSLContext serverContext() throws Exception {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = "test".toCharArray();
      store.setKeyEntry("acquirer", keys.getPrivate(), password, new Certificate[] {certificate});
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(store, password);
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(keyManagers.getKeyManagers(), null, new SecureRandom());
      return context;
    }

    SSLContext clientContext() throws Exception {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("acquirer", certificate);
      TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(null, trustManagers.getTrustManagers(), new SecureRandom());
      return context;
    }
  }

  @Test
  void errorAnswers_becomeAcquirerApiExceptions_withTheStatusAndCode() {
    answer(409, "{\"error\":\"MERCHANT_NOT_ACTIVE\",\"detail\":\"merchant is SUSPENDED\"}");
    assertThatThrownBy(() -> client(AlgorithmSuite.INTERNATIONAL).enrol(new byte[] {1}))
        .isInstanceOfSatisfying(AcquirerApiException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.code()).isEqualTo("MERCHANT_NOT_ACTIVE");
          assertThat(e.getMessage()).contains("merchant is SUSPENDED");
        });
    answer(502, "<html>bad gateway</html>");
    assertThatThrownBy(() -> client(AlgorithmSuite.INTERNATIONAL).nonce("12345678"))
        .isInstanceOfSatisfying(AcquirerApiException.class, e -> assertThat(e.code()).isEqualTo("HTTP_502"));
  }

  @Test
  void answersOutsideTheContract_areRefusedWithATypedError() {
    HttpAcquirerClient client = client(AlgorithmSuite.INTERNATIONAL);
    answer(201, "{\"nonce\":\"" + Base64.getEncoder().encodeToString(new byte[15]) + "\"}");
    assertThatThrownBy(() -> client.nonce("12345678")).isInstanceOf(SdkException.class).hasMessageContaining("15 bytes");
    answer(201, "{\"nonce\":\"***\"}");
    assertThatThrownBy(() -> client.nonce("12345678")).isInstanceOf(SdkException.class).hasMessageContaining("base64");
    answer(200, "not json");
    assertThatThrownBy(() -> client.attest("12345678", new byte[1])).isInstanceOf(SdkException.class);
    answer(200, "{\"outcome\":\"APPROVE\",\"reason\":7}");
    assertThatThrownBy(() -> client.attest("12345678", new byte[1])).isInstanceOf(SdkException.class)
        .hasMessageContaining("'reason'");
    answer(201, "{\"terminal_id\":\"1234\",\"certificate_pem\":\"AA==\"}");
    assertThatThrownBy(() -> client.enrol(new byte[1])).isInstanceOf(SdkException.class).hasMessageContaining("8 digits");
    answer(200, "{\"outcome\":\"APPROVE\",\"reason\":\"OK\",\"detail\":\"" + "x".repeat(AcquirerHttp.ANSWER_BYTES_MAX) + "\"}");
    assertThatThrownBy(() -> client.attest("12345678", new byte[1])).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("larger than");
    int before = received.size();
    assertThatThrownBy(() -> client.nonce("../admin")).isInstanceOf(SdkException.class);
    assertThat(received).as("a bad terminal id is never sent").hasSize(before);
  }
}

package io.iotpay.platform.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The API served over TLS from a PKCS#12 key store. The TLS server key is a JSSE P-256 key whatever the
 * platform's suite (the JDK has no SM2 TLS/TLCP); the suite parameter runs the platform behind it in both.
 */
class TlsHttpApiTest {
  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void tls_servesTheApi_toAClientTrustingTheServerCertificate_andRefusesOthers(AlgorithmSuite suite) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    Instant now = Instant.now();
    X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
            new X500Name("CN=iotpay test server"), BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
            Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=iotpay test server"), keys.getPublic())
        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")))
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    String password = "test-store-" + now.toEpochMilli();
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", keys.getPrivate(), password.toCharArray(), new X509Certificate[] {certificate});
    Path storeFile = tempDir.resolve("server.p12");
    try (OutputStream out = Files.newOutputStream(storeFile)) {
      store.store(out, password.toCharArray());
    }
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("server", certificate);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);

    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir, HttpApiConfig.defaults().withTls(storeFile, password), context,
        parts -> java.util.List.of(ConsoleFixture.console(parts)))) {
      assertThat(f.base.getScheme()).isEqualTo("https");
      HttpApiFixture.Device device = f.enrol("head-unit-tls");
      assertThat(f.call("GET", "/v1/devices/head-unit-tls/state", f.operatorToken, null).json().at("/device/suite").asText())
          .isEqualTo(suite.name());
      assertThat(device.id()).isEqualTo("head-unit-tls");
      // Over TLS the console's session cookie is Secure too.
      assertThat(f.call("GET", "/console/login", null, null).headers().get("Set-Cookie")).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .contains("Secure").contains("HttpOnly").contains("SameSite=Strict");
      try (HttpClient untrusting = HttpClient.newHttpClient()) {
        HttpRequest request = HttpRequest.newBuilder(f.base.resolve("/health")).timeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(() -> untrusting.send(request, HttpResponse.BodyHandlers.discarding()))
            .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
      }
    }
  }
}

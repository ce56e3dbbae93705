package io.iotpay.platform.access.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Certificates;
import io.iotpay.platform.access.mqtt.MqttFixture.Device;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's TLS listener with client certificates (international suite: the JDK's TLS has no SM2;
 * national devices use connect tokens over TLS): a device presenting the certificate the device CA
 * issued it connects without a token; a certificate for another device id than the client id, or one
 * from a CA the platform never registered, is refused.
 */
class MqttTlsClientCertificateTest {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static final AlgorithmSuite SUITE = AlgorithmSuite.INTERNATIONAL;

  @TempDir Path tempDir;

  @Test
  void deviceCertificate_connectsOverTls_othersAreRefused() throws Exception {
    try (MqttFixture platform = new MqttFixture(tempDir)) {
      KeyPair serverKeys = SUITE.signature().generateKeyPair(MqttFixture.RANDOM);
      X509Certificate serverCertificate = jdk(Certificates.issueCa(SUITE, serverKeys, new Certificates.Profile("CN=127.0.0.1",
          Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), BigInteger.valueOf(7))));
      Path keystore = store(tempDir.resolve("server.p12"), "server", serverKeys, serverCertificate);
      Path truststore = trust(tempDir.resolve("trust.p12"), jdk(platform.cas.get(SUITE).certificate()));
      try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(EmbeddedMqttBroker.Config.defaults(tempDir.resolve("hivemq"))
          .withPort(0).withInMemory(true).withTls(new EmbeddedMqttBroker.Tls(0, keystore, "changeit", truststore, "changeit")),
          platform.identity, platform.inbox, Clock.systemUTC(), MqttFixture.RANDOM)) {
        Device device = platform.enrol(SUITE);
        Device other = platform.enrol(SUITE);
        X509Certificate deviceCertificate = jdk(platform.identity.deviceForMessage(device.id()).orElseThrow().certificate());
        KeyPair deviceKeys = device.signer().keyPair();
        long acceptedBefore = broker.stats().connectsAccepted();

        Mqtt5BlockingClient client = tlsClient(broker, device.id().value(), deviceKeys, deviceCertificate, serverCertificate);
        client.connect();
        assertThat(broker.stats().connectsAccepted()).isEqualTo(acceptedBefore + 1);
        client.disconnect();

        // The same certificate under another device's client id.
        long wrongDeviceBefore = broker.stats().connectsRefused().getOrDefault(ConnectTokenException.Reason.WRONG_DEVICE, 0L);
        Mqtt5BlockingClient impostor = tlsClient(broker, other.id().value(), deviceKeys, deviceCertificate, serverCertificate);
        assertThatThrownBy(impostor::connect).isInstanceOf(RuntimeException.class);
        assertThat(broker.stats().connectsRefused().getOrDefault(ConnectTokenException.Reason.WRONG_DEVICE, 0L)).isEqualTo(wrongDeviceBefore + 1);

        // A certificate from a CA the platform never registered (the TLS layer trusts only the device CA).
        KeyPair rogueCaKeys = SUITE.signature().generateKeyPair(MqttFixture.RANDOM);
        X509Certificate rogueCa = Certificates.issueCa(SUITE, rogueCaKeys, new Certificates.Profile("CN=Rogue CA",
            Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), BigInteger.valueOf(9)));
        KeyPair rogueKeys = SUITE.signature().generateKeyPair(MqttFixture.RANDOM);
        X509Certificate rogue = jdk(Certificates.issueLeaf(SUITE, rogueCa, rogueCaKeys.getPrivate(), rogueKeys.getPublic(),
            new Certificates.Profile("CN=rogue-1", Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)),
                BigInteger.valueOf(10))));
        Mqtt5BlockingClient stranger = tlsClient(broker, "rogue-1", rogueKeys, rogue, serverCertificate);
        assertThatThrownBy(stranger::connect).isInstanceOf(RuntimeException.class);
        assertThat(platform.identity.deviceForMessage(new io.iotpay.platform.identity.DeviceId("rogue-1"))).isEmpty();
        assertThat(broker.stats().connectsAccepted()).isEqualTo(acceptedBefore + 1);
      }
    }
  }

  private static Mqtt5BlockingClient tlsClient(EmbeddedMqttBroker broker, String clientId, KeyPair keys, X509Certificate certificate,
      X509Certificate serverCertificate) throws Exception {
    KeyStore clientStore = KeyStore.getInstance("PKCS12");
    clientStore.load(null, null);
    clientStore.setKeyEntry("device", jdkKey(keys), PASSWORD, new Certificate[] {certificate});
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(clientStore, PASSWORD);
    KeyStore serverTrust = KeyStore.getInstance("PKCS12");
    serverTrust.load(null, null);
    serverTrust.setCertificateEntry("server", serverCertificate);
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(serverTrust);
    return MqttClient.builder().useMqttVersion5().identifier(clientId).serverHost(broker.host()).serverPort(broker.tlsPort())
        .sslConfig().keyManagerFactory(keyManagers).trustManagerFactory(trustManagers).hostnameVerifier((host, session) -> true)
        .applySslConfig().buildBlocking();
  }

  private static Path store(Path file, String alias, KeyPair keys, X509Certificate certificate) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(alias, jdkKey(keys), PASSWORD, new Certificate[] {certificate});
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, PASSWORD);
    }
    return file;
  }

  private static Path trust(Path file, X509Certificate ca) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("device-ca", ca);
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, PASSWORD);
    }
    return file;
  }

  /** The JDK's own certificate object (its TLS stack wants those). */
  private static X509Certificate jdk(X509Certificate certificate) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
        new java.io.ByteArrayInputStream(certificate.getEncoded()));
  }

  private static java.security.PrivateKey jdkKey(KeyPair keys) throws Exception {
    return java.security.KeyFactory.getInstance("EC").generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(keys.getPrivate().getEncoded()));
  }
}

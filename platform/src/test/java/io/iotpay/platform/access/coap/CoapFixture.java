package io.iotpay.platform.access.coap;

import io.iotpay.agent.sdk.DeviceCsr;
import io.iotpay.agent.sdk.EnvelopeClient;
import io.iotpay.agent.sdk.InMemoryMessageCounter;
import io.iotpay.agent.sdk.PlatformTrust;
import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.agent.transport.CoapDeviceCredentials;
import io.iotpay.agent.transport.CoapDeviceTransport;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.store.Database;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.envelope.CounterStore;
import io.iotpay.platform.envelope.EnvelopeService;
import io.iotpay.platform.envelope.PlatformSigningKey;
import io.iotpay.platform.identity.DeviceCa;
import io.iotpay.platform.identity.DeviceRecord;
import io.iotpay.platform.identity.DeviceRegistry;
import io.iotpay.platform.identity.IdentityConfig;
import io.iotpay.platform.identity.IdentityService;
import io.iotpay.platform.identity.Pki;
import io.iotpay.platform.identity.TestDatabases;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A platform (identity, envelope service, {@link EnvelopeInbox}) behind a running
 * {@link CoapAccessServer} on 127.0.0.1 (ephemeral port, PSK and X.509), and SDK devices enrolled
 * through the real CSR path.
 */
final class CoapFixture implements AutoCloseable {
  static final SecureRandom RANDOM = new SecureRandom();
  static final Duration ACK_TIMEOUT = Duration.ofMillis(300);
  /** For handshakes meant to fail: the server stays silent, so the client gives up after its retransmissions. */
  static final Duration ACK_TIMEOUT_REFUSED = Duration.ofMillis(100);

  final Database database;
  final IdentityService identity;
  final Map<AlgorithmSuite, PlatformSigningKey> answerKeys = new EnumMap<>(AlgorithmSuite.class);
  final Map<DeviceId, SecretKeyBytes> payloadKeys = new ConcurrentHashMap<>();
  final EnvelopeInbox inbox;
  final DevicePskDeriver pskDeriver;
  final X509Certificate serverCa;
  final CoapAccessServer server;

  /** One enrolled device: its keys, SDK client and registered certificate. */
  record Device(String id, AlgorithmSuite suite, KeyPair keys, EnvelopeClient client, X509Certificate certificate) {
    DeviceId deviceId() {
      return new DeviceId(id);
    }
  }

  CoapFixture(Path tempDir) {
    this(tempDir, false);
  }

  /** @param plainUdp also open the plain UDP endpoint (127.0.0.1, ephemeral port) */
  CoapFixture(Path tempDir, boolean plainUdp) {
    database = TestDatabases.open(Database.Dialect.SQLITE, tempDir);
    Map<AlgorithmSuite, DeviceCa> cas = new EnumMap<>(AlgorithmSuite.class);
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      cas.put(suite, Pki.deviceCa(suite));
      answerKeys.put(suite, new PlatformSigningKey(suite, "platform-" + suite.name().toLowerCase(Locale.ROOT) + "-1",
          suite.signature().generateKeyPair(RANDOM)));
    }
    identity = new IdentityService(new DeviceRegistry(database), cas, IdentityConfig.defaults());
    EnvelopeService envelopes = new EnvelopeService(identity, new CounterStore(database), answerKeys,
        deviceId -> Optional.ofNullable(payloadKeys.get(deviceId)), EnvelopeService.ENVELOPE_BYTES_MAX_DEFAULT, RANDOM);
    inbox = new EnvelopeInbox(envelopes);
    byte[] masterKey = new byte[DevicePskDeriver.MASTER_KEY_BYTES_MIN];
    RANDOM.nextBytes(masterKey);
    pskDeriver = new DevicePskDeriver(masterKey);
    Pki.Ca ca = Pki.manufacturerCa(AlgorithmSuite.INTERNATIONAL, "CN=iotpay CoAP server CA, O=iotpay");
    serverCa = ca.certificate();
    KeyPair serverKeys = AlgorithmSuite.INTERNATIONAL.signature().generateKeyPair(RANDOM);
    X509Certificate serverCertificate = serverCertificate(ca, serverKeys);
    server = CoapAccessServer.start(CoapAccessConfig.builder()
        .dtlsAddress(new InetSocketAddress("127.0.0.1", 0))
        .plainUdpAddress(plainUdp ? new InetSocketAddress("127.0.0.1", 0) : null)
        .serverCredentials(serverKeys.getPrivate(), List.of(serverCertificate))
        .build(), identity, pskDeriver, inbox);
  }

  /** The server's certificate: Scandium's client checks the literal IP it dialled against an iPAddress SAN. */
  private static X509Certificate serverCertificate(Pki.Ca ca, KeyPair serverKeys) {
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(),
          BigInteger.valueOf(RANDOM.nextLong() & Long.MAX_VALUE).setBit(0), Date.from(Pki.T0.minus(Duration.ofDays(1))),
          Date.from(Pki.T0.plus(Duration.ofDays(365))), new X500Principal("CN=127.0.0.1"), serverKeys.getPublic())
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.keys().getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Registers a new device of {@code suite} from its SDK-made CSR and gives it a payload key. */
  Device enrol(AlgorithmSuite suite, String id) {
    KeyPair keys = suite.signature().generateKeyPair(RANDOM);
    SoftwareDeviceSigner signer = new SoftwareDeviceSigner(id, suite, keys);
    DeviceRecord record = identity.registerFromCsr(suite, DeviceCsr.create(signer), Pki.T0);
    return device(suite, id, keys, record.certificate());
  }

  /** A device with these keys and certificate (not registered here), its SDK client and a payload key. */
  Device device(AlgorithmSuite suite, String id, KeyPair keys, X509Certificate certificate) {
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    SecretKeyBytes payloadKey = new SecretKeyBytes(key);
    payloadKeys.put(new DeviceId(id), payloadKey);
    PlatformSigningKey answerKey = answerKeys.get(suite);
    EnvelopeClient client = new EnvelopeClient(new SoftwareDeviceSigner(id, suite, keys), new InMemoryMessageCounter(0),
        new PlatformTrust(suite, answerKey.keyId(), answerKey.keys().getPublic()), payloadKey, RANDOM);
    return new Device(id, suite, keys, client, certificate);
  }

  /** The PSK credentials the platform derives for {@code deviceId}. */
  CoapDeviceCredentials.Psk psk(String deviceId) {
    return new CoapDeviceCredentials.Psk(deviceId, pskDeriver.derive(new DeviceId(deviceId)));
  }

  CoapDeviceTransport pskTransport(String deviceId) {
    return pskTransport(deviceId, ACK_TIMEOUT);
  }

  CoapDeviceTransport pskTransport(String deviceId, Duration ackTimeout) {
    return new CoapDeviceTransport(server.dtlsAddress(), deviceId, psk(deviceId), ackTimeout);
  }

  CoapDeviceTransport x509Transport(Device device, Duration ackTimeout) {
    return new CoapDeviceTransport(server.dtlsAddress(), device.id(),
        new CoapDeviceCredentials.X509(device.keys().getPrivate(), List.of(device.certificate()), List.of(serverCa)), ackTimeout);
  }

  @Override
  public void close() {
    server.close();
    database.close();
  }
}

package io.iotpay.platform.envelope;

import io.iotpay.agent.sdk.DeviceCsr;
import io.iotpay.agent.sdk.EnvelopeClient;
import io.iotpay.agent.sdk.InMemoryMessageCounter;
import io.iotpay.agent.sdk.PlatformTrust;
import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.store.Database;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceRegistry;
import io.iotpay.platform.identity.IdentityConfig;
import io.iotpay.platform.identity.IdentityService;
import io.iotpay.platform.identity.Pki;
import io.iotpay.platform.identity.TestDatabases;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A platform (identity + envelope service over a fresh database) and SDK devices enrolled in it
 * through the real CSR path.
 */
final class EnvelopeFixture implements AutoCloseable {
  static final SecureRandom RANDOM = new SecureRandom();

  final Database database;
  final IdentityService identity;
  final CounterStore counters;
  final Map<AlgorithmSuite, PlatformSigningKey> answerKeys = new EnumMap<>(AlgorithmSuite.class);
  final Map<DeviceId, SecretKeyBytes> payloadKeys = new ConcurrentHashMap<>();
  final EnvelopeService service;

  /** One enrolled device: its SDK client and signer. */
  record Device(String id, java.security.KeyPair keys, SoftwareDeviceSigner signer, EnvelopeClient client, SecretKeyBytes payloadKey) {}

  EnvelopeFixture(Database.Dialect dialect, Path tempDir) {
    database = TestDatabases.open(dialect, tempDir);
    Map<AlgorithmSuite, io.iotpay.platform.identity.DeviceCa> cas = new EnumMap<>(AlgorithmSuite.class);
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      cas.put(suite, Pki.deviceCa(suite));
      answerKeys.put(suite, new PlatformSigningKey(suite, "platform-" + suite.name().toLowerCase(java.util.Locale.ROOT) + "-1",
          suite.signature().generateKeyPair(RANDOM)));
    }
    identity = new IdentityService(new DeviceRegistry(database), cas, IdentityConfig.defaults());
    counters = new CounterStore(database);
    service = new EnvelopeService(identity, counters, answerKeys,
        deviceId -> Optional.ofNullable(payloadKeys.get(deviceId)), EnvelopeService.ENVELOPE_BYTES_MAX_DEFAULT, RANDOM);
  }

  /** Registers a new device of {@code suite} from its SDK-made CSR and gives it a payload key. */
  Device enrol(AlgorithmSuite suite, String id) {
    java.security.KeyPair keys = suite.signature().generateKeyPair(RANDOM);
    SoftwareDeviceSigner signer = new SoftwareDeviceSigner(id, suite, keys);
    identity.registerFromCsr(suite, DeviceCsr.create(signer), Pki.T0);
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    SecretKeyBytes payloadKey = new SecretKeyBytes(key);
    payloadKeys.put(new DeviceId(id), payloadKey);
    return new Device(id, keys, signer, client(signer, suite, payloadKey), payloadKey);
  }

  EnvelopeClient client(SoftwareDeviceSigner signer, AlgorithmSuite suite, SecretKeyBytes payloadKey) {
    PlatformSigningKey answerKey = answerKeys.get(suite);
    return new EnvelopeClient(signer, new InMemoryMessageCounter(0),
        new PlatformTrust(suite, answerKey.keyId(), answerKey.keys().getPublic()), payloadKey, RANDOM);
  }

  @Override
  public void close() {
    database.close();
  }
}

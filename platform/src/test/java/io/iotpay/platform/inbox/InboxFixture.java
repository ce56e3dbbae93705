package io.iotpay.platform.inbox;

import io.iotpay.agent.sdk.DeviceCsr;
import io.iotpay.agent.sdk.EnvelopeClient;
import io.iotpay.agent.sdk.InMemoryMessageCounter;
import io.iotpay.agent.sdk.PlatformTrust;
import io.iotpay.agent.sdk.SealedMessage;
import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.platform.decision.PlatformFixture;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.envelope.CounterStore;
import io.iotpay.platform.envelope.EnvelopeService;
import io.iotpay.platform.envelope.PlatformSigningKey;
import io.iotpay.platform.identity.DeviceRegistry;
import io.iotpay.platform.identity.IdentityConfig;
import io.iotpay.platform.identity.IdentityService;
import io.iotpay.platform.identity.Pki;
import io.iotpay.platform.rules.BillerDirectory;
import io.iotpay.platform.rules.BuiltInRules;
import io.iotpay.platform.rules.RuleEngine;
import io.iotpay.protocol.device.DeviceMessageCodec;
import io.iotpay.protocol.device.DeviceRequest;
import io.iotpay.protocol.device.PlatformAnswer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whole platform behind the inbox on one SQLite file (identity, envelope counters, decisions,
 * audit log, ledger) with SDK devices enrolled through their CSRs.
 */
final class InboxFixture implements AutoCloseable {
  static final SecureRandom RANDOM = new SecureRandom();

  final PlatformFixture platform;
  final IdentityService identity;
  final PlatformSigningKey answerKey;
  final Map<DeviceId, SecretKeyBytes> payloadKeys = new ConcurrentHashMap<>();
  final EnvelopeService envelopes;
  final RuleEngine rules;
  final PlatformInbox inbox;

  /** One enrolled device as its SDK sees itself. */
  record Device(DeviceId id, KeyPair keys, EnvelopeClient client) {
    SealedMessage seal(DeviceRequest request) {
      return client.seal(DeviceMessageCodec.encode(request), false);
    }
  }

  InboxFixture(AlgorithmSuite suite, Path tempDir) throws Exception {
    platform = new PlatformFixture(suite, tempDir);
    identity = new IdentityService(new DeviceRegistry(platform.database), Map.of(suite, Pki.deviceCa(suite)), IdentityConfig.defaults());
    answerKey = new PlatformSigningKey(suite, "platform-answers-1", suite.signature().generateKeyPair(RANDOM));
    envelopes = new EnvelopeService(identity, new CounterStore(platform.database), Map.of(suite, answerKey),
        id -> Optional.ofNullable(payloadKeys.get(id)), EnvelopeService.ENVELOPE_BYTES_MAX_DEFAULT, RANDOM);
    rules = new RuleEngine(BuiltInRules.book(), new BillerDirectory());
    platform.service.addListener(rules);
    inbox = new PlatformInbox(envelopes, platform.states, rules, platform.service, platform.clock, new SecurityEventLog(1_000, 100));
  }

  Device enrol(String id) {
    KeyPair keys = platform.suite.signature().generateKeyPair(RANDOM);
    SoftwareDeviceSigner signer = new SoftwareDeviceSigner(id, platform.suite, keys);
    identity.registerFromCsr(platform.suite, DeviceCsr.create(signer), platform.clock.now());
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    payloadKeys.put(DeviceId.of(id), new SecretKeyBytes(key));
    return new Device(DeviceId.of(id), keys, client(id, keys));
  }

  /** Another SDK instance holding the same key (a clone, or the device after a reset of its counter). */
  EnvelopeClient client(String id, KeyPair keys) {
    return client(id, keys, 0);
  }

  /** As {@link #client(String, KeyPair)}, its counter copied at {@code lastUsed}. */
  EnvelopeClient client(String id, KeyPair keys, long lastUsed) {
    SoftwareDeviceSigner signer = new SoftwareDeviceSigner(id, platform.suite, keys);
    return new EnvelopeClient(signer, new InMemoryMessageCounter(lastUsed),
        new PlatformTrust(platform.suite, answerKey.keyId(), answerKey.keys().getPublic()), payloadKeys.get(DeviceId.of(id)), RANDOM);
  }

  Reply send(Device device, String session, SealedMessage message) {
    return send(Transport.MQTT, device, session, message);
  }

  Reply send(Transport transport, Device device, String session, SealedMessage message) {
    return inbox.deliver(transport, device.id(), session, message.bytes());
  }

  /** Delivers and opens the signed answer with the device's SDK (which checks the platform's signature). */
  PlatformAnswer exchange(Device device, String session, SealedMessage message) {
    return exchange(Transport.MQTT, device, session, message);
  }

  PlatformAnswer exchange(Transport transport, Device device, String session, SealedMessage message) {
    Reply reply = send(transport, device, session, message);
    if (!(reply instanceof Reply.Answer answer)) {
      throw new AssertionError("expected an answer, got " + reply);
    }
    return DeviceMessageCodec.decodeAnswer(device.client().openAnswer(message, answer.signedAnswer()));
  }

  @Override
  public void close() {
    platform.close();
  }
}

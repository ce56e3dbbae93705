package io.iotpay.platform.access.mqtt;

import io.iotpay.agent.sdk.DeviceCsr;
import io.iotpay.agent.sdk.EnvelopeClient;
import io.iotpay.agent.sdk.EnvelopeException;
import io.iotpay.agent.sdk.InMemoryMessageCounter;
import io.iotpay.agent.sdk.PlatformTrust;
import io.iotpay.agent.sdk.SealedMessage;
import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.agent.transport.MqttDeviceTransport;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.platform.inbox.DeviceInbox;
import io.iotpay.protocol.device.RefusalReason;
import io.iotpay.platform.inbox.Reply;
import io.iotpay.platform.inbox.Transport;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.envelope.AnswerPayload;
import io.iotpay.platform.envelope.CounterStore;
import io.iotpay.platform.envelope.EnvelopeService;
import io.iotpay.platform.envelope.PlatformSigningKey;
import io.iotpay.platform.identity.DeviceRegistry;
import io.iotpay.platform.identity.IdentityConfig;
import io.iotpay.platform.identity.IdentityService;
import io.iotpay.platform.identity.Pki;
import io.iotpay.platform.identity.TestDatabases;
import io.iotpay.protocol.cose.CoseException;
import io.iotpay.protocol.cose.SignedMessage;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A real platform for MQTT tests: identity and envelope service over a fresh SQLite database, a
 * test inbox built on the real envelope service, and SDK devices enrolled through the CSR path.
 */
final class MqttFixture implements AutoCloseable {
  static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicInteger DEVICE_NUMBER = new AtomicInteger();

  final Database database;
  final IdentityService identity;
  final Map<AlgorithmSuite, PlatformSigningKey> answerKeys = new EnumMap<>(AlgorithmSuite.class);
  final EnvelopeService envelopes;
  final TestInbox inbox;

  /** One enrolled device: its signer and SDK client. */
  record Device(DeviceId id, SoftwareDeviceSigner signer, EnvelopeClient client) {}

  /** A connectivity report the inbox received. */
  record Connectivity(DeviceId device, DeviceInbox.ConnectivityEvent event) {}

  /** The device CA of each suite (the TLS test trusts it for client certificates). */
  final Map<AlgorithmSuite, io.iotpay.platform.identity.DeviceCa> cas = new EnumMap<>(AlgorithmSuite.class);

  MqttFixture(Path tempDir) {
    database = TestDatabases.open(Database.Dialect.SQLITE, tempDir);
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      cas.put(suite, Pki.deviceCa(suite));
      answerKeys.put(suite, new PlatformSigningKey(suite, "platform-" + suite.name().toLowerCase(Locale.ROOT) + "-1",
          suite.signature().generateKeyPair(RANDOM)));
    }
    identity = new IdentityService(new DeviceRegistry(database), cas, IdentityConfig.defaults());
    envelopes = new EnvelopeService(identity, new CounterStore(database), answerKeys, deviceId -> Optional.empty(),
        EnvelopeService.ENVELOPE_BYTES_MAX_DEFAULT, RANDOM);
    inbox = new TestInbox(envelopes);
  }

  /** Registers a new device of {@code suite} from its SDK-made CSR. */
  Device enrol(AlgorithmSuite suite) {
    String id = "mqtt-" + suite.name().toLowerCase(Locale.ROOT) + "-" + DEVICE_NUMBER.incrementAndGet();
    SoftwareDeviceSigner signer = SoftwareDeviceSigner.generate(id, suite, RANDOM);
    identity.registerFromCsr(suite, DeviceCsr.create(signer), Pki.T0);
    PlatformSigningKey answerKey = answerKeys.get(suite);
    EnvelopeClient client = new EnvelopeClient(signer, new InMemoryMessageCounter(0),
        new PlatformTrust(suite, answerKey.keyId(), answerKey.keys().getPublic()), null, RANDOM);
    return new Device(new DeviceId(id), signer, client);
  }

  /** The answer check a device uses: the answer must open under the platform's key for that message. */
  static MqttDeviceTransport.AnswerCheck verifying(EnvelopeClient client) {
    return (sent, counter, answer) -> {
      try {
        client.openAnswer(new SealedMessage(counter, sent), answer);
        return true;
      } catch (EnvelopeException e) {
        return false;
      }
    };
  }

  /** Waits until {@code condition} holds or {@code timeout} passes. */
  static boolean eventually(Duration timeout, BooleanSupplier condition) {
    return io.iotpay.foundation.Conditions.await(timeout, condition);
  }

  @Override
  public void close() {
    database.close();
  }

  /**
   * A DeviceInbox over the real envelope service whose handler echoes the payload. It refuses an
   * envelope whose signer is not the channel's device (CHANNEL_MISMATCH), as the real inbox will.
   */
  static final class TestInbox implements DeviceInbox {
    private final EnvelopeService envelopes;
    final AtomicInteger deliveries = new AtomicInteger();
    final AtomicInteger handled = new AtomicInteger();
    final ConcurrentLinkedQueue<Connectivity> connectivity = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<RefusalReason> refusals = new ConcurrentLinkedQueue<>();
    /** The broker session each delivery came with (empty when the broker named none), by device. */
    final java.util.Map<DeviceId, List<String>> deliverySessions = new java.util.concurrent.ConcurrentHashMap<>();
    /** The session each connectivity report named, by device, in order. */
    final java.util.Map<DeviceId, List<String>> connectivitySessions = new java.util.concurrent.ConcurrentHashMap<>();
    /** The real bounded security log, fed with the broker's refused CONNECTs. */
    final io.iotpay.platform.inbox.SecurityEventLog security = new io.iotpay.platform.inbox.SecurityEventLog(1_000, 1_000);

    @Override
    public void refusedConnection(Transport transport, String claimed, String reason, String detail) {
      security.record(new io.iotpay.platform.inbox.SecurityEvent(java.time.Instant.now(), transport, claimed, reason, detail));
    }

    @Override
    public java.util.Optional<io.iotpay.platform.inbox.SecurityEventLog> securityEvents() {
      return java.util.Optional.of(security);
    }

    TestInbox(EnvelopeService envelopes) {
      this.envelopes = envelopes;
    }

    @Override
    public Reply deliver(Transport transport, DeviceId channelDevice, String sessionId, byte[] envelope) {
      deliverySessions.computeIfAbsent(channelDevice, d -> new java.util.concurrent.CopyOnWriteArrayList<>())
          .add(sessionId == null ? "" : sessionId);
      return deliver(transport, channelDevice, envelope);
    }

    @Override
    public Reply deliver(Transport transport, DeviceId channelDevice, byte[] envelope) {
      deliveries.incrementAndGet();
      Reply reply = handle(channelDevice, envelope);
      if (reply instanceof Reply.Refused refused) {
        refusals.add(refused.reason());
      }
      return reply;
    }

    private Reply handle(DeviceId channelDevice, byte[] envelope) {
      try {
        String signer = SignedMessage.parse(envelope).kid();
        if (!signer.equals(channelDevice.value())) {
          return new Reply.Refused(RefusalReason.CHANNEL_MISMATCH, "signed by " + signer + " on " + channelDevice + "'s channel");
        }
      } catch (CoseException e) {
        return new Reply.Refused(RefusalReason.MALFORMED, e.getMessage());
      }
      try {
        EnvelopeService.Outcome outcome = envelopes.handle(envelope, message -> {
          handled.incrementAndGet();
          return new AnswerPayload(message.payload(), false);
        });
        return new Reply.Answer(outcome.answer(), outcome instanceof EnvelopeService.Outcome.Duplicate);
      } catch (io.iotpay.platform.envelope.EnvelopeException e) {
        return new Reply.Refused(RefusalReason.valueOf(e.reason().name()), e.getMessage());
      }
    }

    @Override
    public void connectivity(Transport transport, DeviceId device, ConnectivityEvent event, String sessionId) {
      connectivity.add(new Connectivity(device, event));
      connectivitySessions.computeIfAbsent(device, d -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(sessionId);
    }

    List<Connectivity> connectivityOf(DeviceId device) {
      return connectivity.stream().filter(c -> c.device().equals(device)).toList();
    }
  }
}

package io.iotpay.platform.access.mqtt;

import static io.iotpay.platform.access.mqtt.MqttFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import io.iotpay.agent.sdk.SealedMessage;
import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.agent.transport.ConnectTokens;
import io.iotpay.agent.transport.MqttDeviceConfig;
import io.iotpay.agent.transport.MqttDeviceTransport;
import io.iotpay.agent.transport.TransportException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.access.mqtt.ConnectTokenException.Reason;
import io.iotpay.platform.access.mqtt.MqttFixture.Connectivity;
import io.iotpay.platform.access.mqtt.MqttFixture.Device;
import io.iotpay.platform.inbox.DeviceInbox.ConnectivityEvent;
import io.iotpay.protocol.device.RefusalReason;
import io.iotpay.platform.identity.Pki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * MQTT access end to end over real sockets: SDK devices → embedded HiveMQ CE with iotpay's guard →
 * bridge → an inbox over the real envelope service → signed answer → SDK verifies. Both suites.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MqttAccessTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final int BRIDGE_PAYLOAD_BYTES_MAX = 4096;

  private MqttFixture platform;
  private EmbeddedMqttBroker broker;
  private MqttPlatformBridge bridge;
  private ScheduledExecutorService scheduler;

  @BeforeAll
  void start(@TempDir Path tempDir) {
    platform = new MqttFixture(tempDir);
    broker = EmbeddedMqttBroker.start(EmbeddedMqttBroker.Config.defaults(tempDir.resolve("hivemq")).withPort(0).withInMemory(true),
        platform.identity, platform.inbox, Clock.systemUTC(), MqttFixture.RANDOM);
    bridge = MqttPlatformBridge.connect(MqttBridgeConfig.forEmbedded(broker).withPayloadBytesMax(BRIDGE_PAYLOAD_BYTES_MAX), platform.inbox);
    scheduler = Executors.newScheduledThreadPool(2);
  }

  @AfterAll
  void stop() {
    if (bridge != null) {
      bridge.close();
    }
    if (broker != null) {
      broker.close();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    platform.close();
  }

  private MqttDeviceTransport connect(Device device) {
    return MqttDeviceTransport.connect(device.signer(), MqttDeviceConfig.defaults(broker.host(), broker.port()), scheduler,
        MqttFixture.verifying(device.client()), Clock.systemUTC());
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sdkDevice_throughBrokerAndBridge_getsAnswerSignedByThePlatform(AlgorithmSuite suite) {
    Device device = platform.enrol(suite);
    try (MqttDeviceTransport transport = connect(device)) {
      SealedMessage sealed = device.client().seal("detergent, 2 kg".getBytes(StandardCharsets.UTF_8), false);
      byte[] answer = transport.send(sealed.bytes()).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();

      assertThat(new String(device.client().openAnswer(sealed, answer), StandardCharsets.UTF_8)).isEqualTo("detergent, 2 kg");
      assertThat(platform.inbox.connectivityOf(device.id())).containsExactly(new Connectivity(device.id(), ConnectivityEvent.CONNECTED));
      // The broker stamped the message with the device's connection session, the one it reported on connect.
      assertThat(platform.inbox.deliverySessions.get(device.id())).singleElement()
          .isEqualTo(platform.inbox.connectivitySessions.get(device.id()).get(0))
          .satisfies(session -> assertThat(session).isNotBlank());
    }
    assertThat(eventually(WAIT, () -> platform.inbox.connectivityOf(device.id()).size() == 2)).isTrue();
    assertThat(platform.inbox.connectivityOf(device.id()).get(1).event()).isEqualTo(ConnectivityEvent.DISCONNECTED);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sameEnvelopePublishedFiveTimes_handlerRunsOnce_fiveIdenticalAnswers(AlgorithmSuite suite) {
    Device device = platform.enrol(suite);
    List<byte[]> answers = new CopyOnWriteArrayList<>();
    Mqtt5AsyncClient raw = rawDevice(device.signer(), ConnectTokens.create(device.signer(), Instant.now()));
    raw.subscribeWith().topicFilter(MqttTopics.down(device.id())).qos(MqttQos.AT_LEAST_ONCE)
        .callback(publish -> answers.add(publish.getPayloadAsBytes())).send().join();
    SealedMessage sealed = device.client().seal("pay once".getBytes(StandardCharsets.UTF_8), false);
    int handledBefore = platform.inbox.handled.get();

    for (int i = 0; i < 5; i++) {
      raw.publishWith().topic(MqttTopics.up(device.id())).qos(MqttQos.AT_LEAST_ONCE).payload(sealed.bytes()).send().join();
    }

    assertThat(eventually(WAIT, () -> answers.size() == 5)).isTrue();
    assertThat(platform.inbox.handled.get() - handledBefore).isEqualTo(1);
    for (byte[] answer : answers) {
      assertThat(answer).isEqualTo(answers.get(0));
      assertThat(device.client().openAnswer(sealed, answer)).isEqualTo("pay once".getBytes(StandardCharsets.UTF_8));
    }
    raw.disconnect().join();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void unknownDevice_cannotConnect(AlgorithmSuite suite) {
    SoftwareDeviceSigner stranger = SoftwareDeviceSigner.generate("mqtt-stranger-" + suite.ordinal(), suite, MqttFixture.RANDOM);
    long before = broker.stats().connectsRefused(Reason.UNKNOWN_DEVICE);

    assertThatThrownBy(() -> MqttDeviceTransport.connect(stranger, MqttDeviceConfig.defaults(broker.host(), broker.port()), scheduler,
        MqttDeviceTransport.AnswerCheck.MATCHING_COUNTER, Clock.systemUTC()))
        .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.reason()).isEqualTo("CONNECTION"));
    assertThat(broker.stats().connectsRefused(Reason.UNKNOWN_DEVICE)).isEqualTo(before + 1);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void badConnectTokens_areRefusedWithTheirReason(AlgorithmSuite suite) {
    Device device = platform.enrol(suite);
    Device other = platform.enrol(suite);
    SoftwareDeviceSigner impostor = SoftwareDeviceSigner.generate(device.id().value(), suite, MqttFixture.RANDOM);

    assertRefused(device.signer(), ConnectTokens.create(impostor, Instant.now()), Reason.BAD_SIGNATURE);
    assertRefused(device.signer(), ConnectTokens.create(other.signer(), Instant.now()), Reason.WRONG_DEVICE);
    assertRefused(device.signer(), ConnectTokens.create(device.signer(), Instant.now().minus(Duration.ofMinutes(6))), Reason.EXPIRED);
    assertRefused(device.signer(), "not a token".getBytes(StandardCharsets.US_ASCII), Reason.MALFORMED);
    assertRefused(device.signer(), new byte[0], Reason.NO_TOKEN);
    byte[] used = ConnectTokens.create(device.signer(), Instant.now());
    rawDevice(device.signer(), used).disconnect().join();
    assertRefused(device.signer(), used, Reason.REPLAYED);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aRegisteredIdWithAGarbagePassword_isABadPassword_andOnlyAMalformedIdIsAnInvalidClientId(AlgorithmSuite suite) {
    Device device = platform.enrol(suite);
    // Garbage that happens to be text (it is tried as the text form and fails there).
    assertRefused(device.signer(), "hunter2".getBytes(StandardCharsets.US_ASCII), Reason.MALFORMED);
    assertRefused(device.signer(), new byte[] {(byte) 0xD2, 0x01, 0x02}, Reason.MALFORMED);
    assertRefused("not a device id!", ConnectTokens.create(device.signer(), Instant.now()), Reason.BAD_CLIENT_ID);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void revokedAndSuspendedDevices_cannotConnectAgain(AlgorithmSuite suite) {
    Device suspended = platform.enrol(suite);
    Device revoked = platform.enrol(suite);
    platform.identity.suspend(suspended.id(), "test", Pki.T0);
    platform.identity.revoke(revoked.id(), "test", Pki.T0);

    assertRefused(suspended.signer(), ConnectTokens.create(suspended.signer(), Instant.now()), Reason.DEVICE_SUSPENDED);
    assertRefused(revoked.signer(), ConnectTokens.create(revoked.signer(), Instant.now()), Reason.DEVICE_REVOKED);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void publishingOrSubscribingOnAnotherDevicesTopic_isRefusedAndNeverReachesTheInbox(AlgorithmSuite suite) {
    Device device = platform.enrol(suite);
    Device victim = platform.enrol(suite);
    Mqtt5AsyncClient raw = rawDevice(device.signer(), ConnectTokens.create(device.signer(), Instant.now()));
    long publishesBefore = broker.stats().refusedPublishes();
    long subscribesBefore = broker.stats().refusedSubscribes();
    int deliveriesBefore = platform.inbox.deliveries.get();
    SealedMessage sealed = device.client().seal("steal".getBytes(StandardCharsets.UTF_8), false);

    Throwable refused = publishError(raw, MqttTopics.up(victim.id()), sealed.bytes());
    Mqtt5AsyncClient second = rawDevice(device.signer(), ConnectTokens.create(device.signer(), Instant.now()));
    Throwable subscribeError = second.subscribeWith().topicFilter(MqttTopics.down(victim.id()) + "/#").qos(MqttQos.AT_LEAST_ONCE).send()
        .orTimeout(10, TimeUnit.SECONDS).handle((subAck, error) -> error).join();

    assertNotAuthorised(refused);
    assertThat(unwrap(subscribeError)).isInstanceOfSatisfying(Mqtt5SubAckException.class,
        e -> assertThat(e.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED));
    assertThat(broker.stats().refusedPublishes()).isEqualTo(publishesBefore + 1);
    assertThat(broker.stats().refusedSubscribes()).isEqualTo(subscribesBefore + 1);
    assertThat(platform.inbox.deliveries.get()).isEqualTo(deliveriesBefore);
    second.disconnect().join();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void envelopeSignedByAnotherDevice_onOwnTopic_isRefusedChannelMismatch(AlgorithmSuite suite) {
    Device device = platform.enrol(suite);
    Device other = platform.enrol(suite);
    int handledBefore = platform.inbox.handled.get();
    try (MqttDeviceTransport transport = connect(device)) {
      SealedMessage foreign = other.client().seal("not mine".getBytes(StandardCharsets.UTF_8), false);

      assertThatThrownBy(() -> transport.send(foreign.bytes()).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join())
          .isInstanceOf(CompletionException.class)
          .cause().isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.reason()).isEqualTo("CHANNEL_MISMATCH"));
    }
    assertThat(platform.inbox.refusals).contains(RefusalReason.CHANNEL_MISMATCH);
    assertThat(platform.inbox.handled.get()).isEqualTo(handledBefore);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void oversizedEnvelopes_areRefusedByTheBridgeBoundAndTheBrokersPacketBound(AlgorithmSuite suite) {
    Device device = platform.enrol(suite);
    int deliveriesBefore = platform.inbox.deliveries.get();
    long oversizedBefore = bridge.stats().oversized();
    try (MqttDeviceTransport transport = connect(device)) {
      SealedMessage big = device.client().seal(new byte[BRIDGE_PAYLOAD_BYTES_MAX + 100], false);

      assertThatThrownBy(() -> transport.send(big.bytes()).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join())
          .cause().isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.reason()).isEqualTo("OVERSIZED"));
    }
    assertThat(bridge.stats().oversized()).isEqualTo(oversizedBefore + 1);

    Mqtt5AsyncClient raw = rawDevice(device.signer(), ConnectTokens.create(device.signer(), Instant.now()));
    byte[] huge = new byte[EmbeddedMqttBroker.Config.PACKET_BYTES_MAX_DEFAULT + 1];
    assertThatThrownBy(() -> raw.publishWith().topic(MqttTopics.up(device.id())).qos(MqttQos.AT_LEAST_ONCE).payload(huge).send()
        .thenApply(result -> result.getError().map(error -> { throw new IllegalStateException(error); }).orElse(result)).join())
        .isInstanceOf(CompletionException.class);
    assertThat(platform.inbox.deliveries.get()).isEqualTo(deliveriesBefore);
    raw.disconnect().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void bridgeLogin_mayPublishOnlyDownTopics_soNoMalformedUpTopicReachesTheBridge(AlgorithmSuite suite) {
    Device device = platform.enrol(suite);
    long refusedBefore = broker.stats().refusedPublishes();

    assertNotAuthorised(publishError(bridgePeer(), "devices/bad id!/up", new byte[] {1}));
    assertNotAuthorised(publishError(bridgePeer(), MqttTopics.up(device.id()), new byte[] {1}));
    Mqtt5AsyncClient peer = bridgePeer();
    assertThat(publishError(peer, MqttTopics.refused(device.id()), new byte[] {1})).isNull();

    assertThat(broker.stats().refusedPublishes()).isEqualTo(refusedBefore + 2);
    assertThat(bridge.stats().malformedTopics()).isZero();
    peer.disconnect().join();
  }

  private Mqtt5AsyncClient bridgePeer() {
    Mqtt5AsyncClient peer = MqttClient.builder().useMqttVersion5().identifier("$iotpay-test-peer")
        .serverHost(broker.host()).serverPort(broker.port())
        .simpleAuth().username(BridgeCredentials.USERNAME).password(broker.bridgeCredentials().password()).applySimpleAuth().buildAsync();
    peer.connect().join();
    return peer;
  }

  private static Throwable publishError(Mqtt5AsyncClient client, String topic, byte[] payload) {
    return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
        .handle((result, error) -> error).join();
  }

  /**
   * A refused publish: HiveMQ answers NOT_AUTHORIZED and then disconnects the client, so the
   * client sees one of the two, depending on which arrives first.
   */
  private static void assertNotAuthorised(Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof Mqtt5PubAckException pubAck) {
      assertThat(pubAck.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    } else {
      assertThat(cause).isNotNull().hasRootCauseInstanceOf(Mqtt5DisconnectException.class);
    }
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException ? error.getCause() : error;
  }

  private Mqtt5AsyncClient rawDevice(SoftwareDeviceSigner signer, byte[] token) {
    Mqtt5AsyncClient raw = MqttClient.builder().useMqttVersion5().identifier(signer.deviceId())
        .serverHost(broker.host()).serverPort(broker.port())
        .simpleAuth().username(signer.deviceId()).password(token).applySimpleAuth().buildAsync();
    raw.connect().join();
    return raw;
  }

  /** What a CONNECT refused for each reason must be answered with (MQTT 5 §3.2.2.2). */
  private static final java.util.Map<Reason, com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode> CONNACK =
      java.util.Map.of(
          Reason.BAD_SIGNATURE, com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
          Reason.WRONG_DEVICE, com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
          Reason.EXPIRED, com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
          Reason.MALFORMED, com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
          Reason.NO_TOKEN, com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
          Reason.REPLAYED, com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
          Reason.UNKNOWN_DEVICE, com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode.NOT_AUTHORIZED,
          Reason.DEVICE_SUSPENDED, com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode.NOT_AUTHORIZED,
          Reason.DEVICE_REVOKED, com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode.BANNED,
          Reason.BAD_CLIENT_ID, com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);

  /** Refused with {@code reason}: counted, answered with its CONNACK code, and in the security log once. */
  private void assertRefused(SoftwareDeviceSigner signer, byte[] token, Reason reason) {
    assertRefused(signer.deviceId(), token, reason);
  }

  private void assertRefused(String clientId, byte[] token, Reason reason) {
    long before = broker.stats().connectsRefused(reason);
    var log = platform.inbox.security;
    long logged = log.count(new io.iotpay.platform.inbox.SecurityEventLog.DoorReason(io.iotpay.platform.inbox.Transport.MQTT, reason.name()));
    Mqtt5AsyncClient raw = MqttClient.builder().useMqttVersion5().identifier(clientId)
        .serverHost(broker.host()).serverPort(broker.port())
        .simpleAuth().username(clientId).password(token).applySimpleAuth().buildAsync();
    assertThatThrownBy(() -> raw.connect().join()).isInstanceOf(CompletionException.class)
        .cause().isInstanceOfSatisfying(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException.class,
            e -> assertThat(e.getMqttMessage().getReasonCode()).as("CONNACK for %s", reason).isEqualTo(CONNACK.get(reason)));
    assertThat(broker.stats().connectsRefused(reason)).as("refusals for %s", reason).isEqualTo(before + 1);
    assertThat(log.count(new io.iotpay.platform.inbox.SecurityEventLog.DoorReason(io.iotpay.platform.inbox.Transport.MQTT, reason.name())))
        .as("security log for %s", reason).isEqualTo(logged + 1);
    assertThat(log.latest()).last().satisfies(event -> {
      assertThat(event.channelDevice()).isEqualTo(clientId.isEmpty() ? "-" : clientId.substring(0, Math.min(64, clientId.length())).replaceAll("[^\\x20-\\x7E]", "?"));
      assertThat(event.detail()).startsWith("MQTT CONNECT: " + reason.name());
    });
  }
}

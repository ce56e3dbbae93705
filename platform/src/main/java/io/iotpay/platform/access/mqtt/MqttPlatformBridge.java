package io.iotpay.platform.access.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.iotpay.platform.inbox.DeviceInbox;
import io.iotpay.protocol.device.RefusalReason;
import io.iotpay.platform.inbox.Reply;
import io.iotpay.platform.inbox.Transport;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.protocol.cose.CoseException;
import io.iotpay.protocol.cose.SignedMessage;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's MQTT client: takes every device's envelope from {@code devices/+/up}, hands it to
 * the {@link DeviceInbox} and publishes the reply to the device's down topic (a signed answer) or
 * its {@code down/refused} topic (an informational line {@code REASON [counter]}). Works with the
 * {@link EmbeddedMqttBroker} or any MQTT 5 broker.
 *
 * <p>QoS 1 with manual acknowledgement: a message is acknowledged only after its reply was
 * published, so a crash means redelivery, which the envelope's counter idempotency answers with the
 * stored answer without paying twice. Messages are handled on {@code lanes} worker threads; a
 * device's messages always use the same lane (in order). The broker may have at most
 * {@code inFlightMax} unacknowledged messages out; when a lane's queue is full the bridge stops
 * taking messages until it drains, it never drops one. Thread-safe.
 */
public final class MqttPlatformBridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MqttPlatformBridge.class);
  /** Largest refused envelope whose counter is read for the refusal line: no parsing of huge junk. */
  private static final int REFUSAL_PARSE_BYTES_MAX = 64 * 1024;

  private final MqttBridgeConfig config;
  private final DeviceInbox inbox;
  private final Mqtt5AsyncClient client;
  private final ExecutorService dispatcher;
  private final ThreadPoolExecutor[] lanes;
  private final Counters counters = new Counters();

  private MqttPlatformBridge(MqttBridgeConfig config, DeviceInbox inbox) {
    this.config = config;
    this.inbox = inbox;
    this.dispatcher = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("mqtt-bridge-dispatch").daemon().factory());
    this.lanes = new ThreadPoolExecutor[config.lanes()];
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(config.inFlightMax()),
          Thread.ofPlatform().name("mqtt-bridge-lane-" + i).daemon().factory(), this::waitForRoom);
    }
    this.client = buildClient(config);
  }

  /**
   * Connects to the broker, subscribes and starts handing messages to {@code inbox}.
   *
   * @throws IllegalStateException when the broker refuses the connect or subscribe, or does not
   *     answer within the config's connect timeout; the bridge is closed then
   */
  public static MqttPlatformBridge connect(MqttBridgeConfig config, DeviceInbox inbox) {
    MqttPlatformBridge bridge = new MqttPlatformBridge(config, inbox);
    try {
      bridge.start();
      return bridge;
    } catch (RuntimeException e) {
      bridge.close();
      throw e;
    }
  }

  private static Mqtt5AsyncClient buildClient(MqttBridgeConfig config) {
    Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5()
        .identifier(config.clientId()).serverHost(config.host()).serverPort(config.port())
        .automaticReconnectWithDefaultConfig();
    if (config.tlsTrust() != null) {
      builder = builder.sslConfig().trustManagerFactory(config.tlsTrust()).applySslConfig();
    }
    if (config.username() != null && config.password() != null) {
      builder = builder.simpleAuth().username(config.username()).password(config.password()).applySimpleAuth();
    } else if (config.username() != null) {
      builder = builder.simpleAuth().username(config.username()).applySimpleAuth();
    } else if (config.password() != null) {
      builder = builder.simpleAuth().password(config.password()).applySimpleAuth();
    }
    return builder.buildAsync();
  }

  private void start() {
    // Registered before connecting: a resumed session's queued messages arrive right after CONNACK.
    client.publishes(MqttGlobalPublishFilter.ALL, this::dispatch, dispatcher, true);
    Mqtt5ConnAck connAck = await(client.connectWith()
        .cleanStart(false).sessionExpiryInterval(config.sessionExpiry().toSeconds())
        .restrictions().receiveMaximum(config.inFlightMax()).applyRestrictions()
        .send(), "connect");
    boolean shared = config.sharedGroup() != null && connAck.getRestrictions().isSharedSubscriptionAvailable();
    String filter = shared ? MqttTopics.SHARE_PREFIX + config.sharedGroup() + "/" + MqttTopics.ALL_UP_FILTER : MqttTopics.ALL_UP_FILTER;
    var subAck = await(client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send(), "subscribe");
    if (subAck.getReasonCodes().stream().anyMatch(code -> code.isError())) {
      throw new IllegalStateException("mqtt bridge: broker refused subscription " + filter + ": " + subAck.getReasonCodes());
    }
    LOG.info("MQTT bridge started [broker={}:{}, clientId={}, filter={}, sessionPresent={}]",
        config.host(), config.port(), config.clientId(), filter, connAck.isSessionPresent());
  }

  private <T> T await(CompletableFuture<T> future, String step) {
    try {
      return future.get(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("mqtt bridge: interrupted during " + step, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("mqtt bridge: " + step + " to " + config.host() + ":" + config.port() + " failed: " + e.getMessage(), e);
    }
  }

  /** On the dispatcher thread: routes a message to its device's lane; blocks while that lane is full. */
  private void dispatch(Mqtt5Publish publish) {
    String topic = publish.getTopic().toString();
    Optional<DeviceId> device = MqttTopics.deviceOfUpTopic(topic);
    if (device.isEmpty()) {
      counters.malformedTopics.increment();
      LOG.info("MQTT message on a malformed topic ignored [topic={}]", BrokerGuard.printable(topic));
      publish.acknowledge();
      return;
    }
    int lane = Math.floorMod(device.get().hashCode(), lanes.length);
    lanes[lane].execute(() -> handle(device.get(), publish));
  }

  /** Rejected-execution policy of a lane: wait for room instead of dropping (backpressure). */
  private void waitForRoom(Runnable task, ThreadPoolExecutor lane) {
    if (lane.isShutdown()) {
      return; // closing: the message stays unacknowledged and the broker redelivers it later
    }
    counters.pauses.increment();
    try {
      lane.getQueue().put(task);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(DeviceId device, Mqtt5Publish publish) {
    byte[] envelope = publish.getPayloadAsBytes();
    if (envelope.length > config.payloadBytesMax()) {
      counters.oversized.increment();
      inbox.refusedAtDoor(Transport.MQTT, device, RefusalReason.OVERSIZED, envelope.length + " bytes, at most " + config.payloadBytesMax());
      reply(device, publish, envelope, new Reply.Refused(RefusalReason.OVERSIZED, envelope.length + " bytes, at most " + config.payloadBytesMax()));
      return;
    }
    String session = publish.getUserProperties().asList().stream()
        .filter(property -> property.getName().toString().equals(MqttTopics.SESSION_PROPERTY))
        .map(property -> property.getValue().toString()).findFirst().orElse(null);
    CompletableFuture<Reply> reply;
    try {
      reply = inbox.deliverAsync(Transport.MQTT, device, session, envelope);
    } catch (RuntimeException e) {
      LOG.error("Device inbox failed [device={}]", device, e);
      reply = CompletableFuture.completedFuture(new Reply.Refused(RefusalReason.UNAVAILABLE, "inbox failed"));
    }
    reply.whenComplete((answer, failure) -> reply(device, publish, envelope,
        failure == null ? answer : new Reply.Refused(RefusalReason.UNAVAILABLE, "inbox failed")));
  }

  /** Publishes the reply, then acknowledges the device's message (never before). */
  private void reply(DeviceId device, Mqtt5Publish publish, byte[] envelope, Reply reply) {
    CompletableFuture<?> sent = switch (reply) {
      case Reply.Answer answer -> {
        counters.answers.increment();
        yield publish(MqttTopics.down(device), answer.signedAnswer());
      }
      case Reply.Refused refused -> {
        counters.refusals.increment();
        yield publish(MqttTopics.refused(device), refusalLine(refused.reason(), envelope));
      }
    };
    sent.whenComplete((result, failure) -> {
      if (failure == null) {
        publish.acknowledge();
      } else {
        // Not acknowledged: the broker redelivers on the next session and the stored answer is sent then.
        counters.publishFailures.increment();
        LOG.warn("MQTT reply not published, message left unacknowledged [device={}, error={}]", device, failure.toString());
      }
    });
  }

  private CompletableFuture<?> publish(String topic, byte[] payload) {
    return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
  }

  /**
   * {@code REASON counter} when the envelope's counter can be read (unverified: informational
   * only), else {@code REASON}.
   */
  static byte[] refusalLine(RefusalReason reason, byte[] envelope) {
    String line = reason.name();
    if (envelope.length <= REFUSAL_PARSE_BYTES_MAX) {
      try {
        line = line + " " + SignedMessage.parse(envelope).counter();
      } catch (CoseException e) {
        // Unparseable: the device learns the reason without a counter.
      }
    }
    return line.getBytes(StandardCharsets.US_ASCII);
  }

  /** What the bridge did since it started; never null. */
  public MqttBridgeStats stats() {
    return new MqttBridgeStats(counters.answers.sum(), counters.refusals.sum(), counters.malformedTopics.sum(),
        counters.oversized.sum(), counters.publishFailures.sum(), counters.pauses.sum());
  }

  /** Disconnects and stops the lanes; messages not yet acknowledged are redelivered by the broker later. */
  @Override
  public void close() {
    try {
      client.disconnect().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("MQTT bridge disconnect did not complete [error={}]", e.toString());
    }
    dispatcher.shutdownNow();
    for (ThreadPoolExecutor lane : lanes) {
      lane.shutdownNow();
    }
  }

  private static final class Counters {
    final LongAdder answers = new LongAdder();
    final LongAdder refusals = new LongAdder();
    final LongAdder malformedTopics = new LongAdder();
    final LongAdder oversized = new LongAdder();
    final LongAdder publishFailures = new LongAdder();
    final LongAdder pauses = new LongAdder();
  }
}

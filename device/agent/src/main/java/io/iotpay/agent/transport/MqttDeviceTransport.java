package io.iotpay.agent.transport;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientReconnector;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.iotpay.agent.sdk.DeviceSigner;
import io.iotpay.agent.sdk.EnvelopeClient;
import io.iotpay.protocol.cose.CoseException;
import io.iotpay.protocol.cose.SignedMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's MQTT 5 link to the platform (docs/mqtt.md): client id = device id, CONNECT password =
 * a fresh {@link ConnectTokens connect token} on every (re)connect, last will {@code offline} and
 * {@code online} retained on {@code devices/{id}/status}; envelopes go to {@code devices/{id}/up}
 * (QoS 1), answers come on {@code devices/{id}/down} and refusals on {@code devices/{id}/down/refused}.
 *
 * <p>{@link #send} matches an answer to its message by the answer's reply-to counter, resends the
 * <em>same bytes</em> when no answer came within the timeout (bounded), and completes with the
 * answer bytes, which the caller checks with {@link EnvelopeClient#openAnswer}. A refusal line is
 * unsigned and only ends the wait; it is never evidence about money.
 *
 * <p>Many devices share one JVM cheaply: HiveMQ clients share one Netty event loop, and all timers
 * and callbacks run on the {@link ScheduledExecutorService} given (no thread per device).
 * Thread-safe.
 */
public final class MqttDeviceTransport implements DeviceTransport {
  private static final Logger LOG = LoggerFactory.getLogger(MqttDeviceTransport.class);
  /** Payload of the retained status message published on connect. */
  public static final String ONLINE = "online";
  /** Payload of the last will. */
  public static final String OFFLINE = "offline";
  /** Longest refusal line read, bytes. */
  private static final int REFUSAL_LINE_BYTES_MAX = 64;

  private final DeviceSigner signer;
  private final MqttDeviceConfig config;
  private final ScheduledExecutorService scheduler;
  private final AnswerCheck answerCheck;
  private final Clock clock;
  private final Mqtt5AsyncClient client;
  private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
  private volatile boolean connected;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Optional check of an answer before it completes a send: return false for an answer that does not
   * verify (the transport keeps waiting for the real one). Typically
   * {@code (sent, answer) -> openAnswer succeeds} with the device's {@link EnvelopeClient}.
   */
  @FunctionalInterface
  public interface AnswerCheck {
    /** Accepts every answer whose reply-to counter matches; the caller verifies it later. */
    AnswerCheck MATCHING_COUNTER = (sent, counter, answer) -> true;

    boolean accept(byte[] sent, long counter, byte[] answer);
  }

  private record Pending(byte[] envelope, long counter, CompletableFuture<byte[]> answer, int[] sends, ScheduledFuture<?>[] timer) {}

  private MqttDeviceTransport(DeviceSigner signer, MqttDeviceConfig config, ScheduledExecutorService scheduler, AnswerCheck answerCheck, Clock clock) {
    this.signer = signer;
    this.config = config;
    this.scheduler = scheduler;
    this.answerCheck = answerCheck;
    this.clock = clock;
    Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5()
        .identifier(signer.deviceId()).serverHost(config.host()).serverPort(config.port())
        .automaticReconnect().initialDelay(config.reconnectDelayMin().toMillis(), TimeUnit.MILLISECONDS)
        .maxDelay(config.reconnectDelayMax().toMillis(), TimeUnit.MILLISECONDS).applyAutomaticReconnect()
        .addDisconnectedListener(this::onDisconnected);
    if (config.tlsTrust() != null) {
      builder = builder.sslConfig().trustManagerFactory(config.tlsTrust()).applySslConfig();
    }
    this.client = builder.buildAsync();
  }

  /**
   * Connects, subscribes to the device's down topics and announces {@code online}.
   *
   * @param scheduler runs timers and answer callbacks; share one among all devices of a JVM
   * @param answerCheck filters answers before they complete a send; {@link AnswerCheck#MATCHING_COUNTER} to accept all
   * @throws TransportException CONNECTION (retryable) when the broker refuses or cannot be reached in time
   */
  public static MqttDeviceTransport connect(DeviceSigner signer, MqttDeviceConfig config, ScheduledExecutorService scheduler,
      AnswerCheck answerCheck, Clock clock) {
    MqttDeviceTransport transport = new MqttDeviceTransport(signer, config, scheduler, answerCheck, clock);
    try {
      transport.start();
      return transport;
    } catch (TransportException e) {
      transport.close();
      throw e;
    }
  }

  private void start() {
    client.publishes(MqttGlobalPublishFilter.ALL, this::onMessage, scheduler);
    await(client.connect(connectMessage()), "connect");
    connected = true;
    await(client.subscribeWith().topicFilter(MqttDeviceTopics.down(signer.deviceId()) + "/#").qos(MqttQos.AT_LEAST_ONCE).send(), "subscribe");
    await(client.publishWith().topic(MqttDeviceTopics.status(signer.deviceId())).qos(MqttQos.AT_LEAST_ONCE).retain(true)
        .payload(ONLINE.getBytes(StandardCharsets.US_ASCII)).send(), "publish online");
  }

  /** A CONNECT with a fresh token: a token is single-use, so every reconnect signs a new one. */
  private Mqtt5Connect connectMessage() {
    return Mqtt5Connect.builder()
        .cleanStart(true).sessionExpiryInterval(0).keepAlive((int) config.keepAlive().toSeconds())
        .simpleAuth().username(signer.deviceId()).password(ConnectTokens.create(signer, clock.instant())).applySimpleAuth()
        .willPublish().topic(MqttDeviceTopics.status(signer.deviceId())).qos(MqttQos.AT_LEAST_ONCE).retain(true)
        .payload(OFFLINE.getBytes(StandardCharsets.US_ASCII)).applyWillPublish()
        .build();
  }

  private void onDisconnected(MqttClientDisconnectedContext context) {
    if (closed.get() || !connected) {
      // Closing, or the first connect failed (refused device, wrong token): do not hammer the broker.
      context.getReconnector().reconnect(false);
      return;
    }
    ((Mqtt5ClientReconnector) context.getReconnector()).connect(connectMessage());
  }

  private <T> T await(CompletableFuture<T> future, String step) {
    try {
      return future.get(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("CONNECTION", true, "interrupted during " + step, e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new TransportException("CONNECTION", true, "device " + signer.deviceId() + ": " + step + " to "
          + config.host() + ":" + config.port() + " failed: " + cause.getMessage(), cause);
    }
  }

  /**
   * Publishes {@code envelope} (QoS 1) and completes with the answer to it. Sending bytes already
   * waiting for an answer returns the same future.
   *
   * @return completes with the answer bytes, or exceptionally with {@link TransportException}:
   *     MALFORMED (not an envelope), BUSY (too many waiting), CONNECTION (closed), TIMEOUT after
   *     the resends, or the platform's refusal reason
   */
  @Override
  public CompletableFuture<byte[]> send(byte[] envelope) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(new TransportException("CONNECTION", false, "transport closed"));
    }
    long counter;
    try {
      counter = SignedMessage.parse(envelope).counter();
    } catch (CoseException e) {
      return CompletableFuture.failedFuture(new TransportException("MALFORMED", false, "not an envelope: " + e.getMessage(), e));
    }
    if (pending.size() >= config.pendingMax() && !pending.containsKey(counter)) {
      return CompletableFuture.failedFuture(new TransportException("BUSY", true, pending.size() + " messages wait for answers"));
    }
    Pending created = new Pending(envelope.clone(), counter, new CompletableFuture<>(), new int[1], new ScheduledFuture<?>[1]);
    Pending existing = pending.putIfAbsent(counter, created);
    if (existing != null) {
      return Arrays.equals(existing.envelope(), envelope) ? existing.answer()
          : CompletableFuture.failedFuture(new TransportException("MALFORMED", false, "another envelope with counter " + counter + " is waiting"));
    }
    transmit(created);
    return created.answer();
  }

  private void transmit(Pending message) {
    synchronized (message) {
      if (message.answer().isDone()) {
        return;
      }
      message.sends()[0]++;
      client.publishWith().topic(MqttDeviceTopics.up(signer.deviceId())).qos(MqttQos.AT_LEAST_ONCE).payload(message.envelope()).send()
          .whenComplete((result, failure) -> {
            if (failure != null) {
              LOG.debug("Envelope publish failed, will resend on timeout [device={}, counter={}]", signer.deviceId(), message.counter());
            }
          });
      message.timer()[0] = scheduler.schedule(() -> onTimeout(message), config.answerTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void onTimeout(Pending message) {
    if (message.answer().isDone()) {
      return;
    }
    if (message.sends()[0] <= config.resendsMax()) {
      LOG.info("No answer yet, resending the same envelope [device={}, counter={}, send={}]", signer.deviceId(), message.counter(), message.sends()[0] + 1);
      transmit(message);
      return;
    }
    finish(message, null, new TransportException("TIMEOUT", true,
        "no answer to counter " + message.counter() + " after " + message.sends()[0] + " sends"));
  }

  private void onMessage(Mqtt5Publish publish) {
    String topic = publish.getTopic().toString();
    byte[] payload = publish.getPayloadAsBytes();
    if (topic.equals(MqttDeviceTopics.down(signer.deviceId()))) {
      onAnswer(payload);
    } else if (topic.equals(MqttDeviceTopics.refused(signer.deviceId()))) {
      onRefusal(payload);
    }
  }

  private void onAnswer(byte[] answer) {
    if (answer.length > EnvelopeClient.ANSWER_BYTES_MAX) {
      return;
    }
    long replyTo;
    try {
      replyTo = SignedMessage.parse(answer).replyTo();
    } catch (CoseException e) {
      LOG.info("Unreadable answer ignored [device={}]", signer.deviceId());
      return;
    }
    Pending message = pending.get(replyTo);
    if (message == null || !answerCheck.accept(message.envelope().clone(), replyTo, answer)) {
      return; // a late duplicate answer, or one that does not verify: keep waiting for the real one
    }
    finish(message, answer, null);
  }

  private void onRefusal(byte[] line) {
    RefusalLine refusal = RefusalLine.parse(line, REFUSAL_LINE_BYTES_MAX);
    if (refusal == null || refusal.counter() < 0) {
      return; // without a counter it cannot end a particular wait; the timeout will
    }
    Pending message = pending.get(refusal.counter());
    if (message != null) {
      finish(message, null, new TransportException(refusal.reason(), refusal.retryable(), "platform refused counter " + refusal.counter()));
    }
  }

  private void finish(Pending message, byte[] answer, TransportException failure) {
    if (!pending.remove(message.counter(), message)) {
      return;
    }
    synchronized (message) {
      if (message.timer()[0] != null) {
        message.timer()[0].cancel(false);
      }
    }
    if (failure == null) {
      message.answer().complete(answer);
    } else {
      message.answer().completeExceptionally(failure);
    }
  }

  /** Announces {@code offline} (retained), disconnects and fails sends still waiting with CONNECTION. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (connected) {
        client.publishWith().topic(MqttDeviceTopics.status(signer.deviceId())).qos(MqttQos.AT_LEAST_ONCE).retain(true)
            .payload(OFFLINE.getBytes(StandardCharsets.US_ASCII)).send().get(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
      }
      client.disconnect().get(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("Device disconnect did not complete [device={}, error={}]", signer.deviceId(), e.toString());
    }
    for (Pending message : pending.values()) {
      finish(message, null, new TransportException("CONNECTION", true, "transport closed before the answer"));
    }
  }
}

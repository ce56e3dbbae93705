package io.iotpay.bench.iot;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.iotpay.agent.sdk.DeviceSigner;
import io.iotpay.agent.transport.ConnectTokens;
import io.iotpay.platform.inbox.DeviceInbox;
import io.iotpay.protocol.device.RefusalReason;
import io.iotpay.platform.inbox.Reply;
import io.iotpay.platform.inbox.Transport;
import io.iotpay.platform.access.mqtt.EmbeddedMqttBroker;
import io.iotpay.platform.access.mqtt.MqttTopics;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.IdentityService;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The reference for {@code bench iot}: the same embedded broker, the same device authentication and
 * topic authorisation, the same message size — and no platform. Each raw device client publishes a
 * payload to its up topic (QoS 1); an echo client logged in as the bridge republishes it on the
 * device's down topic (QoS 1); a round trip ends when the device receives it.
 */
public final class RawBrokerReference {
  private RawBrokerReference() {}

  /**
   * @param signers devices registered in {@code identity} (they authenticate with connect tokens)
   * @return round trips per second and their latency
   */
  public static ClosedLoop.Result run(IdentityService identity, List<DeviceSigner> signers, int payloadBytes, int inFlight,
      double warmupSeconds, double seconds, Path dataDir, SecureRandom random) throws Exception {
    DeviceInbox unused = new DeviceInbox() {
      @Override
      public Reply deliver(Transport transport, DeviceId channelDevice, byte[] envelope) {
        return new Reply.Refused(RefusalReason.UNAVAILABLE, "no platform in the raw-broker reference");
      }

      @Override
      public void connectivity(Transport transport, DeviceId device, ConnectivityEvent event, String sessionId) {}
    };
    try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(EmbeddedMqttBroker.Config.defaults(dataDir).withPort(0).withInMemory(true),
        identity, unused, Clock.systemUTC(), random)) {
      Mqtt5AsyncClient echo = MqttClient.builder().useMqttVersion5().identifier("$iotpay-bench-echo")
          .serverHost(broker.host()).serverPort(broker.port()).buildAsync();
      echo.connectWith().simpleAuth().username(broker.bridgeCredentials().username()).password(broker.bridgeCredentials().password())
          .applySimpleAuth().send().get(30, TimeUnit.SECONDS);
      echo.subscribeWith().topicFilter("devices/+/" + MqttTopics.UP).qos(MqttQos.AT_LEAST_ONCE)
          .callback(publish -> {
            String topic = publish.getTopic().toString();
            String device = topic.substring(topic.indexOf('/') + 1, topic.lastIndexOf('/'));
            echo.publishWith().topic("devices/" + device + "/" + MqttTopics.DOWN).qos(MqttQos.AT_LEAST_ONCE)
                .payload(publish.getPayloadAsBytes()).send();
          }).send().get(30, TimeUnit.SECONDS);
      Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
      List<Mqtt5AsyncClient> clients = new ArrayList<>();
      List<ClosedLoop.Sender> senders = new ArrayList<>();
      byte[] payload = new byte[payloadBytes];
      random.nextBytes(payload);
      try {
        for (DeviceSigner signer : signers) {
          String id = signer.deviceId();
          Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(id)
              .serverHost(broker.host()).serverPort(broker.port()).buildAsync();
          client.connectWith().simpleAuth().username(id).password(ConnectTokens.create(signer, Instant.now())).applySimpleAuth()
              .send().get(30, TimeUnit.SECONDS);
          client.subscribeWith().topicFilter("devices/" + id + "/" + MqttTopics.DOWN).qos(MqttQos.AT_LEAST_ONCE)
              .callback(publish -> {
                CompletableFuture<Void> pending = waiting.remove(id);
                if (pending != null) {
                  pending.complete(null);
                }
              }).send().get(30, TimeUnit.SECONDS);
          clients.add(client);
          String up = "devices/" + id + "/" + MqttTopics.UP;
          senders.add(() -> {
            CompletableFuture<Void> answered = new CompletableFuture<>();
            waiting.put(id, answered);
            client.publishWith().topic(up).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
                .whenComplete((ack, error) -> {
                  if (error != null) {
                    answered.completeExceptionally(error);
                  }
                });
            return answered.orTimeout(30, TimeUnit.SECONDS);
          });
        }
        return ClosedLoop.run(senders, Math.min(inFlight, senders.size()), warmupSeconds, seconds);
      } finally {
        for (Mqtt5AsyncClient client : clients) {
          client.disconnect();
        }
        echo.disconnect();
      }
    }
  }
}

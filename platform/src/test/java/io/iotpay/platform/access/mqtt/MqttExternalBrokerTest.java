package io.iotpay.platform.access.mqtt;

import static io.iotpay.platform.access.mqtt.MqttFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.iotpay.agent.sdk.SealedMessage;
import io.iotpay.agent.transport.MqttDeviceConfig;
import io.iotpay.agent.transport.MqttDeviceTransport;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.access.mqtt.MqttFixture.Device;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bridge and an SDK device through an external broker (Mosquitto, anonymous access allowed),
 * given by {@code IOTPAY_TEST_MQTT_URL=tcp://host:port}; skipped when it is not set. Without the
 * embedded guard, the bridge's own checks are what stands: malformed topics are ignored and counted.
 */
class MqttExternalBrokerTest {
  static final String URL_VARIABLE = "IOTPAY_TEST_MQTT_URL";
  private static final Duration WAIT = Duration.ofSeconds(15);

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sdkDevice_throughExternalBroker_getsVerifiedAnswer_andMalformedTopicsAreCounted(AlgorithmSuite suite, @TempDir Path tempDir) {
    String url = System.getenv(URL_VARIABLE);
    assumeTrue(url != null && !url.isBlank(), URL_VARIABLE + " is not set (e.g. tcp://127.0.0.1:1883): no external broker to test against");
    URI broker = URI.create(url);
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    // A unique bridge id and no lasting session: the broker may be shared with other test runs.
    MqttBridgeConfig config = MqttBridgeConfig.defaults(broker.getHost(), broker.getPort())
        .withClientId("$iotpay-bridge-test-" + UUID.randomUUID()).withSharedGroup("iotpay-test-" + UUID.randomUUID())
        .withSessionExpiry(Duration.ZERO);
    try (MqttFixture platform = new MqttFixture(tempDir);
         MqttPlatformBridge bridge = MqttPlatformBridge.connect(config, platform.inbox)) {
      Device device = platform.enrol(suite);
      try (MqttDeviceTransport transport = MqttDeviceTransport.connect(device.signer(),
          MqttDeviceConfig.defaults(broker.getHost(), broker.getPort()), scheduler, MqttFixture.verifying(device.client()), Clock.systemUTC())) {
        SealedMessage sealed = device.client().seal("through mosquitto".getBytes(StandardCharsets.UTF_8), false);
        byte[] answer = transport.send(sealed.bytes()).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        assertThat(device.client().openAnswer(sealed, answer)).isEqualTo("through mosquitto".getBytes(StandardCharsets.UTF_8));
      }

      Mqtt5AsyncClient intruder = MqttClient.builder().useMqttVersion5().identifier("iotpay-test-" + UUID.randomUUID())
          .serverHost(broker.getHost()).serverPort(broker.getPort()).buildAsync();
      intruder.connect().join();
      int deliveriesBefore = platform.inbox.deliveries.get();
      intruder.publishWith().topic("devices/not a device!/up").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send().join();
      assertThat(eventually(WAIT, () -> bridge.stats().malformedTopics() == 1)).isTrue();
      assertThat(platform.inbox.deliveries.get()).isEqualTo(deliveriesBefore);
      intruder.disconnect().join();
    } finally {
      scheduler.shutdownNow();
    }
  }
}

package io.iotpay.platform.access.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.agent.sdk.SealedMessage;
import io.iotpay.agent.transport.MqttDeviceConfig;
import io.iotpay.agent.transport.MqttDeviceTransport;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.access.mqtt.MqttFixture.Device;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The embedded broker delivering to the inbox itself (no bridge): an SDK device's envelope reaches the
 * inbox once with the broker's session, the signed answer comes back on the down topic, a copy of the
 * same envelope is answered again without a second handling, and a device cannot use another device's topic.
 */
class InBrokerDeliveryTest {
  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void envelopesGoToTheInboxInsideTheBroker_answersComeBack_copiesAreNotHandledTwice(AlgorithmSuite suite) {
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    try (MqttFixture platform = new MqttFixture(tempDir);
        EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(EmbeddedMqttBroker.Config.defaults(tempDir.resolve("hivemq"))
            .withPort(0).withInMemory(true).withDeliverInBroker(true), platform.identity, platform.inbox, Clock.systemUTC(),
            MqttFixture.RANDOM)) {
      Device device = platform.enrol(suite);
      try (MqttDeviceTransport transport = MqttDeviceTransport.connect(device.signer(),
          MqttDeviceConfig.defaults(broker.host(), broker.port()), scheduler, MqttFixture.verifying(device.client()), Clock.systemUTC())) {
        SealedMessage sealed = device.client().seal("detergent, 2 kg".getBytes(StandardCharsets.UTF_8), false);
        byte[] first = transport.send(sealed.bytes()).orTimeout(30, TimeUnit.SECONDS).join();
        byte[] again = transport.send(sealed.bytes()).orTimeout(30, TimeUnit.SECONDS).join();

        assertThat(new String(device.client().openAnswer(sealed, first), StandardCharsets.UTF_8)).isEqualTo("detergent, 2 kg");
        assertThat(again).isEqualTo(first);
        assertThat(platform.inbox.deliveries.get()).isEqualTo(2);
        assertThat(platform.inbox.handled.get()).isEqualTo(1);
        assertThat(platform.inbox.deliverySessions.get(device.id())).hasSize(2)
            .allSatisfy(session -> assertThat(session).isEqualTo(platform.inbox.connectivitySessions.get(device.id()).get(0)));
      }
    } finally {
      scheduler.shutdownNow();
    }
  }
}

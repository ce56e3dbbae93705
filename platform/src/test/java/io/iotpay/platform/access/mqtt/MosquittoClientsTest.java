package io.iotpay.platform.access.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.agent.transport.ConnectTokens;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.access.mqtt.ConnectTokenException.Reason;
import io.iotpay.platform.access.mqtt.MqttFixture.Device;
import io.iotpay.platform.identity.DeviceId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The text form of the connect token with a stock MQTT client: the real {@code mosquitto_pub} (Debian
 * {@code mosquitto-clients}, installed by {@code .ci/setup.d/60-mosquitto-clients.sh}) connects to the
 * embedded broker with {@code -u DEVICE -P TOKEN}; a replayed or garbage token gets CONNACK 0x86.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MosquittoClientsTest {
  private static final Path MOSQUITTO_PUB = Path.of("/usr/bin/mosquitto_pub");
  private static final long RUN_SECONDS_MAX = 30;

  private MqttFixture platform;
  private EmbeddedMqttBroker broker;

  @BeforeAll
  void start(@TempDir Path tempDir) {
    Assumptions.assumeTrue(Files.isExecutable(MOSQUITTO_PUB),
        "mosquitto_pub is not installed (Debian package mosquitto-clients; .ci/setup.d/60-mosquitto-clients.sh installs it)");
    platform = new MqttFixture(tempDir);
    broker = EmbeddedMqttBroker.start(EmbeddedMqttBroker.Config.defaults(tempDir.resolve("hivemq")).withPort(0).withInMemory(true),
        platform.identity, platform.inbox, Clock.systemUTC(), MqttFixture.RANDOM);
  }

  @AfterAll
  void stop() {
    if (broker != null) {
      broker.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  private record Run(int exit, String output) {}

  private Run publish(String device, String password) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(MOSQUITTO_PUB.toString(), "-h", broker.host(), "-p", Integer.toString(broker.port()),
        "-V", "mqttv5", "-i", device, "-u", device, "-P", password, "-q", "1",
        "-t", MqttTopics.status(DeviceId.of(device)), "-m", "hello from mosquitto"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(RUN_SECONDS_MAX, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("mosquitto_pub did not finish in " + RUN_SECONDS_MAX + " s");
    }
    return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void mosquittoPub_connectsWithTheTextToken_andAReplayedOrGarbageTokenIsABadPassword(AlgorithmSuite suite) throws Exception {
    Device device = platform.enrol(suite);
    String token = ConnectTokens.createText(device.signer(), Instant.now());
    assertThat(token).matches("[A-Za-z0-9_-]+");
    long accepted = broker.stats().connectsAccepted();

    Run connected = publish(device.id().value(), token);
    assertThat(connected.exit()).as(connected.output()).isZero();
    assertThat(broker.stats().connectsAccepted()).isEqualTo(accepted + 1);

    long replays = broker.stats().connectsRefused(Reason.REPLAYED);
    Run replayed = publish(device.id().value(), token);
    assertThat(replayed.exit()).isNotZero();
    assertThat(replayed.output().toLowerCase(java.util.Locale.ROOT)).contains("user name or password");
    assertThat(broker.stats().connectsRefused(Reason.REPLAYED)).isEqualTo(replays + 1);

    Run garbage = publish(device.id().value(), "hunter2");
    assertThat(garbage.exit()).isNotZero();
    assertThat(garbage.output().toLowerCase(java.util.Locale.ROOT)).contains("user name or password");
  }
}

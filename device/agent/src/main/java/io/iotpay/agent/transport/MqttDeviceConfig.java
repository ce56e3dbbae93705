package io.iotpay.agent.transport;

import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.TrustManagerFactory;

/**
 * Settings of {@link MqttDeviceTransport}.
 *
 * @param host broker host; required
 * @param port broker port, 1..65535; default 1883
 * @param tlsTrust trust for TLS, or null for plain TCP
 * @param answerTimeout wait for an answer before resending the same bytes, 100 ms..10 min; default 5 s
 * @param resendsMax resends after the first send, 0..10; default 3 (bounds the traffic of a lost link)
 * @param pendingMax envelopes waiting for answers at once, 1..1024; default 16 (device RAM)
 * @param connectTimeout wait for connect, subscribe and close, 1 s..10 min; default 10 s
 * @param keepAlive MQTT keep-alive, 1 s..18 h; default 60 s: how soon the broker publishes the will
 * @param reconnectDelayMin first reconnect delay, default 1 s; doubles up to {@code reconnectDelayMax}, default 2 min
 * @param reconnectDelayMax see above
 */
public record MqttDeviceConfig(String host, int port, TrustManagerFactory tlsTrust, Duration answerTimeout, int resendsMax,
    int pendingMax, Duration connectTimeout, Duration keepAlive, Duration reconnectDelayMin, Duration reconnectDelayMax) {

  public MqttDeviceConfig {
    Objects.requireNonNull(host, "host");
    within("port", port, 1, 65_535);
    within("answerTimeout ms", answerTimeout.toMillis(), 100, 600_000);
    within("resendsMax", resendsMax, 0, 10);
    within("pendingMax", pendingMax, 1, 1024);
    within("connectTimeout ms", connectTimeout.toMillis(), 1000, 600_000);
    within("keepAlive s", keepAlive.toSeconds(), 1, 65_535);
    within("reconnectDelayMin ms", reconnectDelayMin.toMillis(), 1, reconnectDelayMax.toMillis());
  }

  /** The defaults for a broker at {@code host:port}, plain TCP. */
  public static MqttDeviceConfig defaults(String host, int port) {
    return new MqttDeviceConfig(host, port, null, Duration.ofSeconds(5), 3, 16, Duration.ofSeconds(10), Duration.ofSeconds(60),
        Duration.ofSeconds(1), Duration.ofMinutes(2));
  }

  public MqttDeviceConfig withTls(TrustManagerFactory value) {
    return new MqttDeviceConfig(host, port, value, answerTimeout, resendsMax, pendingMax, connectTimeout, keepAlive, reconnectDelayMin, reconnectDelayMax);
  }

  public MqttDeviceConfig withAnswerTimeout(Duration value, int resends) {
    return new MqttDeviceConfig(host, port, tlsTrust, value, resends, pendingMax, connectTimeout, keepAlive, reconnectDelayMin, reconnectDelayMax);
  }

  private static void within(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException("mqtt device transport: " + name + " " + value + " outside " + min + ".." + max);
    }
  }
}

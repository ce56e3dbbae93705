package io.iotpay.platform.access.mqtt;

import io.iotpay.foundation.InvalidInputException;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManagerFactory;

/**
 * Settings of {@link MqttPlatformBridge}: where the broker is and how to log in, and the bounds of
 * the bridge's work. The bridge speaks MQTT 5 (HiveMQ CE, Mosquitto 2, EMQX, …).
 *
 * @param host broker host; required
 * @param port broker port, 1..65535; default 1883
 * @param clientId the bridge's client id; default {@code $iotpay-bridge-1}. A leading {@code $}
 *     keeps it out of the device id space, so no device can take the bridge's session over. Give each
 *     platform node its own; keep it across restarts so the broker redelivers what was not acknowledged
 * @param username login user, or null; for the embedded broker {@link BridgeCredentials#USERNAME}
 * @param password login secret, or null; never logged
 * @param tlsTrust trust for a TLS connection, or null for plain TCP
 * @param sharedGroup shared-subscription group ({@code $share/{group}/devices/+/up}) used when the
 *     broker says it supports them, or null for a plain subscription; default {@code platform}
 * @param lanes worker threads, 1..256; default 4. A device's messages always go to the same lane,
 *     so they are handled in order
 * @param inFlightMax unacknowledged messages the broker may send at once (MQTT 5 receive maximum)
 *     and the capacity of each lane's queue, 1..65535; default 256. When a lane's queue is full the
 *     bridge stops taking messages (and so stops acknowledging) until it drains; nothing is dropped
 * @param payloadBytesMax largest envelope handed to the inbox, 1..1 MiB; default 16 KiB (the
 *     envelope's own default bound). Larger ones are refused OVERSIZED without calling the inbox
 * @param sessionExpiry how long the broker keeps the bridge's session (and queues device messages)
 *     while the bridge is away, 0..7 days; default 1 hour
 * @param connectTimeout how long {@link MqttPlatformBridge#connect} waits, 1 s..10 min; default 30 s
 */
public record MqttBridgeConfig(
    String host, int port, String clientId, String username, byte[] password, TrustManagerFactory tlsTrust,
    String sharedGroup, int lanes, int inFlightMax, int payloadBytesMax, Duration sessionExpiry, Duration connectTimeout) {
  private static final Pattern MQTT_WILDCARD = Pattern.compile(".*[/+#].*");

  public MqttBridgeConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(sessionExpiry, "sessionExpiry");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    password = password == null ? null : password.clone();
    requireWithin("port", port, 1, 65_535);
    requireWithin("lanes", lanes, 1, 256);
    requireWithin("inFlightMax", inFlightMax, 1, 65_535);
    requireWithin("payloadBytesMax", payloadBytesMax, 1, 1 << 20);
    requireWithin("sessionExpiry seconds", sessionExpiry.toSeconds(), 0, Duration.ofDays(7).toSeconds());
    requireWithin("connectTimeout seconds", connectTimeout.toSeconds(), 1, 600);
    if (clientId.isEmpty() || sharedGroup != null && (sharedGroup.isEmpty() || MQTT_WILDCARD.matcher(sharedGroup).matches())) {
      throw new InvalidInputException("mqtt bridge: clientId must not be empty and sharedGroup must be a single topic level");
    }
  }

  /** The defaults for a broker at {@code host:port} without login or TLS. */
  public static MqttBridgeConfig defaults(String host, int port) {
    return new MqttBridgeConfig(host, port, "$iotpay-bridge-1", null, null, null, "platform", 4, 256, 16 * 1024,
        Duration.ofHours(1), Duration.ofSeconds(30));
  }

  /** The defaults for the embedded broker, logged in with its bridge credentials. */
  public static MqttBridgeConfig forEmbedded(EmbeddedMqttBroker broker) {
    BridgeCredentials credentials = broker.bridgeCredentials();
    return defaults(broker.host(), broker.port()).withLogin(credentials.username(), credentials.password());
  }

  @Override
  public byte[] password() {
    return password == null ? null : password.clone();
  }

  public MqttBridgeConfig withLogin(String user, byte[] secret) {
    return new MqttBridgeConfig(host, port, clientId, user, secret, tlsTrust, sharedGroup, lanes, inFlightMax, payloadBytesMax, sessionExpiry, connectTimeout);
  }

  public MqttBridgeConfig withClientId(String value) {
    return new MqttBridgeConfig(host, port, value, username, password, tlsTrust, sharedGroup, lanes, inFlightMax, payloadBytesMax, sessionExpiry, connectTimeout);
  }

  public MqttBridgeConfig withTls(TrustManagerFactory value) {
    return new MqttBridgeConfig(host, port, clientId, username, password, value, sharedGroup, lanes, inFlightMax, payloadBytesMax, sessionExpiry, connectTimeout);
  }

  public MqttBridgeConfig withSharedGroup(String value) {
    return new MqttBridgeConfig(host, port, clientId, username, password, tlsTrust, value, lanes, inFlightMax, payloadBytesMax, sessionExpiry, connectTimeout);
  }

  public MqttBridgeConfig withLanes(int value) {
    return new MqttBridgeConfig(host, port, clientId, username, password, tlsTrust, sharedGroup, value, inFlightMax, payloadBytesMax, sessionExpiry, connectTimeout);
  }

  public MqttBridgeConfig withInFlightMax(int value) {
    return new MqttBridgeConfig(host, port, clientId, username, password, tlsTrust, sharedGroup, lanes, value, payloadBytesMax, sessionExpiry, connectTimeout);
  }

  public MqttBridgeConfig withPayloadBytesMax(int value) {
    return new MqttBridgeConfig(host, port, clientId, username, password, tlsTrust, sharedGroup, lanes, inFlightMax, value, sessionExpiry, connectTimeout);
  }

  public MqttBridgeConfig withSessionExpiry(Duration value) {
    return new MqttBridgeConfig(host, port, clientId, username, password, tlsTrust, sharedGroup, lanes, inFlightMax, payloadBytesMax, value, connectTimeout);
  }

  @Override
  public String toString() {
    return "MqttBridgeConfig[" + host + ":" + port + ", clientId=" + clientId + ", user=" + username + ", secret "
        + (password == null ? "none" : "hidden") + ", tls=" + (tlsTrust != null) + ", sharedGroup=" + sharedGroup
        + ", lanes=" + lanes + ", inFlightMax=" + inFlightMax + ", payloadBytesMax=" + payloadBytesMax + "]";
  }

  private static void requireWithin(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new InvalidInputException("mqtt bridge: " + name + " " + value + " outside " + min + ".." + max);
    }
  }
}

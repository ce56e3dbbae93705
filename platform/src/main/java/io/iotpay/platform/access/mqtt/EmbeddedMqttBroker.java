package io.iotpay.platform.access.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.platform.inbox.DeviceInbox;
import io.iotpay.platform.identity.IdentityService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HiveMQ Community Edition running inside the platform's JVM, guarded by iotpay's extension:
 * devices authenticate with a connect token (both suites) or a TLS client certificate
 * (international suite), may only use their own topics, and their connectivity is reported to the
 * {@link DeviceInbox}. The platform's {@link MqttPlatformBridge} logs in with
 * {@link #bridgeCredentials()}. See docs/mqtt.md.
 *
 * <p>HiveMQ's embedded mode keeps process-wide state: run at most one broker per JVM at a time.
 */
public final class EmbeddedMqttBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMqttBroker.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /**
   * An optional TLS listener. The keystore holds the broker's key and certificate; the truststore
   * the CAs whose device certificates the TLS layer lets through (the identity service then judges
   * the certificate itself). Client certificates are OPTIONAL on this listener: a device without
   * one authenticates with a connect token as on plain TCP.
   *
   * @param port 0 picks a free port
   */
  public record Tls(int port, Path keystore, String keystorePassword, Path truststore, String truststorePassword) {
    public Tls {
      Objects.requireNonNull(keystore, "keystore");
      Objects.requireNonNull(keystorePassword, "keystorePassword");
      Objects.requireNonNull(truststore, "truststore");
      Objects.requireNonNull(truststorePassword, "truststorePassword");
      requirePort(port);
    }

    @Override
    public String toString() {
      return "Tls[port=" + port + ", keystore=" + keystore + ", truststore=" + truststore + ", passwords hidden]";
    }
  }

  /**
   * Broker settings.
   *
   * @param host address to listen on; default 127.0.0.1
   * @param port TCP port, 0 = pick a free one (see {@link #port()}); default 1883
   * @param dataDirectory where HiveMQ keeps its configuration and data; required
   * @param packetBytesMax largest MQTT packet accepted, 1 KiB..1 MiB; default 32 KiB (an envelope is at
   *     most 16 KiB): bounds the memory a client can make the broker hold per message
   * @param connectTokenSkewMax largest |now − issued-at| of a connect token, 1 s..1 h; default 5 min
   * @param connectTokensTrackedMax devices whose last token is remembered against replay,
   *     1..10 000 000; default 1 000 000
   * @param inMemory keep sessions in memory only (lost on restart); default false
   * @param tls an extra TLS listener, or null for none
   * @param deliverInBroker hand each device's up-topic PUBLISH to the inbox inside the broker and
   *     publish the reply from there (no bridge needed: half the broker hops); the device's PUBLISH is
   *     acknowledged only once the reply is on its way. Default false (a bridge subscribes instead).
   */
  public record Config(String host, int port, Path dataDirectory, int packetBytesMax, Duration connectTokenSkewMax,
      int connectTokensTrackedMax, boolean inMemory, Tls tls, boolean deliverInBroker) {
    public static final int PACKET_BYTES_MAX_DEFAULT = 32 * 1024;

    public Config {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(dataDirectory, "dataDirectory");
      Objects.requireNonNull(connectTokenSkewMax, "connectTokenSkewMax");
      requirePort(port);
      if (packetBytesMax < 1024 || packetBytesMax > 1 << 20) {
        throw new InvalidInputException("mqtt broker: packetBytesMax " + packetBytesMax + " outside 1024..1048576");
      }
      if (connectTokenSkewMax.compareTo(Duration.ofSeconds(1)) < 0 || connectTokenSkewMax.compareTo(Duration.ofHours(1)) > 0) {
        throw new InvalidInputException("mqtt broker: connectTokenSkewMax " + connectTokenSkewMax + " outside 1 s..1 h");
      }
      if (connectTokensTrackedMax < 1 || connectTokensTrackedMax > 10_000_000) {
        throw new InvalidInputException("mqtt broker: connectTokensTrackedMax " + connectTokensTrackedMax + " outside 1..10000000");
      }
    }

    /** The defaults, on 127.0.0.1:1883, keeping data under {@code dataDirectory}. */
    public static Config defaults(Path dataDirectory) {
      return new Config("127.0.0.1", 1883, dataDirectory, PACKET_BYTES_MAX_DEFAULT, Duration.ofMinutes(5), 1_000_000, false, null, false);
    }

    public Config withHost(String value) {
      return new Config(value, port, dataDirectory, packetBytesMax, connectTokenSkewMax, connectTokensTrackedMax, inMemory, tls, deliverInBroker);
    }

    public Config withPort(int value) {
      return new Config(host, value, dataDirectory, packetBytesMax, connectTokenSkewMax, connectTokensTrackedMax, inMemory, tls, deliverInBroker);
    }

    public Config withPacketBytesMax(int value) {
      return new Config(host, port, dataDirectory, value, connectTokenSkewMax, connectTokensTrackedMax, inMemory, tls, deliverInBroker);
    }

    public Config withConnectTokenSkewMax(Duration value) {
      return new Config(host, port, dataDirectory, packetBytesMax, value, connectTokensTrackedMax, inMemory, tls, deliverInBroker);
    }

    public Config withInMemory(boolean value) {
      return new Config(host, port, dataDirectory, packetBytesMax, connectTokenSkewMax, connectTokensTrackedMax, value, tls, deliverInBroker);
    }

    public Config withDeliverInBroker(boolean value) {
      return new Config(host, port, dataDirectory, packetBytesMax, connectTokenSkewMax, connectTokensTrackedMax, inMemory, tls, value);
    }

    public Config withTls(Tls value) {
      return new Config(host, port, dataDirectory, packetBytesMax, connectTokenSkewMax, connectTokensTrackedMax, inMemory, value, deliverInBroker);
    }
  }

  private final EmbeddedHiveMQ hivemq;
  private final BridgeCredentials bridgeCredentials;
  private final MqttBrokerStats.Counters counters;
  private final Config config;
  private final int port;
  private final int tlsPort;

  private EmbeddedMqttBroker(Config config, int port, int tlsPort, EmbeddedHiveMQ hivemq, BridgeCredentials bridgeCredentials,
      MqttBrokerStats.Counters counters) {
    this.config = config;
    this.counters = counters;
    this.port = port;
    this.tlsPort = tlsPort;
    this.hivemq = hivemq;
    this.bridgeCredentials = bridgeCredentials;
  }

  /**
   * Starts the broker and waits until it listens.
   *
   * @throws InvalidInputException when the data directory cannot be prepared
   * @throws IllegalStateException when HiveMQ does not start within 60 s (port taken, another
   *     embedded broker running in this JVM, …), with HiveMQ's exception as the cause
   */
  public static EmbeddedMqttBroker start(Config config, IdentityService identity, DeviceInbox inbox, Clock clock, SecureRandom random) {
    int port = config.port() == 0 ? freePort(config.host()) : config.port();
    int tlsPort = config.tls() == null ? -1 : config.tls().port() == 0 ? freePort(config.host()) : config.tls().port();
    Path configFolder = config.dataDirectory().resolve("conf");
    Path dataFolder = config.dataDirectory().resolve("data");
    Path extensionsFolder = config.dataDirectory().resolve("extensions");
    try {
      Files.createDirectories(configFolder);
      Files.createDirectories(dataFolder);
      Files.createDirectories(extensionsFolder);
      Files.writeString(configFolder.resolve("config.xml"), HiveMqConfigXml.render(config, port, tlsPort), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidInputException("mqtt broker: cannot prepare " + config.dataDirectory() + ": " + e.getMessage(), e);
    }
    BridgeCredentials credentials = BridgeCredentials.generate(random);
    MqttBrokerStats.Counters counters = new MqttBrokerStats.Counters();
    BrokerGuard guard = new BrokerGuard(identity, inbox, config, credentials, clock, counters);
    EmbeddedExtension extension = EmbeddedExtension.builder()
        .withId("iotpay-guard").withName("iotpay device guard").withVersion("1").withAuthor("iotpay")
        .withPriority(1000).withStartPriority(1000).withExtensionMain(guard).build();
    EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
        .withConfigurationFolder(configFolder).withDataFolder(dataFolder).withExtensionsFolder(extensionsFolder)
        .withEmbeddedExtension(extension).withoutLoggingBootstrap().build();
    try {
      hivemq.start().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(hivemq);
      throw new IllegalStateException("mqtt broker: interrupted while starting", e);
    } catch (ExecutionException | TimeoutException e) {
      closeQuietly(hivemq);
      throw new IllegalStateException("mqtt broker: HiveMQ did not start on " + config.host() + ":" + port + ": " + e.getMessage(), e);
    }
    EmbeddedMqttBroker broker = new EmbeddedMqttBroker(config, port, tlsPort, hivemq, credentials, counters);
    LOG.info("MQTT broker started [host={}, port={}, tlsPort={}]", config.host(), port, tlsPort);
    return broker;
  }

  /** The TCP port the broker listens on (the chosen one when the config said 0). */
  public int port() {
    return port;
  }

  /** The TLS port, or -1 when no TLS listener is configured. */
  public int tlsPort() {
    return tlsPort;
  }

  /** The address the broker listens on. */
  public String host() {
    return config.host();
  }

  /** The login of the platform bridge; never null. */
  public BridgeCredentials bridgeCredentials() {
    return bridgeCredentials;
  }

  /** What the guard accepted and refused since start; never null. */
  public MqttBrokerStats stats() {
    return counters.snapshot();
  }

  /** Stops the broker; connected clients are disconnected. */
  @Override
  public void close() {
    try {
      hivemq.stop().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("MQTT broker did not stop cleanly [port={}]", port, e);
    } finally {
      closeQuietly(hivemq);
    }
  }

  private static void closeQuietly(EmbeddedHiveMQ hivemq) {
    try {
      hivemq.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RuntimeException e) {
      LOG.warn("MQTT broker close failed", e);
    }
  }

  /** A port free now; another process could take it before HiveMQ binds, which then fails to start. */
  private static int freePort(String host) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("mqtt broker: no free port on " + host, e);
    }
  }

  private static void requirePort(int port) {
    if (port < 0 || port > 65_535) {
      throw new InvalidInputException("mqtt broker: port " + port + " outside 0..65535");
    }
  }
}

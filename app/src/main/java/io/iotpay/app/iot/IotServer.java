package io.iotpay.app.iot;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.TlsIdentity;
import io.iotpay.platform.access.coap.CoapAccessConfig;
import io.iotpay.platform.access.coap.CoapAccessServer;
import io.iotpay.platform.access.coap.DevicePskDeriver;
import io.iotpay.platform.operator.AccountOwnership;
import io.iotpay.platform.operator.DirectoryServices;
import io.iotpay.platform.operator.HttpApiConfig;
import io.iotpay.platform.operator.HttpApiServices;
import io.iotpay.platform.operator.HttpAuth;
import io.iotpay.platform.operator.PlatformHttpApi;
import io.iotpay.protocol.metrics.AuthorisationMetrics;
import io.iotpay.protocol.metrics.PartyMetrics;
import io.iotpay.platform.operator.StoredAccountOwners;
import io.iotpay.platform.operator.StoredUsers;
import io.iotpay.platform.operator.UserTokens;
import io.iotpay.platform.access.mqtt.EmbeddedMqttBroker;
import io.iotpay.platform.access.mqtt.MqttBridgeConfig;
import io.iotpay.platform.access.mqtt.MqttPlatformBridge;
import io.iotpay.platform.identity.DeviceRegistry;
import io.iotpay.platform.inbox.InboxPipeline;
import io.iotpay.platform.keys.OwnerOnlyFiles;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * The platform's doors around one {@link IotNode}: the embedded MQTT broker (HiveMQ CE with iotpay's
 * guard, delivering device envelopes to the inbox from inside the broker) or a bridge to an external
 * broker, CoAP over DTLS, and the HTTP API — all handing envelopes to one batching
 * {@link InboxPipeline}. What {@code iotpay serve} runs and what {@code iotpay demo iot} and
 * {@code iotpay bench iot} talk to over real sockets.
 */
public final class IotServer implements AutoCloseable {
  /**
   * Where to listen. Port 0 picks a free port; a negative port leaves that door closed.
   *
   * @param operatorToken the HTTP API's operator bearer token, at least 32 characters
   * @param pskMasterKey the CoAP PSK master key, 32..64 bytes
   * @param tls the server's TLS key and certificate, or null for none: with it the HTTP API and the
   *     console are served over TLS only (the console's cookie {@code Secure}), and the embedded broker
   *     opens a TLS listener on {@code mqttsPort}
   * @param mqttsPort the embedded broker's TLS listener (beside its TCP one), 0 for a free port, negative
   *     for none; needs {@code tls}
   */
  public record Options(String host, int mqttPort, int coapsPort, int httpPort, Path dataDir, String operatorToken,
      UserTokens users, AccountOwnership accounts, byte[] pskMasterKey, int openThreads, int batchMax, TlsIdentity tls, int mqttsPort) {
    public Options {
      if (mqttsPort >= 0 && tls == null) {
        throw new IllegalArgumentException("an MQTT TLS listener needs the TLS key and certificate");
      }
    }

    /** Plain HTTP, no MQTT TLS listener. */
    public Options(String host, int mqttPort, int coapsPort, int httpPort, Path dataDir, String operatorToken,
        UserTokens users, AccountOwnership accounts, byte[] pskMasterKey, int openThreads, int batchMax) {
      this(host, mqttPort, coapsPort, httpPort, dataDir, operatorToken, users, accounts, pskMasterKey, openThreads, batchMax, null, -1);
    }
  }

  public final IotNode node;
  public final InboxPipeline pipeline;
  public final EmbeddedMqttBroker broker;
  public final MqttPlatformBridge bridge;
  public final CoapAccessServer coap;
  public final PlatformHttpApi http;
  public final DevicePskDeriver psks;
  private final String host;

  private IotServer(IotNode node, Options options, SecureRandom random, MqttBridgeConfig externalBroker) {
    this.node = node;
    this.host = options.host();
    this.pipeline = new InboxPipeline(node.inbox, node.envelopes, options.openThreads(), options.batchMax(), 100_000);
    EmbeddedMqttBroker startedBroker = null;
    MqttPlatformBridge startedBridge = null;
    CoapAccessServer startedCoap = null;
    PlatformHttpApi startedHttp = null;
    this.psks = new DevicePskDeriver(options.pskMasterKey());
    try {
      if (externalBroker != null) {
        // Devices connect to that broker, which authenticates them by its own configuration; the platform
        // still checks every envelope end to end and that it came on its own device's topic.
        startedBridge = MqttPlatformBridge.connect(externalBroker, pipeline);
      } else if (options.mqttPort() >= 0) {
        // The embedded broker hands device envelopes to the inbox itself (no bridge: half the broker hops).
        Path mqttDir = createOwnerOnly(options.dataDir().resolve("mqtt"));
        EmbeddedMqttBroker.Config brokerConfig = EmbeddedMqttBroker.Config.defaults(mqttDir)
            .withHost(options.host()).withPort(options.mqttPort()).withInMemory(true).withDeliverInBroker(true);
        if (options.mqttsPort() >= 0) {
          brokerConfig = brokerConfig.withTls(mqttTls(mqttDir, options.tls(), node.deviceCas.get(AlgorithmSuite.INTERNATIONAL).certificate(),
              options.mqttsPort()));
        }
        startedBroker = EmbeddedMqttBroker.start(brokerConfig, node.identity, pipeline, Clock.systemUTC(), random);
        // HiveMQ writes its config and id files with the umask: restrict them like every other file of the node.
        restrictTree(mqttDir);
      }
      if (options.coapsPort() >= 0) {
        startedCoap = CoapAccessServer.start(CoapAccessConfig.builder()
            .dtlsAddress(new InetSocketAddress(options.host(), options.coapsPort())).build(), node.identity, psks, pipeline);
      }
      if (options.httpPort() >= 0) {
        // Users and account holders the operator made through the API, and those of the optional properties files.
        StoredUsers users = new StoredUsers(node.database, random);
        StoredAccountOwners holders = new StoredAccountOwners(node.database);
        UserTokens tokens = token -> users.userOf(token).or(() -> options.users().userOf(token));
        AccountOwnership ownership = (user, account) -> holders.holds(user, account) || options.accounts().holds(user, account);
        HttpApiServices services = new HttpApiServices(node.identity, new DeviceRegistry(node.database), node.merchants, node.mandates,
            node.decisions, node.states, pipeline, node.clock, new HttpAuth(options.operatorToken(), tokens, ownership));
        DirectoryServices directory = new DirectoryServices(users, holders, node.accounts(), device -> psks.derive(device),
            leaf -> node.auditLog.appendStandalone(java.util.List.of(leaf)));
        HttpApiConfig http = options.tls() == null ? HttpApiConfig.defaults() : HttpApiConfig.defaults().withTls(options.tls());
        startedHttp = new PlatformHttpApi(services, http, directory).mount(IotConsole.of(node, services));
        // The issuer host's answers by response code, in the same /metrics (iotpay_authorisations_total).
        node.meterAuthorisations(PartyMetrics.authorisations(startedHttp.metrics()));
        startedHttp.start(options.host(), options.httpPort());
      }
    } catch (RuntimeException e) {
      node.meterAuthorisations(AuthorisationMetrics.NONE);
      closeQuietly(startedHttp);
      closeQuietly(startedCoap);
      closeQuietly(startedBridge);
      closeQuietly(startedBroker);
      pipeline.close();
      throw e;
    }
    this.broker = startedBroker;
    this.bridge = startedBridge;
    this.coap = startedCoap;
    this.http = startedHttp;
  }

  /** Opens every door of {@code options} around {@code node} (which the caller keeps and closes after this). */
  public static IotServer start(IotNode node, Options options, SecureRandom random) {
    return new IotServer(node, options, random, null);
  }

  /**
   * As {@link #start(IotNode, Options, SecureRandom)}, with the MQTT door on an external broker
   * (Mosquitto, EMQX, any MQTT 5 broker) instead of the embedded one: the bridge subscribes there.
   */
  public static IotServer start(IotNode node, Options options, SecureRandom random, MqttBridgeConfig externalBroker) {
    return new IotServer(node, options, random, Objects.requireNonNull(externalBroker, "externalBroker"));
  }

  public String host() {
    return host;
  }

  /** Stops the doors first (no new messages), then the pipeline (finishing what it admitted). */
  @Override
  public void close() {
    node.meterAuthorisations(AuthorisationMetrics.NONE);
    closeQuietly(http);
    closeQuietly(coap);
    closeQuietly(bridge);
    closeQuietly(broker);
    pipeline.close();
  }

  /**
   * The broker's TLS listener: HiveMQ reads its key and trust stores from files, so the TLS key and
   * certificate go into {@code mqtt/tls/server.p12} and the international device CA (devices of that
   * suite may present their certificate; SM2 has no JSSE trust store, national devices use tokens) into
   * {@code mqtt/tls/device-cas.p12}, owner-only, under the identity's random password (which HiveMQ's
   * {@code config.xml}, owner-only too, holds).
   */
  private static EmbeddedMqttBroker.Tls mqttTls(Path mqttDir, TlsIdentity tls, java.security.cert.X509Certificate deviceCa, int port) {
    Path dir = createOwnerOnly(mqttDir.resolve("tls"));
    try {
      java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("device-ca-international", deviceCa);
      Path keystore = writeOwnerOnly(dir.resolve("server.p12"), tls.keyStore(), tls.password());
      Path truststore = writeOwnerOnly(dir.resolve("device-cas.p12"), trust, tls.password());
      return new EmbeddedMqttBroker.Tls(port, keystore, tls.password(), truststore, tls.password());
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot write the MQTT TLS key stores into " + dir, e);
    }
  }

  private static Path writeOwnerOnly(Path file, java.security.KeyStore store, String password)
      throws java.io.IOException, java.security.GeneralSecurityException {
    java.nio.file.Files.deleteIfExists(file);
    java.nio.file.Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(OwnerOnlyFiles.FILE));
    try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return file;
  }

  private static Path createOwnerOnly(Path dir) {
    try {
      return OwnerOnlyFiles.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot make " + dir, e);
    }
  }

  private static void restrictTree(Path dir) {
    try {
      OwnerOnlyFiles.restrictTree(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot restrict " + dir, e);
    }
  }

  private static void closeQuietly(AutoCloseable door) {
    if (door == null) {
      return;
    }
    try {
      door.close();
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger(IotServer.class).warn("Closing {} failed", door.getClass().getSimpleName(), e);
    }
  }
}

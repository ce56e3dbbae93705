package io.iotpay.app.cli;

import io.iotpay.app.iot.IotNode;
import io.iotpay.app.iot.IotServer;
import io.iotpay.platform.keys.OwnerOnlyFiles;
import io.iotpay.platform.keys.PlatformKeyStore;
import io.iotpay.platform.keys.PlatformKeys;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.TlsIdentity;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.SystemBusinessClock;
import io.iotpay.platform.operator.AccountOwnership;
import io.iotpay.platform.operator.UserTokens;
import io.iotpay.platform.risk.RiskConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay serve}: one IoT platform node with its doors open — MQTT (embedded broker), CoAP over
 * DTLS and the HTTP API — on a SQLite file and persistent platform keys in {@code --data-dir}, until
 * SIGTERM or SIGINT. Prints one line per door with its bound address (port 0 picks a free port).
 * A port in use exits 2 naming the port and its option. docs/serve.md.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run one IoT platform node: MQTT broker, CoAP/DTLS and the HTTP API around a SQLite database,",
      "with device CAs, answer keys and the audit key kept (sealed under a master key) in --data-dir.",
      "Stops cleanly on SIGTERM/SIGINT. Master key: env " + PlatformKeyStore.MASTER_KEY_ENV
          + " (32 hex digits), else <data-dir>/master.key (made on first start)."
    })
public final class ServeCommand implements Callable<Integer> {
  /** Largest users.properties / accounts.properties read, bytes. */
  public static final int PROPERTIES_BYTES_MAX = 1024 * 1024;
  /** Most entries in users.properties / accounts.properties. */
  public static final int PROPERTIES_ENTRIES_MAX = 100_000;
  /** The database file in the data directory. */
  public static final String DATABASE_FILE = "iotpay-serve.db";

  private static final String USER_ID_PATTERN = "[A-Za-z0-9-]{1,64}";
  private static final int USER_TOKEN_CHARS_MAX = 512;

  @Option(names = "--data-dir", description = "database, platform keys and user files (default: ${DEFAULT-VALUE})")
  Path dataDir = Path.of("iotpay-data", "serve");

  @Option(names = "--host", description = "address every door binds to (default: ${DEFAULT-VALUE})")
  String host = "127.0.0.1";

  @Option(names = "--mqtt-port", description = "MQTT broker port, 0 = any free port, -1 = closed (default: ${DEFAULT-VALUE})")
  int mqttPort = 18830;

  @Option(names = "--coaps-port", description = "CoAP over DTLS port (UDP), 0 = any free port, -1 = closed (default: ${DEFAULT-VALUE})")
  int coapsPort = 5684;

  @Option(names = "--http-port", description = "HTTP API port, 0 = any free port, -1 = closed (default: ${DEFAULT-VALUE})")
  int httpPort = 8480;

  @Option(names = "--audit-suite", description = "audit log suite at first start: INTERNATIONAL or NATIONAL (default: ${DEFAULT-VALUE})")
  String auditSuite = "NATIONAL";

  @Option(names = "--mqtt-broker", description = "use this external MQTT 5 broker (tcp://host:port, e.g. Mosquitto) instead of the embedded one")
  java.net.URI mqttBroker;

  @Option(names = "--db", paramLabel = "JDBC-URL", description = "the database: jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB?user=…"
      + " (default: jdbc:sqlite:<data-dir>/" + DATABASE_FILE + ")")
  String db;

  @Option(names = "--write-operator-token", description = "write <data-dir>/operator.token again if it was deleted")
  boolean writeOperatorToken;

  @Mixin TlsOptions tls = new TlsOptions();

  @Option(names = "--mqtts-port", description = "MQTT over TLS port of the embedded broker, beside --mqtt-port; needs --tls-cert and --tls-key;"
      + " 0 = any free port, -1 = closed (default: ${DEFAULT-VALUE})")
  int mqttsPort = -1;

  @Spec CommandSpec spec;

  /** The environment (the master-key variable); tests replace it. */
  Function<String, String> environment = System::getenv;

  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Object lifecycle = new Object();
  private IotServer server;
  private IotNode node;
  private boolean stopping;
  private PrintWriter stopLog;

  @Override
  public Integer call() throws Exception {
    try {
      return serve();
    } finally {
      started.countDown(); // a start that failed releases its waiters too
    }
  }

  /**
   * Waits until the doors are open (the start-up lines are printed) or the start failed.
   *
   * @return false when {@code timeout} passed first
   */
  public boolean awaitStarted(Duration timeout) throws InterruptedException {
    return started.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private int serve() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AlgorithmSuite requestedSuite = AlgorithmSuite.byName(auditSuite);
    String jdbcUrl = db != null ? db : "jdbc:sqlite:" + dataDir.resolve(DATABASE_FILE);
    if (!supportedDatabase(jdbcUrl)) {
      err.println("iotpay serve: --db " + printable(jdbcUrl) + " is not jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB");
      err.flush();
      return 2;
    }
    TlsIdentity serverTls;
    try {
      serverTls = tls.read();
      if (mqttsPort >= 0 && (serverTls == null || mqttBroker != null || mqttPort < 0)) {
        throw new InvalidInputException("--mqtts-port needs --tls-cert and --tls-key and the embedded broker (--mqtt-port not -1, no --mqtt-broker)");
      }
    } catch (InvalidInputException e) {
      err.println("iotpay serve: " + e.getMessage());
      err.flush();
      return 2;
    }
    String portProblem = portInUse();
    if (portProblem != null) {
      err.println("iotpay serve: " + portProblem);
      err.flush();
      return 2;
    }
    SecureRandom random = new SecureRandom();
    OwnerOnlyFiles.createDirectories(dataDir);
    boolean firstStart = !Files.exists(dataDir.resolve(PlatformKeyStore.DIRECTORY));
    PlatformKeyStore.MasterKey master = PlatformKeyStore.masterKey(dataDir, environment.apply(PlatformKeyStore.MASTER_KEY_ENV), random);
    SystemBusinessClock clock = new SystemBusinessClock(BusinessDayRule.UTC_MIDNIGHT);
    PlatformKeys keys = PlatformKeyStore.openOrCreate(dataDir, master.key(), requestedSuite, clock.now().minus(Duration.ofDays(1)), random);
    if (keys.auditSuite() != requestedSuite && spec.commandLine().getParseResult().hasMatchedOption("--audit-suite")) {
      err.println("iotpay serve: the audit suite was fixed at first start: " + keys.auditSuite() + " (--audit-suite " + requestedSuite
          + " ignored)");
    }
    Path tokenFile = dataDir.resolve("operator.token");
    if ((firstStart || writeOperatorToken) && !PlatformKeyStore.exportOperatorToken(keys, tokenFile)
        && !holdsToken(tokenFile, keys.operatorToken())) {
      err.println("iotpay serve: " + tokenFile + " exists and does not hold this node's operator token (left as it is); delete it and "
          + "start with --write-operator-token");
    }
    IotServer.Options options = new IotServer.Options(host, mqttPort, coapsPort, httpPort, dataDir, keys.operatorToken(),
        readUsers(dataDir.resolve("users.properties")), readAccounts(dataDir.resolve("accounts.properties")), keys.pskMasterKey(),
        Math.max(2, Runtime.getRuntime().availableProcessors()), 256, serverTls, mqttsPort);
    if (!open(jdbcUrl, clock, keys, options, random, err)) {
      return 2;
    }
    synchronized (lifecycle) {
      stopLog = err;
    }
    Thread hook = new Thread(this::stop, "iotpay-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    printStarted(out, master, keys, tokenFile);
    started.countDown();
    stopped.await();
    removeHook(hook);
    return 0;
  }

  /**
   * Closes the doors, then the node, and lets {@link #call()} return. Safe to call more than once
   * and from any thread (the shutdown hook calls it on SIGTERM/SIGINT).
   */
  public void stop() {
    synchronized (lifecycle) {
      if (stopping) {
        return;
      }
      stopping = true;
      if (server != null) {
        server.close();
      }
      if (node != null) {
        node.close();
      }
      if (stopLog != null) {
        // Said here, not after call() wakes: on SIGTERM the JVM may halt as soon as this hook returns.
        stopLog.println("iotpay serve: stopped");
        stopLog.flush();
      }
    }
    stopped.countDown();
  }

  private boolean open(String jdbcUrl, SystemBusinessClock clock, PlatformKeys keys, IotServer.Options options, SecureRandom random,
      PrintWriter err) throws Exception {
    synchronized (lifecycle) {
      try {
        // The issuer's secrets file sits in the data directory whatever the database is.
        node = new IotNode(jdbcUrl, dataDir.resolve(DATABASE_FILE), clock, keys, RiskConfig.defaults(), random);
      } catch (RuntimeException e) {
        java.sql.SQLException cause = sqlCause(e);
        if (cause == null) {
          throw e;
        }
        err.println("iotpay serve: cannot open the database " + printable(jdbcUrl) + " (" + oneLine(cause.getMessage()) + ")");
        err.flush();
        return false;
      }
      try {
        server = mqttBroker == null ? IotServer.start(node, options, random)
            : IotServer.start(node, options, random, externalBroker(mqttBroker));
        return true;
      } catch (RuntimeException e) {
        node.close();
        node = null;
        if (!causedByBind(e)) {
          throw e;
        }
        // Another process took a port between the check and the start: the cause does not say which.
        err.println("iotpay serve: a port is in use (" + e.getMessage() + "); change --mqtt-port, --coaps-port or --http-port");
        err.flush();
        return false;
      }
    }
  }

  /** The bridge's settings for {@code tcp://host:port}. */
  static io.iotpay.platform.access.mqtt.MqttBridgeConfig externalBroker(java.net.URI uri) {
    if (!"tcp".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1) {
      throw new io.iotpay.foundation.InvalidInputException("--mqtt-broker " + uri + " is not tcp://host:port");
    }
    return io.iotpay.platform.access.mqtt.MqttBridgeConfig.defaults(uri.getHost(), uri.getPort());
  }

  private void printStarted(PrintWriter out, PlatformKeyStore.MasterKey master, PlatformKeys keys, Path tokenFile) {
    out.println("iotpay serve: data " + dataDir.toAbsolutePath() + ", master key from " + master.source());
    out.println("  db     " + printable(db != null ? db : "jdbc:sqlite:" + dataDir.resolve(DATABASE_FILE).toAbsolutePath()));
    if (server.broker != null) {
      out.println("  mqtt   tcp://" + server.broker.host() + ":" + server.broker.port());
      if (server.broker.tlsPort() > 0) {
        out.println("  mqtts  ssl://" + server.broker.host() + ":" + server.broker.tlsPort());
      }
    } else if (mqttBroker != null) {
      out.println("  mqtt   " + mqttBroker + " (external broker; the platform subscribes there)");
    }
    if (server.coap != null) {
      InetSocketAddress coap = server.coap.dtlsAddress();
      out.println("  coaps  coaps://" + coap.getHostString() + ":" + coap.getPort());
    }
    if (server.http != null) {
      out.println("  http   " + (server.http.tls() ? "https" : "http") + "://" + host + ":" + server.http.port());
    }
    out.println("  operator token  " + (Files.exists(tokenFile) ? tokenFile.toAbsolutePath()
        : "not on disk (start with --write-operator-token to write " + tokenFile.toAbsolutePath() + ")"));
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      out.println("  device CA " + suite + "  " + PlatformKeyStore.caCertificateFile(dataDir, suite).toAbsolutePath());
      out.println("  answer key " + suite + " (kid " + keys.answerKey(suite).keyId() + ")  "
          + PlatformKeyStore.answerPublicKeyFile(dataDir, suite).toAbsolutePath());
    }
    out.println("  audit log " + keys.auditSuite() + ", public key " + PlatformKeyStore.auditPublicKeyFile(dataDir).toAbsolutePath());
    out.println("iotpay serve: ready (SIGTERM or Ctrl-C stops)");
    out.flush();
  }

  private static boolean supportedDatabase(String jdbcUrl) {
    try {
      io.iotpay.foundation.store.Database.dialectOf(jdbcUrl);
      return true;
    } catch (InvalidInputException e) {
      return false;
    }
  }

  /** The first SQLException among the causes (the pool and the migrations wrap it), or null. */
  private static java.sql.SQLException sqlCause(Throwable e) {
    int depth = 0;
    for (Throwable cause = e; cause != null && depth < 16; cause = cause.getCause(), depth++) {
      if (cause instanceof java.sql.SQLException sql) {
        return sql;
      }
    }
    return null;
  }

  private static String oneLine(String text) {
    String line = text == null ? "no detail" : text.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }

  /** A JDBC URL without what may be secret: its query (user, password) and any user info. */
  static String printable(String jdbcUrl) {
    String noQuery = jdbcUrl.split("\\?", 2)[0];
    return noQuery.replaceFirst("//[^/@]*@", "//");
  }

  /** One line naming the first configured port already taken, or null when all are free. */
  private String portInUse() throws IOException {
    InetAddress address = InetAddress.getByName(host);
    if (mqttBroker == null && mqttPort > 0 && !tcpFree(address, mqttPort)) {
      return "port " + mqttPort + " (MQTT) is in use on " + host + "; choose another with --mqtt-port";
    }
    if (mqttBroker == null && mqttsPort > 0 && !tcpFree(address, mqttsPort)) {
      return "port " + mqttsPort + " (MQTT over TLS) is in use on " + host + "; choose another with --mqtts-port";
    }
    if (httpPort > 0 && !tcpFree(address, httpPort)) {
      return "port " + httpPort + " (HTTP) is in use on " + host + "; choose another with --http-port";
    }
    if (coapsPort > 0 && !udpFree(address, coapsPort)) {
      return "port " + coapsPort + " (CoAP/DTLS, UDP) is in use on " + host + "; choose another with --coaps-port";
    }
    return null;
  }

  private static boolean tcpFree(InetAddress address, int port) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(address, port));
      return true;
    } catch (BindException e) {
      return false;
    }
  }

  private static boolean udpFree(InetAddress address, int port) throws IOException {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, port))) {
      return true;
    } catch (BindException e) {
      return false;
    }
  }

  /** Whether {@code file} holds {@code token} (compared in constant time); false when unreadable or too long. */
  private static boolean holdsToken(Path file, String token) {
    try {
      if (Files.size(file) > 2L * token.length() + 2) {
        return false;
      }
      byte[] held = Files.readString(file, StandardCharsets.US_ASCII).strip().getBytes(StandardCharsets.US_ASCII);
      return java.security.MessageDigest.isEqual(held, token.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean causedByBind(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook is what stopped us, nothing to remove.
    }
  }

  /**
   * User tokens from {@code file} ({@code token=userId} lines); none when the file is absent.
   *
   * @throws InvalidInputException naming the file and line's key kind for an entry that is not a
   *     token (1..512 characters) and a user id (1..64 of {@code A-Z a-z 0-9 -}), or a file over its bounds
   */
  public static UserTokens readUsers(Path file) throws IOException {
    Map<String, String> users = new HashMap<>();
    readProperties(file).forEach((token, user) -> {
      if (token.isEmpty() || token.length() > USER_TOKEN_CHARS_MAX || !user.matches(USER_ID_PATTERN)) {
        throw new InvalidInputException(file + ": an entry is not token=userId (token 1.." + USER_TOKEN_CHARS_MAX
            + " characters, user id 1..64 of A-Z a-z 0-9 -)");
      }
      users.put(token, user);
    });
    return UserTokens.inMemory(users);
  }

  /**
   * Account ownership from {@code file} ({@code accountId=userId} lines); nobody holds any account
   * when the file is absent.
   *
   * @throws InvalidInputException naming the file and entry for an account id that is not a positive
   *     number or a user id that is not 1..64 of {@code A-Z a-z 0-9 -}, or a file over its bounds
   */
  public static AccountOwnership readAccounts(Path file) throws IOException {
    Map<Long, String> owners = new HashMap<>();
    readProperties(file).forEach((account, user) -> {
      long accountId = parseAccountId(account);
      if (accountId <= 0 || !user.matches(USER_ID_PATTERN)) {
        throw new InvalidInputException(file + ": entry '" + abbreviate(account) + "' is not accountId=userId (positive account id, "
            + "user id 1..64 of A-Z a-z 0-9 -)");
      }
      owners.put(accountId, user);
    });
    Map<Long, String> frozen = Map.copyOf(owners);
    return (userId, accountId) -> userId.equals(frozen.get(accountId));
  }

  /** The entries of a bounded properties file; empty when the file is absent. */
  static Map<String, String> readProperties(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Map.of();
    }
    long size = Files.size(file);
    if (size > PROPERTIES_BYTES_MAX) {
      throw new InvalidInputException(file + " is " + size + " bytes, more than " + PROPERTIES_BYTES_MAX);
    }
    return parseProperties(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
  }

  /**
   * The entries of properties text (keys and values trimmed).
   *
   * @throws InvalidInputException naming {@code source} for malformed text or more than
   *     {@link #PROPERTIES_ENTRIES_MAX} entries
   */
  static Map<String, String> parseProperties(String source, String text) {
    if (text.length() > PROPERTIES_BYTES_MAX) {
      throw new InvalidInputException(source + " is longer than " + PROPERTIES_BYTES_MAX + " characters");
    }
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidInputException(source + " is not a properties file (" + e.getMessage() + ")");
    }
    if (properties.size() > PROPERTIES_ENTRIES_MAX) {
      throw new InvalidInputException(source + " has " + properties.size() + " entries, more than " + PROPERTIES_ENTRIES_MAX);
    }
    Map<String, String> entries = new HashMap<>();
    for (String key : properties.stringPropertyNames()) {
      entries.put(key.strip(), properties.getProperty(key).strip());
    }
    return entries;
  }

  private static long parseAccountId(String text) {
    if (!text.matches("[0-9]{1,18}")) {
      return -1;
    }
    return Long.parseLong(text);
  }

  private static String abbreviate(String text) {
    return text.length() <= 32 ? text : text.substring(0, 32) + "…";
  }
}

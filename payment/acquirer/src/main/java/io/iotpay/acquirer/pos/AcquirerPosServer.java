package io.iotpay.acquirer.pos;

import io.iotpay.acquirer.pos.console.OnboardingTrail;
import io.iotpay.acquirer.pos.http.PosHttpApi;
import io.iotpay.acquirer.pos.http.PosHttpConfig;
import io.iotpay.acquirer.pos.merchant.InMemorySettlementAccountCheck;
import io.iotpay.acquirer.pos.merchant.KeyedHash;
import io.iotpay.acquirer.pos.merchant.OnboardingConfig;
import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.merchant.SanctionsList;
import io.iotpay.acquirer.pos.merchant.SettlementAccountCheck;
import io.iotpay.acquirer.pos.merchant.TerminalCa;
import io.iotpay.acquirer.pos.store.JdbcOnboardingStore;
import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Certificates;
import io.iotpay.foundation.crypto.Pem;
import io.iotpay.foundation.crypto.TlsIdentity;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acquirer's onboarding server: the store and audit log on one database, the terminal CAs of
 * both suites, the sanctions list, and the HTTP API on a port. Keys (terminal CA keys and
 * certificates, the audit log's signing key, the matching and merchant-token keys) are kept as files
 * in a key directory (owner-only permissions), made on first start, so a restart keeps issuing
 * under the same CAs; production keeps them in an HSM.
 *
 * <p>To be wired into {@code iotpay party acquirer}; {@link #main} runs it alone.
 */
public final class AcquirerPosServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AcquirerPosServer.class);
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration TERMINAL_VALIDITY = Duration.ofDays(730);

  /**
   * How to run.
   *
   * @param jdbcUrl {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql:…}
   * @param suite the suite of the audit log, the matching hash and the merchant tokens
   * @param keyDirectory where the keys live (created on first start)
   * @param sanctionsFile the sanctions/deny list file, or null for an empty list
   * @param accountCheck the penny test (an {@link InMemorySettlementAccountCheck} until the ISO 8583 one exists)
   * @param tls the HTTP API's TLS key and certificate, or null for plain HTTP
   */
  public record Settings(String jdbcUrl, String host, int port, AlgorithmSuite suite, Path keyDirectory, Path sanctionsFile,
      Set<String> servedMccs, Map<String, String> operatorTokens, SettlementAccountCheck accountCheck, TlsIdentity tls) {
    public Settings {
      Assert.that(jdbcUrl != null && host != null && suite != null && keyDirectory != null && servedMccs != null
          && operatorTokens != null && accountCheck != null, "settings: only sanctionsFile and tls may be null");
    }

    /** Plain HTTP. */
    public Settings(String jdbcUrl, String host, int port, AlgorithmSuite suite, Path keyDirectory, Path sanctionsFile,
        Set<String> servedMccs, Map<String, String> operatorTokens, SettlementAccountCheck accountCheck) {
      this(jdbcUrl, host, port, suite, keyDirectory, sanctionsFile, servedMccs, operatorTokens, accountCheck, null);
    }
  }

  private final Database database;
  private final AuditLog auditLog;
  private final OnboardingService service;
  private final PosHttpApi api;

  private AcquirerPosServer(Database database, AuditLog auditLog, OnboardingService service, PosHttpApi api) {
    this.database = database;
    this.auditLog = auditLog;
    this.service = service;
    this.api = api;
  }

  /**
   * Opens the database, the audit log and the keys, and starts the HTTP API.
   *
   * @throws IOException when the key directory or the sanctions file cannot be read or written
   * @throws SQLException when the database cannot be opened
   */
  public static AcquirerPosServer start(Settings settings) throws IOException, SQLException {
    Keys keys = Keys.loadOrCreate(settings.keyDirectory(), settings.suite());
    Database database = Database.open(settings.jdbcUrl(), 4);
    AuditLog auditLog = null;
    try {
      auditLog = AuditLog.open(database, AuditLogConfig.of(settings.suite(), keys.auditKeys()));
      JdbcOnboardingStore store = JdbcOnboardingStore.open(database, auditLog);
      KeyedHash matching = new KeyedHash(settings.suite(), keys.matchingKey());
      SanctionsList sanctions = settings.sanctionsFile() == null
          ? SanctionsList.empty(matching) : SanctionsList.load(settings.sanctionsFile(), matching);
      OnboardingService service = new OnboardingService(store, OnboardingConfig.of(settings.servedMccs()), matching, sanctions,
          settings.accountCheck(), keys.terminalCas());
      PosHttpApi api = new PosHttpApi(service, PosHttpConfig.of(settings.operatorTokens(), keys.tokenKey()).withTls(settings.tls()),
              settings.suite())
          .auditTrail(new OnboardingTrail(store, auditLog)).start(settings.host(), settings.port());
      LOG.info("Acquirer onboarding server up [port={}, suite={}, sanctionsEntries={}]", api.port(), settings.suite(), sanctions.size());
      return new AcquirerPosServer(database, auditLog, service, api);
    } catch (IOException | SQLException | RuntimeException e) {
      if (auditLog != null) {
        auditLog.close();
      }
      database.close();
      throw e;
    }
  }

  public int port() {
    return api.port();
  }

  /** Whether the HTTP API is served over TLS. */
  public boolean tls() {
    return api.tls();
  }

  /** The HTTP API (its routes, for the OpenAPI test). */
  public PosHttpApi api() {
    return api;
  }

  /** The service, also the {@link io.iotpay.acquirer.pos.merchant.TerminalAuthority} of the authorisation path. */
  public OnboardingService service() {
    return service;
  }

  /** Serves the merchants' days from {@code statements} (the acquirer host's) on this server's HTTP API. */
  public void serveStatements(io.iotpay.acquirer.pos.online.MerchantStatements statements) {
    api.serveStatements(statements);
  }

  /** Serves the acquirer process's metrics ({@code GET /metrics}, Prometheus text) on this server's HTTP API. */
  public void serveMetrics(java.util.function.Supplier<String> scrape) {
    api.serveMetrics(scrape);
  }

  /** Serves terminal risk sensing's monitoring service (nonce, attestation) on this server's HTTP API. */
  public void serveMonitoring(io.iotpay.acquirer.pos.risk.TerminalRiskService risk) {
    api.serveMonitoring(risk);
  }

  public AuditLog auditLog() {
    return auditLog;
  }

  @Override
  public void close() {
    api.close();
    auditLog.close();
    database.close();
  }

  /**
   * Runs the server alone until the process is stopped. Options (each {@code --name value}):
   * {@code --db} JDBC URL (default {@code jdbc:sqlite:acquirer-pos.db}), {@code --host} (default
   * 127.0.0.1), {@code --port} (default 8085), {@code --suite} (default INTERNATIONAL), {@code --keys}
   * key directory (default {@code acquirer-keys}), {@code --sanctions} file, {@code --mcc} served codes
   * (comma-separated; default 5411,5812,5912,4121), {@code --operators} a file of {@code name=token}
   * lines (required: tokens stay off the command line), and for the in-memory penny test
   * {@code --open-accounts} {@code BANK:ACCOUNT,…} and {@code --silent-banks} {@code BANK,…}; for the
   * phones' monitoring service {@code --allowed-builds} and {@code --risk-db} ({@link #monitoring}).
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      Assert.that(args[i].startsWith("--"), "option expected, found {}", args[i]);
      options.put(args[i].substring(2), args[i + 1]);
    }
    Assert.that(options.containsKey("operators"), "--operators FILE (name=token lines) is required");
    Map<String, String> operators = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of(options.get("operators")), StandardCharsets.UTF_8)) {
      int equals = line.indexOf('=');
      if (!line.isBlank() && !line.startsWith("#") && equals > 0) {
        operators.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
      }
    }
    InMemorySettlementAccountCheck accounts = new InMemorySettlementAccountCheck();
    for (String account : list(options.get("open-accounts"))) {
      int colon = account.indexOf(':');
      accounts.open(account.substring(0, colon), account.substring(colon + 1));
    }
    list(options.get("silent-banks")).forEach(accounts::unreachable);
    Settings settings = new Settings(options.getOrDefault("db", "jdbc:sqlite:acquirer-pos.db"), options.getOrDefault("host", "127.0.0.1"),
        Integer.parseInt(options.getOrDefault("port", "8085")), AlgorithmSuite.byName(options.getOrDefault("suite", "INTERNATIONAL")),
        Path.of(options.getOrDefault("keys", "acquirer-keys")), options.containsKey("sanctions") ? Path.of(options.get("sanctions")) : null,
        Set.copyOf(list(options.getOrDefault("mcc", "5411,5812,5912,4121"))), operators, accounts);
    AcquirerPosServer server = start(settings);
    Database riskDb = monitoring(server, options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      if (riskDb != null) {
        riskDb.close();
      }
      stopped.countDown();
    }, "acquirer-pos-shutdown"));
    stopped.await();
  }

  /**
   * With {@code --allowed-builds HEX,…} (the SDK builds' integrity digests), terminal risk sensing on
   * its own database ({@code --risk-db}, default {@code jdbc:sqlite:acquirer-risk.db}) served as the
   * phones' monitoring service; without it, none (its endpoints answer 503).
   */
  private static Database monitoring(AcquirerPosServer server, Map<String, String> options) {
    if (!options.containsKey("allowed-builds")) {
      return null;
    }
    Database riskDb = Database.open(options.getOrDefault("risk-db", "jdbc:sqlite:acquirer-risk.db"), 4);
    server.serveMonitoring(new io.iotpay.acquirer.pos.risk.TerminalRiskService(new io.iotpay.acquirer.pos.risk.RiskConfig(
        Set.copyOf(list(options.get("allowed-builds"))), 60_000, 60_000, 100, 3_600_000, 900, 50), riskDb, server.service(),
        java.time.Clock.systemUTC()));
    return riskDb;
  }

  private static List<String> list(String commaSeparated) {
    List<String> out = new ArrayList<>();
    if (commaSeparated != null) {
      for (String item : commaSeparated.split(",")) {
        if (!item.isBlank()) {
          out.add(item.strip());
        }
      }
    }
    return out;
  }

  /** The key files of one key directory. */
  private record Keys(KeyPair auditKeys, byte[] matchingKey, byte[] tokenKey, List<TerminalCa> terminalCas) {
    static Keys loadOrCreate(Path directory, AlgorithmSuite suite) throws IOException {
      Files.createDirectories(directory);
      SecureRandom random = new SecureRandom();
      KeyPair audit = keyPair(directory.resolve("audit-" + suite.name().toLowerCase(java.util.Locale.ROOT) + ".key.pem"), suite, random);
      byte[] matching = secret(directory.resolve("matching.key.hex"), random);
      byte[] token = secret(directory.resolve("merchant-token.key.hex"), random);
      List<TerminalCa> cas = new ArrayList<>();
      for (AlgorithmSuite caSuite : AlgorithmSuite.values()) {
        cas.add(terminalCa(directory, caSuite, random));
      }
      return new Keys(audit, matching, token, cas);
    }

    private static TerminalCa terminalCa(Path directory, AlgorithmSuite suite, SecureRandom random) throws IOException {
      String name = "terminal-ca-" + suite.name().toLowerCase(java.util.Locale.ROOT);
      KeyPair keys = keyPair(directory.resolve(name + ".key.pem"), suite, random);
      Path certificateFile = directory.resolve(name + ".crt.pem");
      X509Certificate certificate;
      if (Files.exists(certificateFile)) {
        certificate = Pem.readCertificate(Files.readString(certificateFile, StandardCharsets.US_ASCII));
      } else {
        String dn = "CN=iotpay Acquirer Terminal CA " + (suite == AlgorithmSuite.NATIONAL ? "SM2" : "P-256") + ",O=iotpay acquirer";
        Instant notBefore = Instant.now().minusSeconds(60);
        certificate = Certificates.issueCa(suite, keys,
            new Certificates.Profile(dn, notBefore, notBefore.plus(CA_VALIDITY), new java.math.BigInteger(127, random).setBit(0)));
        Files.writeString(certificateFile, Pem.write(certificate), StandardCharsets.US_ASCII);
      }
      return TerminalCa.of(suite, keys, certificate, TERMINAL_VALIDITY, random);
    }

    private static KeyPair keyPair(Path file, AlgorithmSuite suite, SecureRandom random) throws IOException {
      // The private key (owner-only) and its public half beside it ("….key.pem" → "….pub.pem").
      Path publicFile = file.resolveSibling(file.getFileName().toString().replace(".key.pem", ".pub.pem"));
      if (Files.exists(file)) {
        return new KeyPair(Pem.readPublicKey(Files.readString(publicFile, StandardCharsets.US_ASCII), suite),
            Pem.readPrivateKey(Files.readString(file, StandardCharsets.US_ASCII), suite));
      }
      KeyPair keys = suite.signature().generateKeyPair(random);
      writeSecret(file, Pem.write(keys.getPrivate()));
      Files.writeString(publicFile, Pem.write(keys.getPublic()), StandardCharsets.US_ASCII);
      return keys;
    }

    private static byte[] secret(Path file, SecureRandom random) throws IOException {
      if (Files.exists(file)) {
        return HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).strip());
      }
      byte[] key = new byte[32];
      random.nextBytes(key);
      writeSecret(file, HexFormat.of().formatHex(key) + "\n");
      return key;
    }

    private static void writeSecret(Path file, String text) throws IOException {
      Files.writeString(file, text, StandardCharsets.US_ASCII);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        LOG.warn("Key file permissions cannot be restricted on this file system [file={}]", file.getFileName());
      }
    }
  }
}

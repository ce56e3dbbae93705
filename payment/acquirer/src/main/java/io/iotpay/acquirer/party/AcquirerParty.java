package io.iotpay.acquirer.party;

import io.iotpay.acquirer.pos.AcquirerPosServer;
import io.iotpay.acquirer.pos.merchant.AccountCheckResult;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.merchant.Registration;
import io.iotpay.acquirer.pos.merchant.SettlementAccount;
import io.iotpay.acquirer.pos.merchant.SettlementAccountCheck;
import io.iotpay.acquirer.pos.merchant.Verdict;
import io.iotpay.acquirer.pos.online.AcquirerHost;
import io.iotpay.acquirer.pos.online.AcquirerHostConfig;
import io.iotpay.acquirer.pos.online.IsoSettlementAccountCheck;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.RecordSeal;
import io.iotpay.foundation.crypto.TlsIdentity;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.ledger.audit.AuditSigningKey;
import io.iotpay.ledger.metrics.LedgerMeters;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.FileHeaders;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.PresentmentFile;
import io.iotpay.protocol.file.PresentmentResultFile;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.metrics.PartyMetrics;
import io.iotpay.protocol.online.Presentment;
import io.iotpay.protocol.party.LinkKeys;
import io.iotpay.protocol.party.PartyConfigException;
import io.iotpay.protocol.party.PartyFileTrust;
import io.iotpay.protocol.party.PartyFiles;
import io.iotpay.protocol.party.PartyInbox;
import io.iotpay.protocol.party.PartyKeys;
import io.iotpay.protocol.party.PartyProperties;
import io.iotpay.protocol.pki.AcceptedFileLog;
import io.iotpay.protocol.pki.FileSigner;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SchemeCa;
import io.iotpay.protocol.pki.VerifiedFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The acquirer as a party of its own (docs/parties.md): the merchant registry
 * ({@link AcquirerPosServer}, its HTTP API and database) and the online host ({@link AcquirerHost},
 * its own database and ledger) in one process, the terminals' ISO 8583 port in front, one link to the
 * switch behind. {@link #init} registers a merchant and enrols its terminals; {@link #start} opens the
 * directory again (the host re-reads its reversal queue).
 */
public final class AcquirerParty implements AutoCloseable {
  public static final String CONFIG_FILE = "acquirer.properties";
  /** The party's keys, sealed under its master key ({@link PartyKeys}). */
  public static final String KEYS_FILE = PartyKeys.NAME;
  public static final String HOST_DATABASE_FILE = "acquirer.db";
  public static final String REGISTRY_DATABASE_FILE = "registry.db";
  public static final String REGISTRY_KEYS_DIR = "registry-keys";
  /** The link to the switch and the terminals' link in {@link #KEYS_FILE}. */
  public static final String SWITCH_PEER = "switch";
  public static final String TERMINALS_PEER = "terminals";
  public static final long BOOK = 1;
  public static final long SETTLEMENT_ACCOUNT = 20;
  public static final long REVENUE_ACCOUNT = 30;
  public static final long MERCHANT_ACCOUNT_BASE = 1_000;
  public static final long TRANSFER_ID_BASE = 1_000_000;
  static final Set<String> CONFIG_KEYS = Set.of("id", "suite", "institution", "node", "switch", "switch.request.timeout.ms",
      "terminal.listen", "http.listen", "currency", "mdr.bps", "reversal.retry.ms", "reversal.retry.max.ms", "merchant",
      "terminals", "db", "registry.db", "switch.id");
  /** The switch's party id, the receiver of the presentment files, when {@code switch.id} is not set. */
  public static final String SWITCH_ID_DEFAULT = "SWITCH";
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,11}");
  private static final Pattern NODE = Pattern.compile("[ -~]{8}");
  private static final String MCC = "5812";
  /** The registry's one operator (docs/merchant-onboarding.md), its bearer token in {@link #KEYS_FILE}. */
  public static final String OPERATOR = "operator";
  private static final String OPERATOR_TOKEN = "registry.operator.token";
  private static final int POOL_SIZE = 4;

  /** What {@link #init} writes. */
  public record Setup(String id, AlgorithmSuite suite, String institutionId, String nodeId, InetSocketAddress switchAddress,
      LinkKeys switchLink, InetSocketAddress terminalListen, LinkKeys terminalLink, CurrencyUnit currency, int terminals,
      int mdrBasisPoints, long switchTimeoutMs, String dbUrl, String registryDbUrl) {}

  /**
   * How {@link #start} may override the data directory's files.
   *
   * @param tls the registry HTTP API's TLS key and certificate (API and console over TLS only), or null
   *     for plain HTTP
   */
  public record Options(String dbUrl, InetSocketAddress terminalListen, InetSocketAddress switchAddress, TlsIdentity tls) {
    /** Plain HTTP. */
    public Options(String dbUrl, InetSocketAddress terminalListen, InetSocketAddress switchAddress) {
      this(dbUrl, terminalListen, switchAddress, null);
    }

    public static Options none() {
      return new Options(null, null, null);
    }
  }

  private final String id;
  private final AcquirerPosServer registry;
  private final Database database;
  private final AuditLog audit;
  private final Ledger ledger;
  /** Gauge: the reversal queue's depth (docs/metrics.md). */
  static final String REVERSALS_PENDING = "iotpay.acquirer.reversals.pending";

  private final AcquirerHost host;
  private final PartyInbox inbox;
  private final IsoSettlementAccountCheck pennyTest;
  /** The acquirer's key custody (its file-signing key); null for a directory written before signed files. */
  private final SoftwareKeyCustody custody;
  private static final System.Logger LOG = System.getLogger(AcquirerParty.class.getName());
  /** Field 41 of the penny test's link to the switch (docs/merchant-onboarding.md, "The penny test"). */
  public static final String PENNY_TEST_NODE = "ACQPENNY";
  /** Sends of one account verification at most: the first and two repeats with the same keys. */
  static final int PENNY_TEST_ATTEMPTS = 3;
  /** Set-up's settlement account check: the switch is not running yet, so the penny test cannot run. */
  private static final SettlementAccountCheck NOT_AT_SET_UP = account -> new AccountCheckResult(Verdict.UNDECIDED,
      "the penny test does not run at set-up (no switch yet)");

  private AcquirerParty(String id, AcquirerPosServer registry, Database database, AuditLog audit, Ledger ledger,
      AcquirerHost host, PartyInbox inbox, IsoSettlementAccountCheck pennyTest, SoftwareKeyCustody custody) {
    this.custody = custody;
    this.pennyTest = pennyTest;
    this.id = id;
    this.inbox = inbox;
    this.registry = registry;
    this.database = database;
    this.audit = audit;
    this.ledger = ledger;
    this.host = host;
  }

  /** Writes a new acquirer data directory: config, keys, the registry with one merchant and its terminals. */
  public static void init(Path dataDir, Setup setup, SecureRandom random) throws IOException {
    PartyFiles.ownerOnlyDirectory(dataDir);
    if (dataDir.resolve(CONFIG_FILE).toFile().exists()) {
      throw new PartyConfigException(dataDir.resolve(CONFIG_FILE) + " exists: set-up writes a new directory only");
    }
    StringBuilder keys = new StringBuilder("# acquirer " + setup.id() + ": link and store keys, owner-only\n")
        .append(setup.switchLink().lines(SWITCH_PEER)).append(setup.terminalLink().lines(TERMINALS_PEER));
    for (String name : List.of("store.seal", "store.seal.mac", OPERATOR_TOKEN)) {
      byte[] key = new byte[16];
      random.nextBytes(key);
      keys.append(name).append('=').append(Hex.encode(key)).append('\n');
    }
    keys.append(AuditSigningKey.newLines(setup.suite(), random));
    PartyProperties sealed = PartyKeys.write(dataDir, setup.suite(), keys.toString(), random);
    PartyFiles.writeOwnerOnly(AuditSigningKey.publicKeyFile(dataDir),
        AuditSigningKey.publicKeyPem(sealed.string(AuditSigningKey.PUBLIC)));
    String registryDb = setup.registryDbUrl() != null ? setup.registryDbUrl()
        : "jdbc:sqlite:" + dataDir.resolve(REGISTRY_DATABASE_FILE).toAbsolutePath();
    MerchantId merchant;
    List<String> terminals = new ArrayList<>();
    String token = sealed.string(OPERATOR_TOKEN);
    PartyFiles.ownerOnlyDirectory(dataDir.resolve(REGISTRY_KEYS_DIR)); // before the registry makes it with the default mode
    try (AcquirerPosServer server = AcquirerPosServer.start(registrySettings(dataDir, registryDb, setup.suite(), 0, token, null,
        NOT_AT_SET_UP))) {
      OnboardingService service = server.service();
      merchant = service.register("party-init-" + setup.id(), new Registration("Noodle Stall", "91310000MA1K000001",
          "110105194912310021", MCC, "1 Road", new SettlementAccount("10200000", "6222000011112222"))).merchant().id();
      // Set-up runs before the switch does: the operator activates the set-up merchant, recorded in its history.
      service.approve(merchant, OPERATOR, "set-up merchant of this data directory; its penny test was not run");
      for (int t = 0; t < setup.terminals(); t++) {
        terminals.add(service.enrol(merchant, setup.suite(), csr(setup.suite(), random)).terminal().id().value());
      }
    } catch (SQLException e) {
      throw new IOException("registry database: " + e.getMessage(), e);
    }
    StringBuilder config = new StringBuilder("# iotpay acquirer party (docs/parties.md)\n")
        .append("id=").append(setup.id()).append('\n')
        .append("suite=").append(setup.suite()).append('\n')
        .append("institution=").append(setup.institutionId()).append('\n')
        .append("node=").append(setup.nodeId()).append('\n')
        .append("switch=").append(hostPort(setup.switchAddress())).append('\n')
        .append("switch.request.timeout.ms=").append(setup.switchTimeoutMs()).append('\n')
        .append("terminal.listen=").append(hostPort(setup.terminalListen())).append('\n')
        .append("http.listen=127.0.0.1:0\n")
        .append("currency=").append(setup.currency().alphaCode()).append('\n')
        .append("mdr.bps=").append(setup.mdrBasisPoints()).append('\n')
        .append("reversal.retry.ms=200\n")
        .append("reversal.retry.max.ms=2000\n")
        .append("merchant=").append(merchant.value()).append('\n')
        .append("terminals=").append(String.join(",", terminals)).append('\n');
    if (setup.dbUrl() != null) {
      config.append("db=").append(setup.dbUrl()).append('\n');
    }
    if (setup.registryDbUrl() != null) {
      config.append("registry.db=").append(setup.registryDbUrl()).append('\n');
    }
    PartyFiles.writeOwnerOnly(dataDir.resolve(CONFIG_FILE), config.toString());
    Config.read(dataDir, Options.none());
  }

  /** Opens the registry and the host on the data directory and starts serving terminals. */
  public static AcquirerParty start(Path dataDir, Options options) throws IOException {
    Config config = Config.read(dataDir, options);
    AcquirerHostConfig hostConfig = config.host();
    // The penny test: an account verification through the switch to the account's bank, on a link of its own.
    IsoSettlementAccountCheck pennyTest = IsoSettlementAccountCheck.connect(hostConfig.switchAddress(),
        LinkSettings.defaults(hostConfig.institutionId(), PENNY_TEST_NODE).withEchoIntervalMs(0)
            .withRequestTimeoutMs(hostConfig.switchLink().requestTimeoutMs()),
        hostConfig.switchKeys(), Iso8583Wire.load(), hostConfig.currency(), PENNY_TEST_ATTEMPTS, Clock.systemUTC());
    AcquirerPosServer registry;
    try {
      registry = AcquirerPosServer.start(registrySettings(dataDir, config.registryDbUrl(), config.host().switchKeys().suite(),
          config.httpListen().getPort(), config.operatorToken(), options.tls(), pennyTest));
    } catch (SQLException e) {
      pennyTest.close();
      throw new IOException("registry database: " + e.getMessage(), e);
    } catch (RuntimeException | IOException e) {
      pennyTest.close();
      throw e;
    }
    Database database = null;
    AuditLog audit = null;
    Ledger ledger = null;
    SoftwareKeyCustody custody = null;
    try {
      // A directory written before signed files has no certificate: the acquirer then writes and takes no file.
      FileTrust trust = null;
      if (PartyFileTrust.enrolled(dataDir)) {
        custody = custody(dataDir, config.suite());
        trust = PartyFileTrust.open(dataDir, custody, PartyId.of(config.id()), PartyRole.OPERATOR);
      }
      database = Database.open(config.dbUrl(), POOL_SIZE);
      audit = AuditLog.open(database, AuditLogConfig.of(config.host().switchKeys().suite(), config.auditKey()));
      ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), audit);
      PartyMetrics metrics = new PartyMetrics("acquirer", config.id());
      LedgerMeters.register(metrics.registry(), ledger, audit);
      AcquirerHost host = new AcquirerHost(config.host(), database, ledger, registry.service(), Clock.systemUTC())
          .metrics(metrics.authorisations()).start();
      metrics.gauge(REVERSALS_PENDING, "reversals queued for the switch, not yet acknowledged", host::reversalsPending);
      registry.serveStatements(host.statements());
      registry.serveMetrics(metrics::scrape);
      FileTrust files = trust;
      AcceptedFileLog accepted = trust == null ? null : new AcceptedFileLog(database, PartyId.of(config.id()));
      PartyInbox inbox = PartyInbox.start(config.id(), List.of(
          new PartyInbox.Watch(PartyInbox.control(dataDir), file -> dayEnd(dataDir, config, host, files, file)),
          new PartyInbox.Watch(PartyInbox.in(dataDir), file -> receive(config.id(), files, accepted, file))),
          PartyInbox.INTERVAL_MS_DEFAULT);
      return new AcquirerParty(config.id(), registry, database, audit, ledger, host, inbox, pennyTest, custody);
    } catch (SQLException e) {
      closeAll(null, ledger, audit, database, registry);
      pennyTest.close();
      if (custody != null) {
        custody.close();
      }
      throw new IOException("audit log: " + e.getMessage(), e);
    } catch (RuntimeException | IOException e) {
      if (custody != null) {
        custody.close();
      }
      if (ledger != null) {
        ledger.close();
      }
      if (audit != null) {
        audit.close();
      }
      if (database != null) {
        database.close();
      }
      registry.close();
      pennyTest.close();
      throw e;
    }
  }

  public String id() {
    return id;
  }

  /** The terminals' ISO 8583 port. */
  public int port() {
    return host.terminalPort();
  }

  public AcquirerHost host() {
    return host;
  }

  public Ledger ledger() {
    return ledger;
  }

  /** The registry's HTTP port (merchant onboarding, docs/merchant-onboarding.md). */
  public int registryPort() {
    return registry.port();
  }

  /** The routes the registry's HTTP server registered, {@code "METHOD /path/{param}"} (the OpenAPI test compares them). */
  public List<String> registryRoutes() {
    return registry.api().routes();
  }

  /** Whether the registry's HTTP API (and console) is served over TLS. */
  public boolean registryTls() {
    return registry.tls();
  }

  @Override
  public void close() {
    inbox.close();
    closeAll(host, ledger, audit, database, registry);
    pennyTest.close();
    if (custody != null) {
      custody.close();
    }
  }

  /**
   * The command {@code control/day-end-DATE}: closes the day's batch ({@link AcquirerHost#dayEnd},
   * idempotent) and writes its presentment file for the switch into {@code clearing/out/}, once:
   * {@code presentment-ID-DATE-SEQ.txt}, the sequence one more than the files written before, signed
   * with the acquirer's file-signing key ({@code <file>.sig}, written before the file appears). A
   * file already there for the date is kept as it is (the same file is what a re-send carries).
   * Without a file-signing certificate ({@code trust} null) the command is refused: no file is
   * written unsigned.
   */
  private static PartyInbox.Outcome dayEnd(Path dataDir, Config config, AcquirerHost host, FileTrust trust, Path command)
      throws IOException {
    LocalDate date = PartyInbox.dayEndDate(command);
    if (date == null) {
      return PartyInbox.Outcome.REFUSED;
    }
    if (trust == null) {
      LOG.log(System.Logger.Level.WARNING, "{0}: refused {1}: no {2} in the acquirer''s directory (written before signed"
          + " files): no file is written unsigned", config.id(), command.getFileName(), PartyFileTrust.CERTIFICATE_FILE);
      return PartyInbox.Outcome.REFUSED;
    }
    List<Presentment> presentments = host.dayEnd(date);
    Path out = PartyFiles.ownerOnlyDirectory(PartyInbox.out(dataDir));
    String prefix = "presentment-" + config.id() + "-";
    long written = 0;
    try (var files = Files.list(out)) {
      for (Path f : files.toList()) {
        String n = f.getFileName().toString();
        if (n.startsWith(prefix) && n.endsWith(".txt")) {
          if (n.startsWith(prefix + date + "-")) {
            return PartyInbox.Outcome.DONE;
          }
          written++;
        }
      }
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    PresentmentFile.write(bytes, config.host().acquirer(), PartyId.of(config.switchId()), date, written + 1,
        config.host().currency(), presentments);
    Path file = out.resolve(prefix + date + "-" + (written + 1) + ".txt");
    // Written aside, signed, and moved in after its signature: a file in clearing/out/ always has its .sig.
    Path aside = out.resolve(file.getFileName() + ".tmp");
    PartyFiles.writeOwnerOnly(aside, bytes.toByteArray());
    byte[] signature = trust.signer().signature(aside, FileHeaders.read(aside, FileKind.PRESENTMENT, FileLimits.defaults()));
    PartyFiles.writeOwnerOnly(FileSigner.signaturePath(file), signature);
    Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE);
    return PartyInbox.Outcome.DONE;
  }

  /**
   * A file in {@code clearing/in/}: the switch's answer to a presentment file ({@code presentment-result-…}),
   * kept (in {@code done/}) only with the switch's valid signature, checked before a byte of it is parsed,
   * its header the signed one, and once (table {@code signed_file_accepted}); a forged, unsigned, re-signed,
   * replayed or damaged file is refused with its reason in the log. Without a file-signing certificate
   * ({@code trust} null) every file is refused.
   */
  private static PartyInbox.Outcome receive(String self, FileTrust trust, AcceptedFileLog accepted, Path file)
      throws IOException {
    if (trust == null) {
      LOG.log(System.Logger.Level.WARNING, "{0}: refused {1}: no {2} in the acquirer''s directory (written before signed"
          + " files): no file is taken unsigned", self, file.getFileName(), PartyFileTrust.CERTIFICATE_FILE);
      return PartyInbox.Outcome.REFUSED;
    }
    try {
      VerifiedFile verified = trust.verifier().verify(file, FileKind.PRESENTMENT_RESULT, accepted);
      verified.requireSignerRole(PartyRole.SWITCH);
      try (InputStream in = Files.newInputStream(file)) {
        verified.requireHeader(PresentmentResultFile.read(in, FileLimits.defaults()).header());
      }
      accepted.record(verified);
      LOG.log(System.Logger.Level.INFO, "{0}: took {1}, signed by {2}", self, file.getFileName(),
          verified.signer().party());
      return PartyInbox.Outcome.DONE;
    } catch (ProtocolException e) { // its signature (SignedFileException) or a damaged file
      LOG.log(System.Logger.Level.WARNING, "{0}: refused {1}: {2}", self, file.getFileName(), e.getMessage());
      return PartyInbox.Outcome.REFUSED;
    }
  }

  /** The acquirer's key custody ({@code custody/keys.sealed}, under its master key): its file-signing key. */
  private static SoftwareKeyCustody custody(Path dataDir, AlgorithmSuite suite) {
    return PartyKeys.openCustody(dataDir, suite);
  }

  /**
   * Enrols a set-up acquirer directory for signed files: its file-signing key generated in its custody
   * (sealed under its master key), certified by {@code ca} in the OPERATOR role (the role of every
   * acquirer, signed-files.md §4), the certificate and the CA's written into the directory.
   */
  public static void enrolFileSigning(Path dataDir, SchemeCa ca, PartyFileTrust.Validity validity) {
    Config config = Config.read(dataDir, Options.none());
    try (SoftwareKeyCustody custody = custody(dataDir, config.suite())) {
      PartyFileTrust.enrol(ca, custody, dataDir, PartyId.of(config.id()), PartyRole.OPERATOR, validity);
    }
  }

  private static void closeAll(AcquirerHost host, Ledger ledger, AuditLog audit, Database database, AcquirerPosServer registry) {
    if (host != null) {
      host.close();
    }
    if (ledger != null) {
      ledger.close();
    }
    if (audit != null) {
      audit.close();
    }
    if (database != null) {
      database.close();
    }
    registry.close();
  }

  /** The data directory's sealed keys, opened under its master key (environment or {@code master.key}). */
  public static PartyProperties keys(Path dataDir, AlgorithmSuite suite) {
    return PartyKeys.read(dataDir, suite, null).onlyKeys(PartyProperties.keys(
        Set.of("store.seal", "store.seal.mac", OPERATOR_TOKEN, AuditSigningKey.PRIVATE, AuditSigningKey.PUBLIC),
        "link." + SWITCH_PEER + ".", "link." + TERMINALS_PEER + "."));
  }

  /**
   * The registry's operator token of a data directory, opened from its sealed keys: the bearer token of
   * the operator HTTP API and the login of the acquirer's console (docs/console.md). A secret: print it
   * only for the operator who asks.
   */
  public static String operatorToken(Path dataDir) {
    AlgorithmSuite suite = PartyProperties.read(dataDir.resolve(CONFIG_FILE), false).onlyKeys(CONFIG_KEYS::contains).suite("suite");
    return keys(dataDir, suite).string(OPERATOR_TOKEN);
  }

  /** The enrolled terminal ids of a data directory (what a terminal puts in field 41). */
  public static List<String> terminals(Path dataDir) {
    return PartyProperties.read(dataDir.resolve(CONFIG_FILE), false).onlyKeys(CONFIG_KEYS::contains).ids("terminals");
  }

  private static AcquirerPosServer.Settings registrySettings(Path dataDir, String jdbcUrl, AlgorithmSuite suite, int port,
      String operatorToken, TlsIdentity tls, SettlementAccountCheck accountCheck) {
    return new AcquirerPosServer.Settings(jdbcUrl, "127.0.0.1", port, suite, dataDir.resolve(REGISTRY_KEYS_DIR), null,
        Set.of(MCC), Map.of(OPERATOR, operatorToken), accountCheck, tls);
  }

  /** A terminal's enrolment request; the terminal's private key is not kept (the ISO link uses zone keys). */
  private static byte[] csr(AlgorithmSuite suite, SecureRandom random) throws IOException {
    var keys = suite.signature().generateKeyPair(random);
    String algorithm = suite == AlgorithmSuite.NATIONAL ? "SM3withSM2" : "SHA256withECDSA";
    try {
      return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=pos"), keys.getPublic())
          .build(new JcaContentSignerBuilder(algorithm).setProvider(new BouncyCastleProvider()).build(keys.getPrivate()))
          .getEncoded();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("no " + algorithm + " signer", e);
    }
  }

  private static String hostPort(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }

  private record Config(String id, AcquirerHostConfig host, InetSocketAddress httpListen, String dbUrl, String registryDbUrl,
      String operatorToken, KeyPair auditKey, String switchId) {
    /** The acquirer's suite (its links', its store's and its custody's). */
    AlgorithmSuite suite() {
      return host.switchKeys().suite();
    }

    static Config read(Path dataDir, Options options) {
      PartyProperties p = PartyProperties.read(dataDir.resolve(CONFIG_FILE), false).onlyKeys(CONFIG_KEYS::contains);
      AlgorithmSuite suite = p.suite("suite");
      PartyProperties keys = keys(dataDir, suite);
      LinkKeys switchLink = LinkKeys.of(keys, SWITCH_PEER);
      LinkKeys terminalLink = LinkKeys.of(keys, TERMINALS_PEER);
      if (switchLink.suite() != suite) {
        throw new PartyConfigException(KEYS_FILE + ": the switch link's suite differs from the acquirer's");
      }
      CurrencyUnit currency;
      try {
        currency = CurrencyUnit.of(p.string("currency"));
      } catch (RuntimeException e) {
        throw new PartyConfigException(CONFIG_FILE + ": currency is not a known ISO 4217 code");
      }
      String institution = p.matching("institution", DIGITS, "1..11 digits");
      String node = p.matching("node", NODE, "8 printable characters");
      String id = p.matching("id", Pattern.compile("[A-Z0-9-]{1,16}"), "a party id (A-Z, 0-9, -; 1..16)");
      p.ids("terminals");
      try {
        long retry = p.number("reversal.retry.ms", 10, 600_000, AcquirerHostConfig.REVERSAL_RETRY_MS_DEFAULT);
        AcquirerHostConfig host = new AcquirerHostConfig(PartyId.of(id), institution,
            options.switchAddress() != null ? options.switchAddress() : p.address("switch"),
            LinkSettings.defaults(institution, node).withEchoIntervalMs(0)
                .withRequestTimeoutMs(p.number("switch.request.timeout.ms", 1, 120_000, 10_000)),
            switchLink.zoneKeys(),
            options.terminalListen() != null ? options.terminalListen() : p.address("terminal.listen"),
            LinkSettings.defaults(institution, node), terminalLink.zoneKeys(),
            new RecordSeal(terminalLink.suite(), keys.key("store.seal", 16), keys.key("store.seal.mac", 16)), currency,
            BOOK, SETTLEMENT_ACCOUNT, REVENUE_ACCOUNT, MERCHANT_ACCOUNT_BASE, TRANSFER_ID_BASE,
            (int) p.number("mdr.bps", 0, 10_000), retry,
            p.number("reversal.retry.max.ms", retry, 3_600_000, AcquirerHostConfig.REVERSAL_RETRY_MAX_MS_DEFAULT));
        String db = options.dbUrl() != null ? options.dbUrl()
            : p.string("db", "jdbc:sqlite:" + dataDir.resolve(HOST_DATABASE_FILE).toAbsolutePath());
        String registryDb = p.string("registry.db", "jdbc:sqlite:" + dataDir.resolve(REGISTRY_DATABASE_FILE).toAbsolutePath());
        return new Config(id, host, p.address("http.listen"), db, registryDb,
            keys.matching(OPERATOR_TOKEN, Pattern.compile("[0-9A-Fa-f]{32,512}"), "an operator token of 32 or more hex digits"),
            AuditSigningKey.keyPair(suite, keys.string(AuditSigningKey.PRIVATE), keys.string(AuditSigningKey.PUBLIC)),
            p.has("switch.id") ? p.matching("switch.id", Pattern.compile("[A-Z0-9-]{1,16}"), "a party id (A-Z, 0-9, -; 1..16)")
                : SWITCH_ID_DEFAULT);
      } catch (AssertionError e) {
        throw new PartyConfigException(CONFIG_FILE + ": " + e.getMessage());
      }
    }
  }
}

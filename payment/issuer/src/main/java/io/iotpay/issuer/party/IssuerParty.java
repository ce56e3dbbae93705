package io.iotpay.issuer.party;

import io.iotpay.console.PartyHttpServer;
import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.crypto.TlsIdentity;
import io.iotpay.foundation.custody.KeyUsage;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.authorisation.card.CardAuthorisationService;
import io.iotpay.issuer.authorisation.card.CardClearing;
import io.iotpay.issuer.party.console.IssuerConsole;import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.AccountResult;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerAuditCheck;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditSigningKey;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.ledger.audit.VerificationReport;
import io.iotpay.ledger.metrics.LedgerMeters;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.metrics.AuthorisationMetrics;
import io.iotpay.protocol.metrics.PartyMetrics;
import io.iotpay.protocol.party.LinkKeys;
import io.iotpay.protocol.party.PartyConfigException;
import io.iotpay.protocol.party.PartyFileTrust;
import io.iotpay.protocol.party.PartyFiles;
import io.iotpay.protocol.party.PartyInbox;
import io.iotpay.protocol.party.PartyKeys;
import io.iotpay.protocol.party.PartyProperties;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SchemeCa;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The issuer as a party of its own (docs/parties.md): the card authorisation host
 * ({@link CardAuthorisationService}) on its own database and ledger, its IMK in its own sealed key
 * custody, behind an {@link Iso8583Server} the switch connects to. {@link #init} writes a new data
 * directory; {@link #start} opens one (again after a crash: every answer and hold is in the database).
 */
public final class IssuerParty implements AutoCloseable {
  public static final String CONFIG_FILE = "issuer.properties";
  /** The party's keys, sealed under its master key ({@link PartyKeys}). */
  public static final String KEYS_FILE = PartyKeys.NAME;
  public static final String DATABASE_FILE = "issuer.db";
  public static final String CUSTODY_DIR = PartyKeys.CUSTODY_DIR;
  /** The custody label of the issuer master key for application cryptograms (IMK-AC). */
  public static final String IMK_LABEL = "imk-ac";
  /** The link to the switch in {@link #KEYS_FILE}. */
  public static final String SWITCH_PEER = "switch";
  public static final long BOOK = 1;
  /** Where card accounts are funded from at set-up. */
  public static final long FUNDING_ACCOUNT = 10;
  /** What the issuer owes the scheme: holds and postings credit it. */
  public static final long SETTLEMENT_ACCOUNT = 20;
  /** The issuer's own exposure for stand-in approvals beyond a card's balance. */
  public static final long STAND_IN_ACCOUNT = 30;
  /** Card accounts are numbered from here, one per card in set-up order. */
  public static final long FIRST_CARD_ACCOUNT = 1_000;
  public static final long HOLD_TIMEOUT_MS_DEFAULT = 7 * 86_400_000L;
  private static final Set<String> CONFIG_KEYS = Set.of("id", "suite", "listen", "institution", "node", "currency",
      "hold.timeout.ms", "db", "card.daily.count.max", "card.daily.amount.max.minor");
  /** The console's operator token, in the sealed party keys (64 hex digits). */
  static final String OPERATOR_TOKEN = "console.operator.token";
  private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[0-9a-f]{64}");
  private static final int POOL_SIZE = 4;
  private static final long WAIT_MS = 30_000;
  private static final System.Logger LOG = System.getLogger(IssuerParty.class.getName());

  /** What {@link #init} writes. */
  public record Setup(String id, AlgorithmSuite suite, InetSocketAddress listen, String institutionId, String nodeId,
      CurrencyUnit currency, LinkKeys switchLink, SecretKeyBytes imk, List<CardSetup> cards, String dbUrl) {
    public Setup {
      cards = List.copyOf(cards);
      Assert.notNull(switchLink, "switchLink");
      Assert.that(switchLink.suite() == suite, "the switch link's suite must be the issuer's");
    }
  }

  /** One card at set-up: its PAN, PAN sequence number, expiry and opening balance (minor units). */
  public record CardSetup(Pan pan, int panSequence, YearMonth expiry, long balanceMinor) {}

  /**
   * How {@link #start} may override the data directory's files.
   *
   * @param tls the HTTP listener's TLS key and certificate (console, metrics and {@code /openapi.json}
   *     over TLS only), or null for plain HTTP
   */
  public record Options(String dbUrl, InetSocketAddress listen, String masterKeyHex, TlsIdentity tls) {
    /** Plain HTTP. */
    public Options(String dbUrl, InetSocketAddress listen, String masterKeyHex) {
      this(dbUrl, listen, masterKeyHex, null);
    }

    public static Options none() {
      return new Options(null, null, null);
    }
  }

  private final String id;
  private final Database database;
  private final AuditLog audit;
  private final Ledger ledger;
  private final SoftwareKeyCustody custody;
  private final CardAuthorisationService service;
  private final Iso8583Server server;
  private final PartyInbox inbox;
  private final IssuerHttp http;

  private IssuerParty(String id, Database database, AuditLog audit, Ledger ledger, SoftwareKeyCustody custody,
      CardAuthorisationService service, Iso8583Server server, PartyInbox inbox, IssuerHttp http) {
    this.http = http;
    this.id = id;
    this.inbox = inbox;
    this.database = database;
    this.audit = audit;
    this.ledger = ledger;
    this.custody = custody;
    this.service = service;
    this.server = server;
  }

  /**
   * Writes a new issuer data directory: config, owner-only keys file and master key, the sealed
   * custody holding the IMK, and the database with the ledger's accounts and the registered cards.
   */
  public static void init(Path dataDir, Setup setup, SecureRandom random) {
    PartyFiles.ownerOnlyDirectory(dataDir);
    if (dataDir.resolve(CONFIG_FILE).toFile().exists()) {
      throw new PartyConfigException(dataDir.resolve(CONFIG_FILE) + " exists: set-up writes a new directory only");
    }
    byte[] panKey = new byte[32];
    random.nextBytes(panKey);
    byte[] token = new byte[32];
    random.nextBytes(token);
    PartyKeys.write(dataDir, setup.suite(), setup.switchLink().lines(SWITCH_PEER) + "pan.lookup=" + Hex.encode(panKey) + "\n"
        + AuditSigningKey.newLines(setup.suite(), random) + OPERATOR_TOKEN + "=" + java.util.HexFormat.of().formatHex(token)
        + "\n", random);
    SecretKeyBytes master = PartyFiles.masterKey(dataDir, System.getenv(PartyFiles.MASTER_KEY_ENV),
        masterKeyBytes(setup.suite()), false, random);
    StringBuilder config = new StringBuilder("# iotpay issuer party (docs/parties.md)\n")
        .append("id=").append(setup.id()).append('\n')
        .append("suite=").append(setup.suite()).append('\n')
        .append("listen=").append(hostPort(setup.listen())).append('\n')
        .append("institution=").append(setup.institutionId()).append('\n')
        .append("node=").append(setup.nodeId()).append('\n')
        .append("currency=").append(setup.currency().alphaCode()).append('\n')
        .append("hold.timeout.ms=").append(HOLD_TIMEOUT_MS_DEFAULT).append('\n')
        .append("card.daily.count.max=1000\n")
        .append("card.daily.amount.max.minor=100000000\n");
    if (setup.dbUrl() != null) {
      config.append("db=").append(setup.dbUrl()).append('\n');
    }
    PartyFiles.writeOwnerOnly(dataDir.resolve(CONFIG_FILE), config.toString());
    Config parsed = Config.read(dataDir, Options.none());
    PartyFiles.writeOwnerOnly(AuditSigningKey.publicKeyFile(dataDir), AuditSigningKey.publicKeyPem(parsed.auditPublicHex()));
    try (SoftwareKeyCustody custody = SoftwareKeyCustody.open(dataDir.resolve(CUSTODY_DIR), setup.suite(), master);
        Database database = Database.open(parsed.dbUrl(), POOL_SIZE);
        AuditLog audit = parsed.openAudit(database);
        Ledger ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), audit)) {
      custody.importClear(IMK_LABEL, setup.suite(), KeyUsage.ISSUER_MASTER, setup.imk());
      List<Account> accounts = new ArrayList<>(List.of(Account.of(FUNDING_ACCOUNT, BOOK, parsed.currency()),
          Account.of(SETTLEMENT_ACCOUNT, BOOK, parsed.currency()), Account.of(STAND_IN_ACCOUNT, BOOK, parsed.currency())));
      List<Transfer> funding = new ArrayList<>();
      for (int i = 0; i < setup.cards().size(); i++) {
        long account = FIRST_CARD_ACCOUNT + i;
        accounts.add(new Account(account, BOOK, parsed.currency(), AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
        if (setup.cards().get(i).balanceMinor() > 0) {
          funding.add(Transfer.single(account, FUNDING_ACCOUNT, account, setup.cards().get(i).balanceMinor()));
        }
      }
      for (AccountResult r : ledger.createAccounts(accounts).orTimeout(WAIT_MS, TimeUnit.MILLISECONDS).join()) {
        Assert.that(r == AccountResult.OK, "account set-up refused: {}", r);
      }
      if (!funding.isEmpty()) {
        for (TransferResult r : ledger.submit(funding).orTimeout(WAIT_MS, TimeUnit.MILLISECONDS).join()) {
          Assert.that(r == TransferResult.OK, "card funding refused: {}", r);
        }
      }
      CardAuthorisationService service = new CardAuthorisationService(database, ledger, custody,
          parsed.serviceConfig(), Clock.systemUTC());
      for (int i = 0; i < setup.cards().size(); i++) {
        CardSetup card = setup.cards().get(i);
        service.registerCard(card.pan(), card.panSequence(), card.expiry(), IMK_LABEL, FIRST_CARD_ACCOUNT + i,
            parsed.dailyCountMax(), parsed.dailyAmountMaxMinor());
      }
    }
  }

  /** Opens the data directory and starts answering the switch. */
  public static IssuerParty start(Path dataDir, Options options) throws IOException {
    Config config = Config.read(dataDir, options);
    SecretKeyBytes master = PartyFiles.masterKey(dataDir, options.masterKeyHex() != null ? options.masterKeyHex()
        : System.getenv(PartyFiles.MASTER_KEY_ENV), masterKeyBytes(config.suite()), false, null);
    Database database = Database.open(config.dbUrl(), POOL_SIZE);
    AuditLog audit = null;
    Ledger ledger = null;
    SoftwareKeyCustody custody = null;
    PartyInbox inbox = null;
    IssuerHttp http = null;
    try {
      audit = config.openAudit(database);
      ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), audit);
      custody = SoftwareKeyCustody.open(dataDir.resolve(CUSTODY_DIR), config.suite(), master);
      CardAuthorisationService service = new CardAuthorisationService(database, ledger, custody,
          config.serviceConfig(), Clock.systemUTC());
      // A directory written before signed files has no certificate: the issuer then takes no file (refused, logged).
      FileTrust trust = PartyFileTrust.enrolled(dataDir)
          ? PartyFileTrust.open(dataDir, custody, PartyId.of(config.id()), PartyRole.ISSUER) : null;
      CardClearing clearing = trust == null ? null : new CardClearing(PartyId.of(config.id()), service, database,
          FileLimits.defaults(), PartyFiles.ownerOnlyDirectory(PartyInbox.out(dataDir)), trust);
      String self = config.id();
      inbox = PartyInbox.start(config.id(), List.of(new PartyInbox.Watch(PartyInbox.in(dataDir),
          file -> apply(self, clearing, file))), PartyInbox.INTERVAL_MS_DEFAULT);
      PartyMetrics registry = new PartyMetrics("issuer", config.id());
      LedgerMeters.register(registry.registry(), ledger, audit);
      Ledger books = ledger;
      AuditLog log = audit;
      http = IssuerHttp.start(new InetSocketAddress(config.listen().getHostString(), 0), registry::scrape,
          new IssuerConsole.Services(books::balances, IssuerParty::accountName, log, () -> verifyAudit(database, log),
              service, config.currency().alphaCode(), config.currency().minorDigits(),
              PartyHttpServer.operatorOfToken(config.operatorToken(), IssuerHttp.OPERATOR)), options.tls());
      Iso8583Server server = new Iso8583Server(config.link(), config.switchLink().zoneKeys(),
          AuthorisationMetrics.metered(service, "issuer", registry.authorisations()), Iso8583Wire.load())
          .start(config.listen());
      return new IssuerParty(config.id(), database, audit, ledger, custody, service, server, inbox, http);
    } catch (RuntimeException | IOException e) {
      if (http != null) {
        http.close();
      }
      if (inbox != null) {
        inbox.close();
      }
      if (custody != null) {
        custody.close();
      }
      if (ledger != null) {
        ledger.close();
      }
      if (audit != null) {
        audit.close();
      }
      database.close();
      throw e;
    }
  }

  /**
   * The HTTP listener's port: {@code GET /metrics} (docs/metrics.md), the operator console at
   * {@code /console} (docs/console.md) and {@code GET /openapi.json}.
   */
  public int metricsPort() {
    return http.port();
  }

  /** Whether the HTTP listener runs TLS ({@link Options#tls()}). */
  public boolean httpTls() {
    return http.tls();
  }

  /** The routes the HTTP listener registered, {@code "METHOD /path/{param}"} (the OpenAPI test compares them). */
  public List<String> httpRoutes() {
    return http.routes();
  }

  /**
   * The issuer's operator token of a data directory, opened from its sealed keys: the console's login.
   * A secret.
   *
   * @throws PartyConfigException when the directory is not an issuer's or its keys hold no token
   */
  public static String operatorToken(Path dataDir) {
    String token = Config.read(dataDir, Options.none()).operatorToken();
    if (token == null) {
      throw new PartyConfigException(KEYS_FILE + ": no " + OPERATOR_TOKEN + " (an issuer directory written before the console)");
    }
    return token;
  }

  /**
   * What {@code iotpay audit verify --db … --public-key audit-public-key.pem} finds on the live
   * database: every leaf and checkpoint under the issuer's own public key, every ledger row and account
   * against its leaf.
   */
  private static VerificationReport verifyAudit(Database database, AuditLog audit) {
    try {
      return AuditVerifier.verify(DatabaseAuditSource.of(database), Map.of(audit.keyId(),
          audit.suite().signature().publicKeyFromDer(audit.publicKeyDer())), LedgerAuditCheck.of(database));
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("the issuer's audit log cannot be read: " + e.getMessage(), e);
    }
  }

  /** What an account of the issuer's books is for. */
  static String accountName(long id) {
    if (id >= FIRST_CARD_ACCOUNT) {
      return "card " + (id - FIRST_CARD_ACCOUNT + 1);
    }
    if (id == FUNDING_ACCOUNT) {
      return "funding";
    }
    if (id == SETTLEMENT_ACCOUNT) {
      return "settlement (owed to the scheme)";
    }
    return id == STAND_IN_ACCOUNT ? "stand-in exposure" : "";
  }

  public String id() {
    return id;
  }

  /** The port the switch connects to. */
  public int port() {
    return server.port();
  }

  public CardAuthorisationService service() {
    return service;
  }

  public Ledger ledger() {
    return ledger;
  }

  /** The issuer's books: every balance, and whether debits equal credits (pending and posted). */
  public Books books() {
    return Books.of(ledger.balances());
  }

  /** Opens a stopped issuer's database read-and-replay only (no server), returns its books and closes it. */
  public static Books books(Path dataDir, String dbUrl) {
    Config config = Config.read(dataDir, new Options(dbUrl, null, null));
    try (Database database = Database.open(config.dbUrl(), 2);
        Ledger ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none())) {
      return Books.of(ledger.balances());
    }
  }

  /**
   * The ledger's totals.
   *
   * @param balances every account
   * @param balanced debits equal credits, pending and posted, over all accounts
   */
  public record Books(Map<Long, AccountBalance> balances, boolean balanced) {
    static Books of(Map<Long, AccountBalance> balances) {
      long dp = 0;
      long cp = 0;
      long dq = 0;
      long cq = 0;
      for (AccountBalance b : balances.values()) {
        dp += b.debitsPendingMinor();
        cp += b.creditsPendingMinor();
        dq += b.debitsPostedMinor();
        cq += b.creditsPostedMinor();
      }
      return new Books(Map.copyOf(balances), dp == cp && dq == cq);
    }

    /** What the card account {@code index} (set-up order) has had debited, posted and pending. */
    public long cardDebitedMinor(int index) {
      AccountBalance b = balances.get(FIRST_CARD_ACCOUNT + index);
      return b == null ? 0 : b.debitsPostedMinor() + b.debitsPendingMinor();
    }

    /** What the issuer owes the scheme (posted and held), from the settlement account. */
    public long settlementCreditedMinor() {
      AccountBalance b = balances.get(SETTLEMENT_ACCOUNT);
      return b == null ? 0 : b.creditsPostedMinor() + b.creditsPendingMinor();
    }
  }

  /** Stops answering, then closes the host, the ledger, the custody and the database. */
  @Override
  public void close() {
    http.close();
    inbox.close();
    server.close();
    ledger.close();
    audit.close();
    custody.close();
    database.close();
  }

  /**
   * A file in {@code clearing/in/}: a presentment file from the switch, taken only with the switch's
   * valid signature ({@code <file>.sig}, checked before a byte of it is parsed; docs/signed-files.md),
   * applied to the holds ({@link CardClearing#apply}: a presentment seen before is answered from its
   * stored result, so the file applied again after a kill -9 moves nothing); the result file goes,
   * signed, to {@code clearing/out/}. A forged, unsigned, re-signed or replayed file, a damaged one or
   * one for another issuer is refused whole, nothing applied, with its reason in the log. Without a
   * file-signing certificate ({@code clearing} null) every file is refused.
   */
  private static PartyInbox.Outcome apply(String self, CardClearing clearing, Path file) {
    if (clearing == null) {
      LOG.log(System.Logger.Level.WARNING, "{0}: refused {1}: no {2} in the issuer''s directory (written before signed"
          + " files): no file is taken unsigned", self, file.getFileName(), PartyFileTrust.CERTIFICATE_FILE);
      return PartyInbox.Outcome.REFUSED;
    }
    try {
      clearing.apply(file);
      return PartyInbox.Outcome.DONE;
    } catch (ProtocolException e) { // its signature (SignedFileException), a damaged file or one for another party
      LOG.log(System.Logger.Level.WARNING, "{0}: refused {1}: {2}", self, file.getFileName(), e.getMessage());
      return PartyInbox.Outcome.REFUSED;
    }
  }

  /**
   * Enrols a set-up issuer directory for signed files: its file-signing key generated in its custody
   * (sealed under its master key), certified by {@code ca} in the ISSUER role, the certificate and the
   * CA's written into the directory ({@link PartyFileTrust#enrol}).
   */
  public static void enrolFileSigning(Path dataDir, SchemeCa ca, PartyFileTrust.Validity validity) {
    Config config = Config.read(dataDir, Options.none());
    SecretKeyBytes master = PartyFiles.masterKey(dataDir, System.getenv(PartyFiles.MASTER_KEY_ENV),
        masterKeyBytes(config.suite()), false, null);
    try (SoftwareKeyCustody custody = SoftwareKeyCustody.open(dataDir.resolve(CUSTODY_DIR), config.suite(), master)) {
      PartyFileTrust.enrol(ca, custody, dataDir, PartyId.of(config.id()), PartyRole.ISSUER, validity);
    }
  }

  static int masterKeyBytes(AlgorithmSuite suite) {
    return PartyKeys.masterKeyBytes(suite);
  }

  static String hostPort(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }

  /** The parsed {@link #CONFIG_FILE} and {@link #KEYS_FILE}. */
  record Config(String id, AlgorithmSuite suite, InetSocketAddress listen, LinkSettings link, LinkKeys switchLink,
      CurrencyUnit currency, long holdTimeoutMs, byte[] panLookupKey, String dbUrl, int dailyCountMax,
      long dailyAmountMaxMinor, KeyPair auditKey, String auditPublicHex, String operatorToken) {
    @Override
    public String toString() {
      return "Config[id=" + id + "]"; // never a key or the token
    }

    static Config read(Path dataDir, Options options) {
      PartyProperties p = PartyProperties.read(dataDir.resolve(CONFIG_FILE), false).onlyKeys(CONFIG_KEYS::contains);
      AlgorithmSuite suite = p.suite("suite");
      PartyProperties keys = PartyKeys.read(dataDir, suite, options.masterKeyHex())
          .onlyKeys(PartyProperties.keys(Set.of("pan.lookup", AuditSigningKey.PRIVATE, AuditSigningKey.PUBLIC, OPERATOR_TOKEN),
              "link." + SWITCH_PEER + "."));
      LinkKeys link = LinkKeys.of(keys, SWITCH_PEER);
      if (link.suite() != suite) {
        throw new PartyConfigException(KEYS_FILE + ": the switch link's suite differs from the issuer's");
      }
      CurrencyUnit currency;
      try {
        currency = CurrencyUnit.of(p.string("currency"));
      } catch (RuntimeException e) {
        throw new PartyConfigException(CONFIG_FILE + ": currency is not a known ISO 4217 code");
      }
      String db = options.dbUrl() != null ? options.dbUrl()
          : p.string("db", "jdbc:sqlite:" + dataDir.resolve(DATABASE_FILE).toAbsolutePath());
      LinkSettings settings;
      try {
        settings = LinkSettings.defaults(p.matching("institution", java.util.regex.Pattern.compile("[0-9]{1,11}"),
            "1..11 digits"), p.matching("node", java.util.regex.Pattern.compile("[ -~]{8}"), "8 printable characters"))
            .withEchoIntervalMs(0);
      } catch (AssertionError e) {
        throw new PartyConfigException(CONFIG_FILE + ": " + e.getMessage());
      }
      return new Config(p.matching("id", java.util.regex.Pattern.compile("[A-Z0-9-]{1,16}"), "a party id (A-Z, 0-9, -; 1..16)"), suite,
          options.listen() != null ? options.listen() : p.address("listen"), settings, link, currency,
          p.number("hold.timeout.ms", 1, 365 * 86_400_000L, HOLD_TIMEOUT_MS_DEFAULT),
          keys.key("pan.lookup", 32).value(), db, (int) p.number("card.daily.count.max", 1, 1_000_000, 1_000),
          p.number("card.daily.amount.max.minor", 1, Long.MAX_VALUE / 4, 100_000_000),
          AuditSigningKey.keyPair(suite, keys.string(AuditSigningKey.PRIVATE), keys.string(AuditSigningKey.PUBLIC)),
          keys.string(AuditSigningKey.PUBLIC),
          keys.has(OPERATOR_TOKEN) ? keys.matching(OPERATOR_TOKEN, TOKEN, "an operator token of 64 hex digits") : null);
    }

    /** The ledger's audit log, signing checkpoints with the issuer's sealed audit key. */
    AuditLog openAudit(Database database) {
      try {
        return AuditLog.open(database, AuditLogConfig.of(suite, auditKey));
      } catch (SQLException e) {
        throw new IllegalStateException("audit log: " + e.getMessage(), e);
      }
    }

    CardAuthorisationService.Config serviceConfig() {
      return new CardAuthorisationService.Config(SETTLEMENT_ACCOUNT, STAND_IN_ACCOUNT, holdTimeoutMs, panLookupKey, null);
    }
  }
}

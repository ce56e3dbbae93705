package io.iotpay.app.iot;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.issuer.authorisation.card.AccountAuthorisation;
import io.iotpay.issuer.authorisation.card.CardAuthorisationService;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.foundation.store.Database;
import io.iotpay.platform.decision.DecisionConfig;
import io.iotpay.platform.decision.PaymentDecisionService;
import io.iotpay.platform.decision.Iso8583Authoriser;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.metrics.AuthorisationMetrics;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.ZoneKeys;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.envelope.CounterStore;
import io.iotpay.platform.envelope.EnvelopeService;
import io.iotpay.platform.envelope.PlatformSigningKey;
import io.iotpay.platform.identity.DeviceCa;
import io.iotpay.platform.identity.DeviceRegistry;
import io.iotpay.platform.identity.IdentityConfig;
import io.iotpay.platform.identity.IdentityService;
import io.iotpay.platform.inbox.PlatformInbox;
import io.iotpay.platform.inbox.SecurityEventLog;
import io.iotpay.platform.keys.OwnerOnlyFiles;
import io.iotpay.platform.keys.PlatformKeyStore;
import io.iotpay.platform.keys.PlatformKeys;
import io.iotpay.platform.mandate.MandateRegistry;
import io.iotpay.platform.mandate.MerchantDirectory;
import io.iotpay.platform.risk.RiskConfig;
import io.iotpay.platform.risk.RiskEngine;
import io.iotpay.platform.rules.BillerDirectory;
import io.iotpay.platform.rules.BuiltInRules;
import io.iotpay.platform.rules.RuleEngine;
import io.iotpay.platform.state.DeviceStateConfig;
import io.iotpay.platform.state.DeviceStateRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.YearMonth;
import java.util.Arrays;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One IoT payment platform node, composed from its parts on one database: the audit log and the
 * issuer's ledger, device CAs and answer keys for both suites, identity, envelope counters, device
 * state, merchants, billers, mandates, risk, payment decisions, the built-in rules and the inbox every
 * transport hands envelopes to. Payment decisions reach the issuer's card authorisation host
 * ({@link CardAuthorisationService}, its account path) as ISO 8583 over loopback TCP, MACed under the
 * link's zone keys (docs/authorisation.md). The composition root of {@code iotpay demo iot} and
 * {@code iotpay serve}.
 */
public final class IotNode implements AutoCloseable {
  public final BusinessClock clock;
  public final AlgorithmSuite auditSuite;
  public final KeyPair auditKey;
  public final Database database;
  public final AuditLog auditLog;
  public final Ledger ledger;
  public final Map<AlgorithmSuite, DeviceCa> deviceCas = new EnumMap<>(AlgorithmSuite.class);
  public final Map<AlgorithmSuite, PlatformSigningKey> answerKeys = new EnumMap<>(AlgorithmSuite.class);
  public final IdentityService identity;
  public final EnvelopeService envelopes;
  public final DeviceStateRegistry states;
  /** The merchants, kept in {@link #database} (a restart finds them again). */
  public final MerchantDirectory merchants;
  public final BillerDirectory billers = new BillerDirectory();
  public final MandateRegistry mandates;
  public final RiskEngine risk;
  /** The issuer's card authorisation host, on {@link #ledger}: the platform's holds, captures and releases. */
  public final CardAuthorisationService issuerHost;
  /** The issuer's host on loopback TCP, and the platform's end of the link. */
  private final Iso8583Server issuerServer;
  /** Where the issuer host's answers are counted: nowhere until {@link #meterAuthorisations} names a registry. */
  private volatile AuthorisationMetrics issuerMetrics = AuthorisationMetrics.NONE;
  private final Iso8583Client issuerLink;
  private final SoftwareKeyCustody issuerCustody;
  public final PaymentDecisionService decisions;
  public final RuleEngine rules;
  public final PlatformInbox inbox;
  /**
   * Each device's payload key. Held in memory for the node's life (the demo's devices get theirs at
   * enrolment); a production node keeps them wrapped under its master key like the issuer's key vault.
   */
  private final Map<DeviceId, SecretKeyBytes> payloadKeys = new ConcurrentHashMap<>();

  /**
   * Opens a node on the SQLite file {@code databaseFile} (created if missing) with throwaway device
   * CAs and answer keys made in memory (the demo's and the bench's node: nothing outlives it).
   *
   * @param auditKey the audit log's checkpoint-signing key, of {@code auditSuite}
   */
  public IotNode(Path databaseFile, BusinessClock clock, AlgorithmSuite auditSuite, KeyPair auditKey, RiskConfig riskConfig,
      SecureRandom random) throws Exception {
    this(databaseFile, clock, auditSuite, auditKey, PlatformKeys.generate(auditSuite, clock.now().minus(Duration.ofDays(1)), random),
        riskConfig, random);
  }

  /**
   * Opens a node on the SQLite file {@code databaseFile} (created if missing) with the long-lived
   * keys of {@code keys}: its audit key, device CAs and answer keys. The same keys on the same file
   * give the same node after a restart: the audit log verifies across it and registered devices stay
   * valid.
   *
   * @param keys the node's platform keys (e.g. from {@link PlatformKeyStore#openOrCreate}); never null
   */
  public IotNode(Path databaseFile, BusinessClock clock, PlatformKeys keys, RiskConfig riskConfig, SecureRandom random)
      throws Exception {
    this(sqliteUrl(databaseFile), databaseFile, clock, keys.auditSuite(), keys.auditKey(), keys, riskConfig, random);
  }

  /**
   * Opens a node on the database behind {@code jdbcUrl} ({@code jdbc:sqlite:FILE} or
   * {@code jdbc:postgresql:…}; the same migrations on both) with the long-lived keys of {@code keys}.
   *
   * @param sideFiles the issuer host's secrets file and key custody directory are this path's name
   *     plus {@code .issuer-secrets} / {@code .issuer-custody}, beside it (owner-only)
   */
  public IotNode(String jdbcUrl, Path sideFiles, BusinessClock clock, PlatformKeys keys, RiskConfig riskConfig, SecureRandom random)
      throws Exception {
    this(jdbcUrl, sideFiles, clock, keys.auditSuite(), keys.auditKey(), keys, riskConfig, random);
  }

  private IotNode(Path databaseFile, BusinessClock clock, AlgorithmSuite auditSuite, KeyPair auditKey, PlatformKeys keys,
      RiskConfig riskConfig, SecureRandom random) throws Exception {
    this(sqliteUrl(databaseFile), databaseFile, clock, auditSuite, auditKey, keys, riskConfig, random);
  }

  private IotNode(String jdbcUrl, Path databaseFile, BusinessClock clock, AlgorithmSuite auditSuite, KeyPair auditKey, PlatformKeys keys,
      RiskConfig riskConfig, SecureRandom random) throws Exception {
    this.clock = clock;
    this.auditSuite = auditSuite;
    this.auditKey = auditKey;
    if (Database.dialectOf(jdbcUrl) == Database.Dialect.SQLITE) {
      OwnerOnlyFiles.restrictDatabase(Path.of(jdbcUrl.substring(SQLITE_PREFIX.length()).split("\\?", 2)[0]));
    }
    this.database = Database.open(jdbcUrl, 4);
    this.merchants = MerchantDirectory.open(database);
    this.auditLog = AuditLog.open(database, AuditLogConfig.of(auditSuite, auditKey).withClock(clock.asJavaClock()));
    this.ledger = Ledger.open(database, LedgerConfig.defaults(), clock.asJavaClock(), auditLog);
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      deviceCas.put(suite, keys.deviceCa(suite, random));
      answerKeys.put(suite, keys.answerKey(suite));
    }
    this.identity = new IdentityService(new DeviceRegistry(database), deviceCas, IdentityConfig.defaults());
    this.envelopes = new EnvelopeService(identity, new CounterStore(database), answerKeys,
        id -> Optional.ofNullable(payloadKeys.get(id)), EnvelopeService.ENVELOPE_BYTES_MAX_DEFAULT, random);
    // Clone suspicions, their evidence and the operator's verdicts are in the database: a restart keeps them.
    this.states = DeviceStateRegistry.open(database, clock, DeviceStateConfig.defaults());
    this.mandates = MandateRegistry.open(database, clock, merchants);
    this.risk = new RiskEngine(states, clock, riskConfig);
    byte[] issuerSecrets = issuerSecrets(databaseFile, random);
    Path custodyDir = OwnerOnlyFiles.createDirectories(databaseFile.resolveSibling(databaseFile.getFileName() + ".issuer-custody"));
    this.issuerCustody = SoftwareKeyCustody.open(custodyDir, AlgorithmSuite.INTERNATIONAL,
        new SecretKeyBytes(Arrays.copyOfRange(issuerSecrets, 0, 32)));
    DecisionConfig decisionConfig = DecisionConfig.defaults();
    // No card is registered at this node's issuer: the card path's settlement and stand-in accounts are never posted to.
    this.issuerHost = new CardAuthorisationService(database, ledger, issuerCustody, new CardAuthorisationService.Config(
        NO_CARD_ACCOUNT, NO_CARD_ACCOUNT, decisionConfig.holdTimeoutMs(), Arrays.copyOfRange(issuerSecrets, 32, 64), null),
        clock.asJavaClock());
    Arrays.fill(issuerSecrets, (byte) 0);
    // Fresh zone keys each start: both ends of the link live and restart in this process.
    byte[] zmk = new byte[16];
    random.nextBytes(zmk);
    SecretKeyBytes zak = ZoneKeys.newZak();
    Iso8583Wire wire = Iso8583Wire.load();
    this.issuerServer = new Iso8583Server(LinkSettings.defaults(INSTITUTION_ID, "ISSUER01").withEchoIntervalMs(0),
        new ZoneKeys(auditSuite, new SecretKeyBytes(zmk), zak, 30_000),
        AuthorisationMetrics.metered(issuerHost, "issuer", (request, response, by, ns) -> issuerMetrics.answered(request, response, by, ns)),
        wire)
        .start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.issuerLink = new Iso8583Client(new InetSocketAddress(InetAddress.getLoopbackAddress(), issuerServer.port()),
        LinkSettings.defaults(INSTITUTION_ID, "IOTNODE1").withEchoIntervalMs(0),
        new ZoneKeys(auditSuite, new SecretKeyBytes(zmk), zak, 30_000), wire);
    Arrays.fill(zmk, (byte) 0);
    this.decisions = new PaymentDecisionService(database, clock, mandates, merchants, risk,
        new Iso8583Authoriser(issuerLink, INSTITUTION_ID, "IOTNODE1", this::tokenOf), auditLog, decisionConfig);
    this.rules = new RuleEngine(BuiltInRules.book(), billers);
    decisions.addListener(rules);
    rules.resume(decisions.openDecisions());
    this.inbox = new PlatformInbox(envelopes, states, rules, decisions, clock, new SecurityEventLog(10_000, 20));
  }

  private static final String SQLITE_PREFIX = "jdbc:sqlite:";

  private static String sqliteUrl(Path databaseFile) {
    return SQLITE_PREFIX + databaseFile;
  }

  /** The operator API's view of this node's ledger: accounts opened and funded through it. */
  public io.iotpay.platform.operator.AccountLedger accounts() {
    return new NodeAccounts(ledger);
  }

  /** Gives a device its payload key (for encrypted payloads and answers). */
  public void payloadKey(DeviceId device, SecretKeyBytes key) {
    payloadKeys.put(device, key);
  }

  /**
   * The account token of a paying account: {@link AccountAuthorisation#TOKEN_RANGE}, the account id in
   * 11 digits, a Luhn digit. The platform and the issuer share this node, so the node enrols the
   * account at the issuer's host (keyed hash only) the first time it is asked; empty when the
   * ledger has no such account (the hold is then refused as UNKNOWN_ACCOUNT).
   */
  private Optional<Pan> tokenOf(long accountId) {
    if (accountId <= 0 || accountId > 99_999_999_999L || ledger.balance(accountId).isEmpty()) {
      return Optional.empty();
    }
    Pan token = Pan.withCheckDigit(AccountAuthorisation.TOKEN_RANGE + String.format("%011d", accountId));
    if (issuerHost.card(token).isEmpty()) {
      issuerHost.accounts().register(token, TOKEN_EXPIRY, accountId, TOKEN_DAILY_COUNT_MAX, TOKEN_DAILY_AMOUNT_MAX_MINOR);
    }
    return Optional.of(token);
  }

  /** The issuer's account rules for the node's paying accounts: the mandates carry the owners' limits. */
  private static final YearMonth TOKEN_EXPIRY = YearMonth.of(2099, 12);
  private static final int TOKEN_DAILY_COUNT_MAX = 1_000_000;
  private static final long TOKEN_DAILY_AMOUNT_MAX_MINOR = 1_000_000_000_000L;
  private static final long NO_CARD_ACCOUNT = Long.MAX_VALUE;
  /** Field 32 of the platform's link to the issuer. */
  private static final String INSTITUTION_ID = "48029999";
  private static final int ISSUER_SECRETS_BYTES = 64;

  /**
   * The issuer host's secrets, in an owner-only file beside the database (made on first start): the
   * key custody's master key (32 bytes) and the account-token look-up key (32 bytes), which must
   * outlive a restart so registered tokens are found again.
   */
  private static byte[] issuerSecrets(Path databaseFile, SecureRandom random) throws IOException {
    Path file = databaseFile.resolveSibling(databaseFile.getFileName() + ".issuer-secrets");
    if (Files.exists(file)) {
      OwnerOnlyFiles.restrict(file);
      byte[] secrets = Files.readAllBytes(file);
      if (secrets.length != ISSUER_SECRETS_BYTES) {
        throw new IOException(file + " is not a " + ISSUER_SECRETS_BYTES + "-byte issuer secrets file");
      }
      return secrets;
    }
    byte[] secrets = new byte[ISSUER_SECRETS_BYTES];
    random.nextBytes(secrets);
    Files.write(Files.createFile(file, PosixFilePermissions.asFileAttribute(OwnerOnlyFiles.FILE)), secrets);
    return secrets;
  }

  /**
   * Reports each answer of the node's issuer host (0110, 0230, 0410 by response code) to {@code metrics},
   * e.g. {@code PartyMetrics.authorisations(registry)} of the HTTP API's {@code /metrics}.
   *
   * @param metrics never null; {@link AuthorisationMetrics#NONE} stops reporting
   */
  public void meterAuthorisations(AuthorisationMetrics metrics) {
    this.issuerMetrics = java.util.Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public void close() {
    issuerLink.close();
    issuerServer.close();
    issuerCustody.close();
    ledger.close();
    auditLog.close();
    database.close();
  }
}

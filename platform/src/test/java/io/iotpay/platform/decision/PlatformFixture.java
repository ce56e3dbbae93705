package io.iotpay.platform.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.issuer.authorisation.AuthorisationHost;
import io.iotpay.issuer.authorisation.AuthorisationHostConfig;
import io.iotpay.issuer.authorisation.card.AccountAuthorisation;
import io.iotpay.issuer.authorisation.card.CardAuthorisationService;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.ZoneKeys;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.YearMonth;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.AccountResult;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.InclusionProof;
import io.iotpay.foundation.store.Database;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.mandate.MandateRegistry;
import io.iotpay.platform.mandate.MandateTerms;
import io.iotpay.platform.mandate.Merchant;
import io.iotpay.platform.mandate.MerchantDirectory;
import io.iotpay.platform.risk.RiskConfig;
import io.iotpay.platform.risk.RiskEngine;
import io.iotpay.platform.state.DeviceObservation;
import io.iotpay.platform.state.DeviceStateConfig;
import io.iotpay.platform.state.DeviceStateRegistry;
import io.iotpay.platform.state.GeoPoint;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The whole decision path on real parts: a SQLite file (or a PostgreSQL schema), the audit log
 * (signing with the suite), the ledger journaling into it, the state registry, mandates, risk and the
 * decision service, on a manual business clock. One issuer book (1) holds the users' accounts, the
 * issuer's funding account and the merchants' settlement accounts.
 *
 * <p>By default the service reaches the issuer as production does: a {@link ProtocolAuthoriser}
 * sending encoded authorisation messages over a {@link LossyLink} to the issuer's real
 * {@link AuthorisationHost} on this ledger. {@link Route#LEDGER} instead gives the service a
 * {@link LedgerAuthoriser} (test code) that holds the money in this ledger with no issuer in between.
 */
public final class PlatformFixture implements AutoCloseable {
  /** How the decision service reaches the issuer's book. */
  public enum Route {
    /** ProtocolAuthoriser → LossyLink → AuthorisationHost → ledger (production's path). */
    PROTOCOL,
    /** A {@link LedgerAuthoriser} on the ledger: no issuer in between (test code only). */
    LEDGER,
    /**
     * Iso8583Authoriser → MACed ISO 8583 over loopback TCP → the issuer's real CardAuthorisationService
     * (its account path) behind an Iso8583Server → ledger.
     */
    CARD_HOST
  }

  public static final CurrencyUnit CNY = CurrencyUnit.CNY;
  public static final long ISSUER_BOOK = 1;
  public static final long FUNDING_ACCOUNT = 100;
  public static final Instant START = Instant.parse("2026-11-02T08:00:00Z");

  public final AlgorithmSuite suite;
  public final KeyPair auditKey;
  public final ManualBusinessClock clock;
  /** The store's JDBC URL; null when the fixture was given an open database (it cannot restart). */
  private final String jdbcUrl;
  private final RiskConfig riskConfig;
  private final Route route;
  public final Database database;
  public final AuditLog auditLog;
  public final Ledger ledger;
  public final DeviceStateRegistry states;
  public final MerchantDirectory merchants = new MerchantDirectory();
  public final MandateRegistry mandates;
  public final RiskEngine risk;
  /** The issuer's side of authorisations, on {@link #ledger}. */
  public final AuthorisationHost host;
  /** The link between the service and {@link #host}; it can be told to lose answers (unused on {@link Route#LEDGER}). */
  public final LossyLink link;
  public final PaymentDecisionService service;
  /** The issuer's card host on {@link #ledger} ({@link Route#CARD_HOST} only, else null). */
  public CardAuthorisationService cardHost;
  /** The platform's ISO 8583 authoriser to {@link #cardHost} ({@link Route#CARD_HOST} only, else null). */
  public Iso8583Authoriser cardHostAuthoriser;
  /** How many of the card host's next answers are lost after it applied the request (answered 96). */
  public final AtomicInteger cardHostAnswersToLose = new AtomicInteger();
  private Iso8583Server cardHostServer;
  private Iso8583Client cardHostLink;
  private SoftwareKeyCustody cardHostCustody;
  private long nextTransferId = 1;
  private long nextSessionNumber = 1;

  public PlatformFixture(AlgorithmSuite suite, Path tempDir) throws Exception {
    this(suite, tempDir, RiskConfig.defaults());
  }

  public PlatformFixture(AlgorithmSuite suite, Path tempDir, RiskConfig riskConfig) throws Exception {
    this(suite, sqliteUrl(suite, tempDir), null, Route.PROTOCOL, riskConfig);
  }

  /** A platform on a SQLite file in {@code tempDir} whose service reaches the issuer by {@code route}. */
  public PlatformFixture(AlgorithmSuite suite, Path tempDir, Route route) throws Exception {
    this(suite, sqliteUrl(suite, tempDir), null, route, RiskConfig.defaults());
  }

  /**
   * A platform on an open, empty store (e.g. a fresh PostgreSQL schema), reaching the issuer over the
   * protocol. It closes the store; it cannot {@link #restart()}.
   */
  public PlatformFixture(AlgorithmSuite suite, Database database) throws Exception {
    this(suite, null, database, Route.PROTOCOL, RiskConfig.defaults());
  }

  private PlatformFixture(AlgorithmSuite suite, String jdbcUrl, Database database, Route route, RiskConfig riskConfig) throws Exception {
    this(suite, jdbcUrl, database, suite.signature().generateKeyPair(new SecureRandom()),
        new ManualBusinessClock(START, BusinessDayRule.UTC_MIDNIGHT), route, riskConfig);
  }

  private PlatformFixture(AlgorithmSuite suite, String jdbcUrl, Database database, KeyPair auditKey, ManualBusinessClock clock,
      Route route, RiskConfig riskConfig) throws Exception {
    this.suite = suite;
    this.auditKey = auditKey;
    this.clock = clock;
    this.jdbcUrl = jdbcUrl;
    this.riskConfig = riskConfig;
    this.route = route;
    this.database = database != null ? database : Database.open(jdbcUrl, 4);
    this.auditLog = AuditLog.open(this.database, AuditLogConfig.of(suite, auditKey).withClock(clock.asJavaClock()));
    this.ledger = Ledger.open(this.database, LedgerConfig.defaults(), clock.asJavaClock(), auditLog);
    this.states = DeviceStateRegistry.open(this.database, clock, DeviceStateConfig.defaults());
    this.mandates = MandateRegistry.open(this.database, clock, merchants);
    this.risk = new RiskEngine(states, clock, riskConfig);
    this.host = new AuthorisationHost(ledger, AuthorisationHostConfig.defaults());
    this.link = new LossyLink(host::handle);
    try {
      this.service = switch (route) {
        case PROTOCOL -> new PaymentDecisionService(this.database, clock, mandates, merchants, risk, new ProtocolAuthoriser(link),
            auditLog, DecisionConfig.defaults());
        case LEDGER -> new PaymentDecisionService(this.database, clock, mandates, merchants, risk,
            new LedgerAuthoriser(ledger, DecisionConfig.defaults().ledgerWaitMs()), auditLog, DecisionConfig.defaults());
        case CARD_HOST -> new PaymentDecisionService(this.database, clock, mandates, merchants, risk, openCardHost(),
            auditLog, DecisionConfig.defaults());
      };
    } catch (RuntimeException | Error e) {
      close(); // a refused start must not leave the ledger's writer and the checkpointer running
      throw e;
    }
    createAccount(FUNDING_ACCOUNT, AccountFlags.NONE);
  }

  /** Field 32 of the platform's link to the card host. */
  public static final String ACQUIRER_ID = "48029999";
  private static final byte[] TOKEN_LOOKUP_KEY = "platform-fixture-token-lookup-key".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** The account token of {@code accountId} on {@link Route#CARD_HOST}. */
  public static Pan tokenOf(long accountId) {
    return Pan.withCheckDigit(AccountAuthorisation.TOKEN_RANGE + String.format("%011d", accountId));
  }

  /** The card host on this ledger behind a server on loopback, and the platform's authoriser over a client. */
  private Iso8583Authoriser openCardHost() throws Exception {
    Path custodyDir = Path.of(jdbcUrl.substring("jdbc:sqlite:".length())).resolveSibling("custody-" + suite);
    cardHostCustody = SoftwareKeyCustody.open(custodyDir, AlgorithmSuite.INTERNATIONAL, new SecretKeyBytes(new byte[32]));
    cardHost = new CardAuthorisationService(database, ledger, cardHostCustody, new CardAuthorisationService.Config(
        Long.MAX_VALUE, Long.MAX_VALUE, DecisionConfig.defaults().holdTimeoutMs(), TOKEN_LOOKUP_KEY, null), clock.asJavaClock());
    Iso8583Server.Handler lossy = request -> {
      var answer = cardHost.handle(request);
      if (cardHostAnswersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IllegalStateException("the answer is lost (test)"); // applied, but the platform hears 96
      }
      return answer;
    };
    cardHostServer = new Iso8583Server(LinkSettings.defaults(ACQUIRER_ID, "ISSUER01").withEchoIntervalMs(0), zoneKeys(),
        lossy, Iso8583Wire.load()).start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    cardHostLink = new Iso8583Client(new InetSocketAddress(InetAddress.getLoopbackAddress(), cardHostServer.port()),
        LinkSettings.defaults(ACQUIRER_ID, "IOTNODE1").withEchoIntervalMs(0), zoneKeys(), Iso8583Wire.load());
    cardHostAuthoriser = new Iso8583Authoriser(cardHostLink, ACQUIRER_ID, "IOTNODE1", id -> Optional.of(tokenOf(id)));
    return cardHostAuthoriser;
  }

  private ZoneKeys zoneKeys() {
    return new ZoneKeys(suite, SecretKeyBytes.fromHex("0123456789ABCDEFFEDCBA9876543210"),
        SecretKeyBytes.fromHex("00112233445566778899AABBCCDDEEFF"), 30_000);
  }

  /** A user account (cannot go overdrawn) funded with {@code fundsMinor} from the issuer's funding account. */
  public void userAccount(long accountId, long fundsMinor) throws Exception {
    createAccount(accountId, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS);
    if (cardHost != null) {
      cardHost.accounts().register(tokenOf(accountId), YearMonth.of(2099, 12), accountId, 1_000, 1_000_000_000L);
    }
    if (fundsMinor > 0) {
      List<TransferResult> results = ledger.submit(List.of(Transfer.single(fundingId(), FUNDING_ACCOUNT, accountId, fundsMinor)))
          .get(30, TimeUnit.SECONDS);
      assertThat(results).containsExactly(TransferResult.OK);
    }
  }

  public Merchant merchant(String id, String category, long settlementAccountId, GeoPoint place) throws Exception {
    createAccount(settlementAccountId, AccountFlags.NONE);
    Merchant merchant = new Merchant(id, id + " Ltd", category, settlementAccountId, place);
    merchants.put(merchant);
    return merchant;
  }

  /** A device that is online now (a session and one message at counter 0). */
  public DeviceId onlineDevice(String id) {
    DeviceId device = DeviceId.of(id);
    String session = "s" + nextSessionNumber++;
    states.observe(new DeviceObservation.Connected(device, clock.now(), session));
    states.observe(new DeviceObservation.Message(device, clock.now(), session, 0));
    return device;
  }

  public static MandateTerms terms(long perPaymentMinor, long perDayMinor, long perMonthMinor, long thresholdMinor,
      Set<String> merchants, Set<String> categories) {
    return new MandateTerms(cny(perPaymentMinor), cny(perDayMinor), cny(perMonthMinor), cny(thresholdMinor), merchants, categories);
  }

  public static Money cny(long minor) {
    return Money.ofMinor(minor, CNY);
  }

  private static String sqliteUrl(AlgorithmSuite suite, Path tempDir) {
    return "jdbc:sqlite:" + tempDir.resolve("platform-" + suite + ".db");
  }

  public AccountBalance balance(long accountId) {
    return ledger.balance(accountId).orElseThrow();
  }

  /** Every book balances: pending and posted debits equal credits per book and currency. */
  public void assertBooksBalance() {
    Map<String, long[]> sums = new HashMap<>();
    for (AccountBalance balance : ledger.balances().values()) {
      long[] sum = sums.computeIfAbsent(balance.account().bookId() + "/" + balance.account().currency(), k -> new long[4]);
      sum[0] += balance.debitsPendingMinor();
      sum[1] += balance.creditsPendingMinor();
      sum[2] += balance.debitsPostedMinor();
      sum[3] += balance.creditsPostedMinor();
    }
    for (Map.Entry<String, long[]> book : sums.entrySet()) {
      assertThat(book.getValue()[0]).as("pending debits = credits in " + book.getKey()).isEqualTo(book.getValue()[1]);
      assertThat(book.getValue()[2]).as("posted debits = credits in " + book.getKey()).isEqualTo(book.getValue()[3]);
    }
  }

  /** The owner's proofs checked with the log's public key only, and each entry decoded back to its decision. */
  public void assertProvable(IdempotencyKey key, String userId) {
    List<PaymentDecision> versions = service.versions(key);
    List<InclusionProof> proofs = service.proofs(key, userId);
    assertThat(proofs).hasSameSizeAs(versions);
    PublicKey publicKey = auditKey.getPublic();
    Map<String, PublicKey> trusted = Map.of(Checkpoint.keyIdOf(suite, publicKey.getEncoded()), publicKey);
    for (int i = 0; i < proofs.size(); i++) {
      InclusionProof proof = proofs.get(i);
      assertThat(proof.problem(trusted)).as("proof of " + key + " v" + i).isEmpty();
      assertThat(proof.leafIndex()).isEqualTo(versions.get(i).auditIndex());
      assertThat(DecisionCodec.decode(proof.entry(), proof.leafIndex())).isEqualTo(versions.get(i));
    }
  }

  private void createAccount(long id, AccountFlags flags) throws Exception {
    List<AccountResult> results = ledger.createAccounts(List.of(new Account(id, ISSUER_BOOK, CNY, flags))).get(30, TimeUnit.SECONDS);
    assertThat(results).containsExactly(AccountResult.OK);
  }

  private long fundingId() {
    // Funding transfers use small ids; payment ids are 63-bit hashes, so the spaces do not meet in a test.
    return nextTransferId++;
  }

  /**
   * Closes this platform and opens a new one on the same database file and audit key, as a restart
   * does: the ledger, audit log, decisions, mandates and clone suspicions come back from the store; the
   * rest of the device state and the merchants (this fixture's directory is in memory) do not.
   */
  public PlatformFixture restart() throws Exception {
    assertThat(jdbcUrl).as("a fixture on a given database cannot restart").isNotNull();
    close();
    return new PlatformFixture(suite, jdbcUrl, null, auditKey, new ManualBusinessClock(clock.now(), BusinessDayRule.UTC_MIDNIGHT), route,
        riskConfig);
  }

  @Override
  public void close() {
    if (cardHostLink != null) {
      cardHostLink.close();
      cardHostServer.close();
      cardHostCustody.close();
    }
    ledger.close();
    auditLog.close();
    database.close();
  }
}

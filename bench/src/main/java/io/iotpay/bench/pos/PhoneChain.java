package io.iotpay.bench.pos;

import io.iotpay.acquirer.pos.AcquirerPosServer;
import io.iotpay.bench.auth.AuthBench;
import io.iotpay.acquirer.pos.merchant.InMemorySettlementAccountCheck;
import io.iotpay.acquirer.pos.online.AcquirerHost;
import io.iotpay.acquirer.pos.online.AcquirerHostConfig;
import io.iotpay.acquirer.pos.risk.RiskConfig;
import io.iotpay.acquirer.pos.risk.TerminalRiskService;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.DigestAlgorithm;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.RecordSeal;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyUsage;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.authorisation.card.CardAuthorisationService;
import io.iotpay.issuer.authorisation.card.QrTokenAuthorisation;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.phone.pos.AcquirerHttp;
import io.iotpay.phone.pos.DeviceSensors;
import io.iotpay.phone.pos.HttpAcquirerClient;
import io.iotpay.phone.pos.MonitoringService;
import io.iotpay.phone.pos.PosSdk;
import io.iotpay.phone.pos.SecureElement;
import io.iotpay.phone.wallet.IssuerApp;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.ZoneKeys;
import io.iotpay.protocol.qr.PushCreditOutcome;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.switching.online.AcquirerEndpoint;
import io.iotpay.switching.online.IssuerEndpoint;
import io.iotpay.switching.online.OnlineSwitch;
import io.iotpay.switching.online.OnlineSwitchConfig;
import io.iotpay.switching.online.StandInLimits;
import io.iotpay.switching.online.StoreKeys;
import io.iotpay.terminal.pos.PosConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The four parties of a phone payment in this JVM, on real parts over loopback: phones ({@link
 * PosSdk} with its key in a {@link SimulatedSecureElement}) → the acquirer (its registry and HTTP
 * API {@link AcquirerPosServer}, terminal risk sensing {@link TerminalRiskService} served on that
 * API and asked by the {@link AcquirerHost} before each payment) → the {@link OnlineSwitch} → the
 * issuer's {@link CardAuthorisationService} behind an {@link Iso8583Server}; every ISO 8583 link
 * MACed, every party on its own SQLite file. One merchant, registered over HTTP; each phone enrolled
 * and attesting over HTTP, as an acquiring app does. One suite for every key. With {@link
 * #qrIssuerApps} the issuer also authorises consumer-presented QR codes: cardholders' issuer apps
 * with payment tokens in jCardSim secure elements ({@link QrTokenChip}).
 */
final class PhoneChain implements AutoCloseable {
  static final PartyId ACQUIRER = PartyId.of("ACQ1");
  static final PartyId ISSUER = PartyId.of("ISSA");
  static final String INSTITUTION = "48020000";
  static final String TOKEN_PREFIX = "62123499";
  private static final YearMonth TOKEN_EXPIRY = YearMonth.of(2030, 12);
  static final byte[] SDK_BUILD = DigestAlgorithm.SHA_256.digest("iotpay-pos-sdk bench build".getBytes(StandardCharsets.US_ASCII));
  private static final String IMK_LABEL = "imk-ac";
  private static final long BOOK = 1;
  private static final long FUNDING = 10;
  private static final long SETTLEMENT = 20;
  private static final long STAND_IN = 30;
  private static final long FIRST_CARD_ACCOUNT = 1_000;
  private static final String BANK = "10200000";
  private static final String ACCOUNT = "6222000011112222";
  private static final SecureRandom RANDOM = new SecureRandom();

  final AlgorithmSuite suite;
  private final Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final SecretKeyBytes imk = randomKey();
  private final Ledger issuerLedger;
  private final Ledger acquirerLedger;
  private final CardAuthorisationService issuer;
  private final AcquirerPosServer registry;
  private final AcquirerHost host;
  private final String merchantToken;
  private final ZoneKeys terminalKeys;
  private final Iso8583Wire wire = Iso8583Wire.load();
  private int cards;

  /**
   * A phone: its SDK (enrolled, open), the time its attestation calls took, the time spent inside its
   * simulated SE, and the customer's card it charges.
   */
  record Phone(PosSdk sdk, TimedMonitoring monitoring, TimedChannel seTime, PosCard card) {}

  /** The monitoring service over HTTP, timed: nonce plus attestation, wall time, on the phone's thread. */
  static final class TimedMonitoring implements MonitoringService {
    private final MonitoringService inner;
    long nanos;

    TimedMonitoring(MonitoringService inner) {
      this.inner = inner;
    }

    @Override
    public byte[] nonce(String terminalId) {
      long t0 = System.nanoTime();
      try {
        return inner.nonce(terminalId);
      } finally {
        nanos += System.nanoTime() - t0;
      }
    }

    @Override
    public Verdict attest(String terminalId, byte[] token) {
      long t0 = System.nanoTime();
      try {
        return inner.attest(terminalId, token);
      } finally {
        nanos += System.nanoTime() - t0;
      }
    }
  }

  PhoneChain(AlgorithmSuite suite, Path dir) throws IOException, SQLException {
    this.suite = suite;
    this.dir = dir;
    try {
      Database issuerDb = keep(Database.open("jdbc:sqlite:" + dir.resolve("issuer.db"), 4));
      issuerLedger = keep(Ledger.open(issuerDb, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none()));
      SoftwareKeyCustody custody = keep(SoftwareKeyCustody.open(dir.resolve("custody"), suite,
          new SecretKeyBytes(new byte[suite == AlgorithmSuite.INTERNATIONAL ? 32 : 16])));
      custody.importClear(IMK_LABEL, suite, KeyUsage.ISSUER_MASTER, imk);
      issuer = new CardAuthorisationService(issuerDb, issuerLedger, custody, new CardAuthorisationService.Config(
          SETTLEMENT, STAND_IN, 7 * 86_400_000L, randomKey().value(), null), Clock.systemUTC());
      issuerLedger.createAccounts(List.of(Account.of(FUNDING, BOOK, CurrencyUnit.CNY),
          Account.of(SETTLEMENT, BOOK, CurrencyUnit.CNY), Account.of(STAND_IN, BOOK, CurrencyUnit.CNY))).join();
      ZoneKeys issuerKeys = zoneKeys();
      Iso8583Server issuerServer = keep(new Iso8583Server(LinkSettings.defaults("11110000", "ISSUER01")
          .withEchoIntervalMs(0), issuerKeys, issuer, wire).start(loopback(0)));
      ZoneKeys acquirerKeys = zoneKeys();
      OnlineSwitch online = keep(new OnlineSwitch(OnlineSwitchConfig.defaults(
          List.of(new AcquirerEndpoint(ACQUIRER, loopback(0), LinkSettings.defaults("99990000", "SWITCH01"), acquirerKeys)),
          List.of(new IssuerEndpoint(ISSUER, loopback(issuerServer.port()), LinkSettings.defaults("99990000", "SWITCH01")
              .withRequestTimeoutMs(10_000).withEchoIntervalMs(0), issuerKeys, IssuerEndpoint.STAND_IN_AFTER_MS_DEFAULT,
              new StandInLimits(cny(1), cny(1), cny(1)))),
          List.of(new CardRange("621234", ISSUER)), new StoreKeys(suite, randomKey(), randomKey(), randomKey())),
          keep(Database.open("jdbc:sqlite:" + dir.resolve("switch.db"), 4)), wire).start());
      registry = keep(AcquirerPosServer.start(new AcquirerPosServer.Settings("jdbc:sqlite:" + dir.resolve("registry.db"),
          "127.0.0.1", 0, suite, dir.resolve("registry-keys"), null, Set.of("5812"), Map.of("bench", Hex.encode(randomKey().value())),
          new InMemorySettlementAccountCheck().open(BANK, ACCOUNT))));
      TerminalRiskService risk = new TerminalRiskService(new RiskConfig(Set.of(Hex.encode(SDK_BUILD)), 60_000, 60_000,
          Integer.MAX_VALUE, 60_000, 900, 50), keep(Database.open("jdbc:sqlite:" + dir.resolve("risk.db"), 4)),
          registry.service(), Clock.systemUTC());
      registry.serveMonitoring(risk);
      terminalKeys = zoneKeys();
      Database acquirerDb = keep(Database.open("jdbc:sqlite:" + dir.resolve("acquirer.db"), 4));
      acquirerLedger = keep(Ledger.open(acquirerDb, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none()));
      host = keep(new AcquirerHost(new AcquirerHostConfig(ACQUIRER, INSTITUTION, loopback(online.port(ACQUIRER)),
          LinkSettings.defaults(INSTITUTION, "ACQNODE1").withRequestTimeoutMs(10_000).withEchoIntervalMs(0), acquirerKeys,
          loopback(0), LinkSettings.defaults(INSTITUTION, "ACQTERM0"), terminalKeys,
          new RecordSeal(suite, randomKey(), randomKey()), CurrencyUnit.CNY, 7, 1, 2, 1_000, 1_000_000, 150, 50, 400)
          .withRiskCheck(risk), acquirerDb, acquirerLedger, registry.service(), Clock.systemUTC()).start());
      merchantToken = registerMerchant();
    } catch (IOException | SQLException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The merchant's online registration over HTTP; the automatic review activates it. @return its token */
  private String registerMerchant() {
    AcquirerApi.Answer answer = new AcquirerApi(api()).register("bench-merchant-1", "Bench Noodle Stall",
        "91310000MA1K000001", "110105194912310021", "5812", "1 Bench Road", BANK, ACCOUNT);
    if (answer.status() != 201 || !"ACTIVATED".equals(answer.text("state"))) {
      throw new IllegalStateException("the bench merchant was not activated: " + answer.body());
    }
    return answer.text("merchant_token");
  }

  URI api() {
    return URI.create("http://127.0.0.1:" + registry.port());
  }

  /** A phone: SE, enrolment over HTTP, the SDK opened on its link; with a funded card of its own. */
  Phone phone(int n) {
    Path directory = dir.resolve("phone-" + n);
    TimedChannel[] seTime = new TimedChannel[1];
    SecureElement se = SimulatedSecureElement.create(suite, channel -> seTime[0] = new TimedChannel(channel));
    HttpAcquirerClient client = new HttpAcquirerClient(AcquirerHttp.jdk(api(), Duration.ofSeconds(30)), merchantToken, suite);
    String terminalId = PosSdk.enrol(directory, suite, se, client).terminalId();
    Iso8583Client link = new Iso8583Client(loopback(host.terminalPort()),
        LinkSettings.defaults(INSTITUTION, terminalId).withRequestTimeoutMs(20_000).withEchoIntervalMs(0), terminalKeys, wire);
    TimedMonitoring monitoring = new TimedMonitoring(client);
    // Floor limit 0: every payment goes online (the figure is of the online path).
    PosSdk sdk = keep(PosSdk.open(new PosSdk.Options(directory, INSTITUTION, "BENCHSHOP1", 1, 0,
        config -> config.withLimits(0, 30_000, PosConfig.RandomSelection.OFF)), se, link, monitoring,
        DeviceSensors.fixed(SDK_BUILD, 0, 31_230_400, 121_473_700), Clock.systemUTC()));
    return new Phone(sdk, monitoring, seTime[0], issueCard());
  }

  /** A card of the issuer (its own funded account, keys from the issuer's IMK) as the real EMV applet in jCardSim, without ODA. */
  private synchronized PosCard issueCard() {
    int n = ++cards;
    long account = FIRST_CARD_ACCOUNT + n;
    Pan pan = Pan.withCheckDigit(String.format("621234%09d", n));
    issuerLedger.createAccounts(List.of(new Account(account, BOOK, CurrencyUnit.CNY,
        AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS))).join();
    List<TransferResult> funded = issuerLedger.submit(List.of(Transfer.single(account, FUNDING, account,
        1_000_000_000L))).join();
    if (funded.stream().anyMatch(r -> r != TransferResult.OK)) {
      throw new IllegalStateException("funding a card account failed: " + funded);
    }
    issuer.registerCard(pan, 1, YearMonth.of(2030, 12), IMK_LABEL, account, Integer.MAX_VALUE, Long.MAX_VALUE / 4);
    ByteArrayOutputStream keys = new ByteArrayOutputStream(48);
    for (int i = 0; i < 3; i++) { // MK_AC from the issuer's IMK; the script keys are not used here
      keys.writeBytes(EmvKeyDerivation.cardMasterKey(suite, i == 0 ? imk : randomKey(), pan.digits(), "01").value());
    }
    // No ODA data: the phone's kernel does no offline data authentication on an online payment.
    return PosCard.of(suite, keys.toByteArray(), pan, PosCard.Profile.STANDARD);
  }

  /**
   * Enables the issuer's consumer-presented QR path (code lifetime {@code lifetime}) and makes
   * {@code tokens} cardholders, each a new funded card with a payment token registered to it and the
   * issuer app holding the token's key in its own simulated secure element. Call once.
   */
  List<IssuerApp> qrIssuerApps(int tokens, Duration lifetime) {
    QrTokenAuthorisation vault = issuer.enableQrTokens(TOKEN_PREFIX, lifetime);
    List<IssuerApp> apps = new ArrayList<>();
    for (int i = 1; i <= tokens; i++) {
      Pan card = issueCard().pan;
      Pan token = Pan.withCheckDigit(TOKEN_PREFIX + String.format("%07d", i));
      vault.register(token, card, IMK_LABEL, TOKEN_EXPIRY);
      QrTokenChip se = new QrTokenChip(suite, EmvKeyDerivation.cardMasterKey(suite, imk, token.digits(), "00"));
      apps.add(new IssuerApp(se.channel(), token, TOKEN_EXPIRY,
          order -> new PushCreditOutcome(false, "12", "no push credits in this bench"), Clock.systemUTC()));
    }
    return apps;
  }

  /** The card accounts' pending debits: what the issuer holds for the phones' approved payments. */
  long heldMinor() {
    long held = 0;
    for (int n = 1; n <= cards; n++) {
      held += issuerLedger.balance(FIRST_CARD_ACCOUNT + n).orElseThrow().debitsPendingMinor();
    }
    return held;
  }

  /** The issuer's ledger invariant: debits equal credits, pending and posted. */
  boolean issuerBooksBalance() {
    return AuthBench.booksBalance(issuerLedger);
  }

  /** The same invariant in the issuer's and the acquirer's ledgers. */
  boolean booksBalance() {
    return issuerBooksBalance() && AuthBench.booksBalance(acquirerLedger);
  }

  /** Reversals the acquirer still owes the switch. */
  long reversalsPending() {
    return host.reversalsPending();
  }

  private <T extends AutoCloseable> T keep(T resource) {
    open.add(0, resource);
    return resource;
  }

  @Override
  public void close() {
    for (AutoCloseable resource : open) {
      try {
        resource.close();
      } catch (Exception e) {
        // closing the rest matters more; the bench's directory is deleted after
      }
    }
    open.clear();
  }

  private ZoneKeys zoneKeys() {
    return new ZoneKeys(suite, randomKey(), randomKey(), 30_000);
  }

  static SecretKeyBytes randomKey() {
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    return new SecretKeyBytes(key);
  }

  static Money cny(long minor) {
    return Money.ofMinor(minor, CurrencyUnit.CNY);
  }

  private static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }
}

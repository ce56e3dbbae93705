package io.iotpay.acquirer.pos.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.acquirer.pos.AcquirerPosServer;
import io.iotpay.acquirer.pos.merchant.InMemorySettlementAccountCheck;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.merchant.Registration;
import io.iotpay.acquirer.pos.merchant.SettlementAccount;
import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvCryptograms;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.RecordSeal;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyUsage;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.issuer.authorisation.card.CardAuthorisationService;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.IccData;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ZoneKeys;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.switching.online.AcquirerEndpoint;
import io.iotpay.switching.online.IssuerEndpoint;
import io.iotpay.switching.online.OnlineSwitch;
import io.iotpay.switching.online.OnlineSwitchConfig;
import io.iotpay.switching.online.StandInLimits;
import io.iotpay.switching.online.StoreKeys;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The four parties on real parts over loopback TCP: a terminal ({@link Iso8583Client}) → the
 * {@link AcquirerHost} (its own SQLite or PostgreSQL store and ledger, the real merchant registry of
 * {@link AcquirerPosServer}) → a {@link FrameProxy} that can lose answers → the {@link OnlineSwitch}
 * (SQLite) → the issuer's {@link CardAuthorisationService} behind its {@link Iso8583Server} (SQLite
 * ledger, software key custody holding the IMK). Every link MACed under its own zone keys. ARQCs
 * are computed with {@link EmvCryptograms} on the card key derived from the issuer's IMK, as the card does.
 */
final class OnlineWorld implements AutoCloseable {
  static final Iso8583Wire WIRE = Iso8583Wire.load();
  static final Duration WAIT = Duration.ofSeconds(30);
  static final PartyId ACQUIRER = PartyId.of("ACQ1");
  static final PartyId ISSUER = PartyId.of("ISS1");
  static final String INSTITUTION = "48020000";
  /** The institution id of the issuer's deposit accounts (account verifications are routed by it). */
  static final String BANK = "10200000";
  static final Pan PAN = Pan.withCheckDigit("621234567890123");
  static final int PSN = 1;
  static final Instant START = Instant.parse("2026-12-07T09:00:00Z");
  static final LocalDate TODAY = LocalDate.of(2026, 12, 7);
  static final long ISSUER_BOOK = 1;
  static final long ISSUER_FUNDING = 10;
  static final long ISSUER_SETTLEMENT = 20;
  static final long ISSUER_STAND_IN = 30;
  static final long CARD_ACCOUNT = 100;
  static final long CARD_FUNDS = 100_000;
  static final long ACQ_BOOK = 7;
  static final long ACQ_SETTLEMENT = 1;
  static final long ACQ_REVENUE = 2;
  static final int MDR_BPS = 150;
  /** How long the acquirer waits for the switch before it reverses: short, so lost answers are quick to test. */
  static final long ACQUIRER_TIMEOUT_MS = 2_500;
  private static final SecureRandom RANDOM = new SecureRandom();

  final AlgorithmSuite suite;
  final Path dir;
  final String acquirerJdbcUrl;
  final SecretKeyBytes imk;
  final ManualBusinessClock issuerClock = new ManualBusinessClock(START, BusinessDayRule.UTC_MIDNIGHT);
  final Clock acquirerClock = Clock.fixed(START, ZoneOffset.UTC);
  // issuer
  Database issuerDb;
  Ledger issuerLedger;
  SoftwareKeyCustody custody;
  CardAuthorisationService issuer;
  Iso8583Server issuerServer;
  // switch
  Database switchDb;
  OnlineSwitch onlineSwitch;
  FrameProxy proxy;
  // acquirer
  AcquirerPosServer registry;
  MerchantId merchant;
  String terminalId;
  Database acquirerDb;
  Ledger acquirerLedger;
  AcquirerHost host;
  Iso8583Client terminal;
  /** The host's terminal risk check from the next {@link #openAcquirer} on (null: none). */
  TerminalRiskCheck riskCheck;
  private int stan;

  OnlineWorld(AlgorithmSuite suite, Path dir, String acquirerJdbcUrl) throws Exception {
    this.suite = suite;
    this.dir = dir;
    this.acquirerJdbcUrl = acquirerJdbcUrl;
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    this.imk = new SecretKeyBytes(key);
    startIssuer();
    startSwitch();
    startRegistry();
    openAcquirer();
  }

  /** The acquirer's store on SQLite in {@code dir}. */
  static OnlineWorld onSqlite(AlgorithmSuite suite, Path dir) throws Exception {
    return new OnlineWorld(suite, dir, "jdbc:sqlite:" + dir.resolve("acquirer-online.db"));
  }

  /** The acquirer's store on PostgreSQL in a fresh schema when {@code IOTPAY_TEST_POSTGRES_URL} is set; else skipped. */
  static OnlineWorld onPostgres(AlgorithmSuite suite, Path dir) throws Exception {
    String base = System.getenv("IOTPAY_TEST_POSTGRES_URL");
    org.junit.jupiter.api.Assumptions.assumeTrue(base != null && !base.isBlank(),
        "IOTPAY_TEST_POSTGRES_URL not set: PostgreSQL test skipped");
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(base);
        java.sql.Statement statement = c.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    return new OnlineWorld(suite, dir, base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema);
  }

  private void startIssuer() throws Exception {
    issuerDb = Database.open("jdbc:sqlite:" + dir.resolve("issuer.db"), 4);
    issuerLedger = Ledger.open(issuerDb, LedgerConfig.defaults(), issuerClock.asJavaClock(), AuditJournal.none());
    join(issuerLedger.createAccounts(List.of(Account.of(ISSUER_FUNDING, ISSUER_BOOK, CurrencyUnit.CNY),
        Account.of(ISSUER_SETTLEMENT, ISSUER_BOOK, CurrencyUnit.CNY),
        Account.of(ISSUER_STAND_IN, ISSUER_BOOK, CurrencyUnit.CNY),
        new Account(CARD_ACCOUNT, ISSUER_BOOK, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS))));
    assertThat(join(issuerLedger.submit(List.of(Transfer.single(1, ISSUER_FUNDING, CARD_ACCOUNT, CARD_FUNDS)))))
        .containsOnly(TransferResult.OK);
    custody = SoftwareKeyCustody.open(dir.resolve("custody"), suite,
        new SecretKeyBytes(new byte[suite == AlgorithmSuite.INTERNATIONAL ? 32 : 16]));
    custody.importClear("imk-ac", suite, KeyUsage.ISSUER_MASTER, imk);
    byte[] panKey = new byte[16];
    RANDOM.nextBytes(panKey);
    issuer = new CardAuthorisationService(issuerDb, issuerLedger, custody, new CardAuthorisationService.Config(
        ISSUER_SETTLEMENT, ISSUER_STAND_IN, 7 * 86_400_000L, panKey, null), issuerClock.asJavaClock());
    issuer.registerCard(PAN, PSN, YearMonth.of(2029, 12), "imk-ac", CARD_ACCOUNT, 50, 50_000);
    issuerServer = new Iso8583Server(LinkSettings.defaults("99990000", "ISSUER01").withEchoIntervalMs(0),
        zoneKeys(2), issuer, WIRE).start(loopback(0));
  }

  private void startSwitch() throws Exception {
    switchDb = Database.open("jdbc:sqlite:" + dir.resolve("switch.db"), 4);
    StoreKeys storeKeys = switchStoreKeys();
    IssuerEndpoint issuerLink = new IssuerEndpoint(ISSUER, loopback(issuerServer.port()),
        LinkSettings.defaults("99990000", "SWITCH01").withRequestTimeoutMs(10_000).withEchoIntervalMs(0), zoneKeys(2),
        2_000, StandInLimits.none(CurrencyUnit.CNY));
    AcquirerEndpoint acquirerLink = new AcquirerEndpoint(ACQUIRER, loopback(0),
        LinkSettings.defaults("99990000", "SWITCH01"), zoneKeys(1));
    onlineSwitch = new OnlineSwitch(OnlineSwitchConfig.defaults(List.of(acquirerLink), List.of(issuerLink),
        List.of(new CardRange("621234", ISSUER)), storeKeys).withInstitutions(Map.of(BANK, ISSUER)), switchDb, WIRE).start();
    proxy = new FrameProxy(loopback(onlineSwitch.port(ACQUIRER)));
  }

  /** The online switch's store keys (its clearing must hash PANs as its message log did). */
  StoreKeys switchStoreKeys() {
    return new StoreKeys(suite, SecretKeyBytes.fromHex("A0A1A2A3A4A5A6A7A8A9AAABACADAEAF"),
        SecretKeyBytes.fromHex("B0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF"),
        SecretKeyBytes.fromHex("C0C1C2C3C4C5C6C7C8C9CACBCCCDCECF"));
  }

  private void startRegistry() throws Exception {
    InMemorySettlementAccountCheck accounts = new InMemorySettlementAccountCheck().open("10200000", "6222000011112222");
    registry = AcquirerPosServer.start(new AcquirerPosServer.Settings("jdbc:sqlite:" + dir.resolve("pos.db"),
        "127.0.0.1", 0, suite, dir.resolve("pos-keys"), null, Set.of("5812"),
        Map.of("alice", "alice-operator-token-0123456789abcdef"), accounts));
    OnboardingService.Registered registered = registry.service().register("req-online-1", new Registration(
        "Noodle Stall", "91310000MA1K000001", "110105194912310021", "5812", "1 Road",
        new SettlementAccount("10200000", "6222000011112222")));
    merchant = registered.merchant().id();
    terminalId = registry.service().enrol(merchant, suite, csr()).terminal().id().value();
  }

  /** Opens (or re-opens, after {@link #closeAcquirer}) the acquirer host on its store. */
  void openAcquirer() throws Exception {
    acquirerDb = Database.open(acquirerJdbcUrl, 4);
    acquirerLedger = Ledger.open(acquirerDb, LedgerConfig.defaults(), acquirerClock, AuditJournal.none());
    AcquirerHostConfig config = new AcquirerHostConfig(ACQUIRER, INSTITUTION, proxy.address(),
        LinkSettings.defaults(INSTITUTION, "ACQNODE1").withRequestTimeoutMs(ACQUIRER_TIMEOUT_MS).withEchoIntervalMs(0),
        zoneKeys(1), loopback(0), LinkSettings.defaults(INSTITUTION, "ACQTERM0"), zoneKeys(3),
        new RecordSeal(suite, SecretKeyBytes.fromHex("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF"),
            SecretKeyBytes.fromHex("E0E1E2E3E4E5E6E7E8E9EAEBECEDEEEF")), CurrencyUnit.CNY,
        ACQ_BOOK, ACQ_SETTLEMENT, ACQ_REVENUE, 1_000, 1_000_000, MDR_BPS, 50, 400).withRiskCheck(riskCheck);
    host = new AcquirerHost(config, acquirerDb, acquirerLedger, registry.service(), acquirerClock).start();
    terminal = new Iso8583Client(loopback(host.terminalPort()),
        LinkSettings.defaults(INSTITUTION, terminalId).withRequestTimeoutMs(20_000).withEchoIntervalMs(0), zoneKeys(3),
        WIRE);
  }

  /** Stops the acquirer (terminal link, host, ledger, store) as a process stop would; the others keep running. */
  void closeAcquirer() {
    terminal.close();
    host.close();
    acquirerLedger.close();
    acquirerDb.close();
  }

  ZoneKeys zoneKeys(int link) {
    return zoneKeys(suite, link);
  }

  static ZoneKeys zoneKeys(AlgorithmSuite suite, int link) {
    String n = Integer.toHexString(link);
    return new ZoneKeys(suite, SecretKeyBytes.fromHex("0123456789ABCDEFFEDCBA987654321" + n),
        SecretKeyBytes.fromHex("00112233445566778899AABBCCDDEEF" + n), 30_000);
  }

  static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  int nextStan() {
    return ++stan;
  }

  /** A purchase at the world's terminal with a genuine ARQC for {@code atc} (one bit flipped when asked). */
  CardTransaction purchase(int stanValue, long amountMinor, int atc, boolean flipArqcBit) {
    byte[] cdol1 = cdol1(amountMinor);
    byte[] aip = Hex.decode("1C00");
    byte[] iad = Hex.decode("0110A00000");
    SecretKeyBytes mk = EmvKeyDerivation.cardMasterKey(suite, imk, PAN.digits(), String.format("%02d", PSN));
    byte[] arqc = EmvCryptograms.applicationCryptogram(suite, EmvCryptograms.sessionKey(suite, mk, atc),
        EmvCryptograms.cryptogramInput(cdol1, aip, atc, iad));
    if (flipArqcBit) {
      arqc[7] ^= 0x01;
    }
    List<Tlv> chip = new ArrayList<>();
    chip.add(Tlv.primitive(Tag.of(0x9F26), arqc));
    chip.add(Tlv.primitive(Tag.of(0x9F27), new byte[] {(byte) 0x80}));
    chip.add(Tlv.primitive(Tag.of(0x9F10), iad));
    chip.add(Tlv.primitive(Tag.of(0x9F36), new byte[] {(byte) (atc >> 8), (byte) atc}));
    chip.add(Tlv.primitive(Tag.of(0x82), aip));
    int offset = 0;
    int[][] cdol = {{0x9F02, 6}, {0x9F03, 6}, {0x9F1A, 2}, {0x95, 5}, {0x5F2A, 2}, {0x9A, 3}, {0x9C, 1}, {0x9F37, 4}};
    for (int[] entry : cdol) {
      chip.add(Tlv.primitive(Tag.of(entry[0]), Arrays.copyOfRange(cdol1, offset, offset + entry[1])));
      offset += entry[1];
    }
    return transaction("000000", stanValue, amountMinor, String.format("%012d", stanValue),
        new IccData(BerTlv.encode(chip)));
  }

  /** The terminal's card data (its own field 32 and 42: the acquirer replaces both). */
  CardTransaction transaction(String processingCode, int stanValue, long amountMinor, String rrn, IccData icc) {
    MonthDayTime at = new MonthDayTime(MonthDay.of(12, 7), LocalTime.of(9, stanValue / 60 % 60, stanValue % 60));
    return new CardTransaction(PAN, processingCode, Money.ofMinor(amountMinor, CurrencyUnit.CNY), at, stanValue, at,
        YearMonth.of(2029, 12), "071", PSN, "1", rrn, terminalId, "TERMINALMERCH01", null, icc);
  }

  /** CDOL1 data: amount, other amount, country 0156, TVR, currency 0156, date, type 00, UN. */
  private static byte[] cdol1(long amountMinor) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(Hex.decode(String.format("%012d", amountMinor)));
    out.writeBytes(Hex.decode("000000000000" + "0156" + "0000000000" + "0156" + "261207" + "00" + "1A2B3C4D"));
    return out.toByteArray();
  }

  /** Sends {@code request} from the terminal and returns the card response. */
  CardResponse send(Iso8583Message request) {
    Outcome outcome = terminal.send(request);
    assertThat(outcome).isInstanceOf(Outcome.Answered.class);
    return (CardResponse) ((Outcome.Answered) outcome).response();
  }

  AccountBalance card() {
    return issuerLedger.balance(CARD_ACCOUNT).orElseThrow();
  }

  AccountBalance acquirerAccount(long id) {
    return acquirerLedger.balance(id).orElseThrow();
  }

  /** Both ledgers: over every account, debits equal credits, pending and posted. */
  void assertBooksBalance() {
    for (Ledger ledger : List.of(issuerLedger, acquirerLedger)) {
      long dp = 0;
      long cp = 0;
      long dpo = 0;
      long cpo = 0;
      for (AccountBalance b : ledger.balances().values()) {
        dp += b.debitsPendingMinor();
        cp += b.creditsPendingMinor();
        dpo += b.debitsPostedMinor();
        cpo += b.creditsPostedMinor();
      }
      assertThat(dp).isEqualTo(cp);
      assertThat(dpo).isEqualTo(cpo);
    }
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(2_000_000);
    }
  }

  static <T> T join(CompletableFuture<T> future) {
    return future.orTimeout(30, TimeUnit.SECONDS).join();
  }

  byte[] csr() throws Exception {
    var keys = suite.signature().generateKeyPair(RANDOM);
    String algorithm = suite == AlgorithmSuite.NATIONAL ? "SM3withSM2" : "SHA256withECDSA";
    return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=pos"), keys.getPublic())
        .build(new JcaContentSignerBuilder(algorithm).setProvider(new BouncyCastleProvider()).build(keys.getPrivate()))
        .getEncoded();
  }

  @Override
  public void close() {
    closeAcquirer();
    registry.close();
    proxy.close();
    onlineSwitch.close();
    switchDb.close();
    issuerServer.close();
    issuerLedger.close();
    custody.close();
    issuerDb.close();
    int at = acquirerJdbcUrl.indexOf("currentSchema=");
    if (at >= 0) {
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(System.getenv("IOTPAY_TEST_POSTGRES_URL"));
          java.sql.Statement statement = c.createStatement()) {
        statement.execute("DROP SCHEMA " + acquirerJdbcUrl.substring(at + "currentSchema=".length()) + " CASCADE");
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("cannot drop the test schema", e);
      }
    }
  }
}

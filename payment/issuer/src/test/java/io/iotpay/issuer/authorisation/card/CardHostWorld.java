package io.iotpay.issuer.authorisation.card;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvCryptograms;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyUsage;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerAuditCheck;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.protocol.Pan;
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
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The card host on real parts: a SQLite file holding the ledger (with its signed audit log) and
 * the host's tables, the software key custody holding the IMK, an {@link Iso8583Server} on
 * loopback and an {@link Iso8583Client} acting as the switch. ARQCs are computed here with {@link
 * EmvCryptograms} on a card key derived from the IMK (option A), as the card does.
 */
final class CardHostWorld implements AutoCloseable {
  static final long BOOK = 1;
  static final long FUNDING = 10;
  static final long SETTLEMENT = 20;
  static final long STAND_IN = 30;
  static final long CARD_ACCOUNT = 100;
  static final long OTHER_ACCOUNT = 101;
  static final long HOLD_TIMEOUT_MS = 7 * 86_400_000L;
  static final String IMK_LABEL = "imk-ac";
  static final Pan PAN = Pan.withCheckDigit("621234567890123");
  static final int PSN = 1;
  static final Instant START = Instant.parse("2026-12-07T09:00:00Z");
  private static final byte[] PAN_KEY = Hex.decode("000102030405060708090A0B0C0D0E0F");
  private static final SecureRandom RANDOM = new SecureRandom();

  final AlgorithmSuite suite;
  final Path dir;
  final SecretKeyBytes imk;
  final SecretKeyBytes imkSmi;
  final KeyPair auditKey;
  final ManualBusinessClock clock;
  Database database;
  AuditLog auditLog;
  Ledger ledger;
  SoftwareKeyCustody custody;
  CardAuthorisationService service;
  Iso8583Server server;
  Iso8583Client client;
  private int stan = 0;

  /** The JDBC URL of the store: a SQLite file in {@code dir}, or a fresh PostgreSQL schema. */
  final String jdbcUrl;

  CardHostWorld(AlgorithmSuite suite, Path dir) {
    this(suite, dir, "jdbc:sqlite:" + dir.resolve("issuer.db"));
  }

  /** On PostgreSQL when {@code IOTPAY_TEST_POSTGRES_URL} is set (as .ci/run does), in a fresh schema; else skipped. */
  static CardHostWorld onPostgres(AlgorithmSuite suite, Path dir) {
    String base = System.getenv("IOTPAY_TEST_POSTGRES_URL");
    org.junit.jupiter.api.Assumptions.assumeTrue(base != null && !base.isBlank(),
        "IOTPAY_TEST_POSTGRES_URL not set: PostgreSQL test skipped");
    String schema = "t_" + java.util.UUID.randomUUID().toString().replace("-", "");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(base);
        java.sql.Statement statement = c.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot create a test schema", e);
    }
    return new CardHostWorld(suite, dir, base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema);
  }

  private CardHostWorld(AlgorithmSuite suite, Path dir, String jdbcUrl) {
    this.suite = suite;
    this.dir = dir;
    this.jdbcUrl = jdbcUrl;
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    this.imk = new SecretKeyBytes(key);
    byte[] smi = new byte[16];
    RANDOM.nextBytes(smi);
    this.imkSmi = new SecretKeyBytes(smi);
    this.auditKey = suite.signature().generateKeyPair(RANDOM);
    this.clock = new ManualBusinessClock(START, BusinessDayRule.UTC_MIDNIGHT);
    open();
    join(ledger.createAccounts(List.of(Account.of(FUNDING, BOOK, CurrencyUnit.CNY),
        Account.of(SETTLEMENT, BOOK, CurrencyUnit.CNY), Account.of(STAND_IN, BOOK, CurrencyUnit.CNY),
        new Account(CARD_ACCOUNT, BOOK, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS),
        new Account(OTHER_ACCOUNT, BOOK, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS))));
    assertThat(join(ledger.submit(List.of(Transfer.single(1, FUNDING, CARD_ACCOUNT, 10_000),
        Transfer.single(2, FUNDING, OTHER_ACCOUNT, 10_000))))).containsOnly(TransferResult.OK);
    custody.importClear(IMK_LABEL, suite, KeyUsage.ISSUER_MASTER, imk);
    service.registerCard(PAN, PSN, YearMonth.of(2029, 12), IMK_LABEL, CARD_ACCOUNT, 5, 8_000);
  }

  /** Opens every part on the files in {@code dir} (a restart when they exist). */
  void open() {
    database = Database.open(jdbcUrl, 4);
    try {
      auditLog = AuditLog.open(database, AuditLogConfig.of(suite, auditKey));
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
    ledger = Ledger.open(database, LedgerConfig.defaults(), clock.asJavaClock(), auditLog);
    SecretKeyBytes master = new SecretKeyBytes(new byte[suite == AlgorithmSuite.INTERNATIONAL ? 32 : 16]);
    custody = SoftwareKeyCustody.open(dir.resolve("custody"), suite, master);
    service = new CardAuthorisationService(database, ledger, custody, new CardAuthorisationService.Config(SETTLEMENT,
        STAND_IN, HOLD_TIMEOUT_MS, PAN_KEY, ScriptSigner.software(suite, imkSmi)), clock.asJavaClock());
    try {
      server = new Iso8583Server(LinkSettings.defaults("48020000", "ISSUER01").withEchoIntervalMs(0), zoneKeys(),
          service, Iso8583Wire.load()).start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    client = new Iso8583Client(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()),
        LinkSettings.defaults("48020000", "SWITCH01").withEchoIntervalMs(0).withRequestTimeoutMs(10_000), zoneKeys(),
        Iso8583Wire.load());
  }

  /** A restart: everything closed, then opened again on the same files. */
  void restart() {
    closeParts();
    open();
  }

  ZoneKeys zoneKeys() {
    return new ZoneKeys(suite, SecretKeyBytes.fromHex("0123456789ABCDEFFEDCBA9876543210"),
        SecretKeyBytes.fromHex("00112233445566778899AABBCCDDEEFF"), 30_000);
  }

  /** Sends {@code request} over the link and returns the card response. */
  CardResponse send(Iso8583Message request) {
    Outcome outcome = client.send(request);
    assertThat(outcome).isInstanceOf(Outcome.Answered.class);
    return (CardResponse) ((Outcome.Answered) outcome).response();
  }

  int nextStan() {
    return ++stan;
  }

  /** A purchase of {@code amountMinor} by the test card with a genuine ARQC for {@code atc}. */
  CardTransaction purchase(int stanValue, long amountMinor, int atc) {
    return purchase(PAN, stanValue, amountMinor, atc, false);
  }

  CardTransaction purchase(Pan pan, int stanValue, long amountMinor, int atc, boolean flipArqcBit) {
    byte[] cdol1 = cdol1(amountMinor);
    byte[] aip = Hex.decode("1C00");
    byte[] iad = Hex.decode("0110A00000");
    byte[] arqc = EmvCryptograms.applicationCryptogram(suite, sessionKey(pan, atc),
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
      chip.add(Tlv.primitive(Tag.of(entry[0]), java.util.Arrays.copyOfRange(cdol1, offset, offset + entry[1])));
      offset += entry[1];
    }
    return transaction(pan, stanValue, amountMinor, new IccData(BerTlv.encode(chip)));
  }

  /** A purchase request's card data with {@code icc} as field 55. */
  static CardTransaction transaction(Pan pan, int stanValue, long amountMinor, IccData icc) {
    MonthDayTime at = new MonthDayTime(MonthDay.of(12, 7), LocalTime.of(9, 0, stanValue % 60));
    return new CardTransaction(pan, "000000", Money.ofMinor(amountMinor, CurrencyUnit.CNY), at, stanValue, at,
        YearMonth.of(2029, 12), "071", PSN, "48020000", String.format("RRN%09d", stanValue), "TERM0001",
        "MERCHANT0000001", null, icc);
  }

  /** CDOL1 data: amount, other amount, country 0156, TVR, currency 0156, date, type 00, UN. */
  private static byte[] cdol1(long amountMinor) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(Hex.decode(String.format("%012d", amountMinor)));
    out.writeBytes(Hex.decode("000000000000" + "0156" + "0000000000" + "0156" + "261207" + "00" + "1A2B3C4D"));
    return out.toByteArray();
  }

  SecretKeyBytes sessionKey(Pan pan, int atc) {
    SecretKeyBytes mk = EmvKeyDerivation.cardMasterKey(suite, imk, pan.digits(), String.format("%02d", PSN));
    return EmvCryptograms.sessionKey(suite, mk, atc);
  }

  AccountBalance balance(long accountId) {
    return ledger.balance(accountId).orElseThrow();
  }

  /** The ledger invariant: over every account, debits equal credits, pending and posted. */
  void assertBooksBalance() {
    Map<Long, AccountBalance> all = ledger.balances();
    long debitsPending = 0;
    long creditsPending = 0;
    long debitsPosted = 0;
    long creditsPosted = 0;
    for (AccountBalance b : all.values()) {
      debitsPending += b.debitsPendingMinor();
      creditsPending += b.creditsPendingMinor();
      debitsPosted += b.debitsPostedMinor();
      creditsPosted += b.creditsPostedMinor();
    }
    assertThat(debitsPending).isEqualTo(creditsPending);
    assertThat(debitsPosted).isEqualTo(creditsPosted);
  }

  /** Closes the log (its last checkpoint covers every leaf) and verifies it with the ledger's leaf check. */
  void assertAuditVerifies() throws Exception {
    closeParts();
    try (Database check = Database.open(jdbcUrl, 2)) {
      var report = AuditVerifier.verify(DatabaseAuditSource.of(check),
          Map.of(Checkpoint.keyIdOf(suite, auditKey.getPublic().getEncoded()), auditKey.getPublic()),
          LedgerAuditCheck.of(check));
      assertThat(report.verified()).as(String.valueOf(report.failure())).isTrue();
    }
  }

  /** The answer {@code client} got to {@code request} (asserted to be answered). */
  static CardResponse answer(Iso8583Client client, Iso8583Message request) {
    Outcome outcome = client.send(request);
    assertThat(outcome).isInstanceOf(Outcome.Answered.class);
    return (CardResponse) ((Outcome.Answered) outcome).response();
  }

  static Money cny(long minor) {
    return Money.ofMinor(minor, CurrencyUnit.CNY);
  }

  static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
    return future.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
  }

  /** Closes every part and drops the PostgreSQL test schema (a SQLite file goes with the temp dir). */
  @Override
  public void close() {
    closeParts();
    int at = jdbcUrl.indexOf("currentSchema=");
    if (at >= 0) {
      String base = System.getenv("IOTPAY_TEST_POSTGRES_URL");
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(base);
          java.sql.Statement statement = c.createStatement()) {
        statement.execute("DROP SCHEMA " + jdbcUrl.substring(at + "currentSchema=".length()) + " CASCADE");
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("cannot drop the test schema", e);
      }
    }
  }

  private void closeParts() {
    if (client == null) {
      return;
    }
    client.close();
    server.close();
    ledger.close();
    auditLog.close();
    custody.close();
    database.close();
    client = null;
  }
}

package io.iotpay.issuer.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.wallet.CrashingLedger.Crash;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.AccountResult;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.WalletDayFile;
import io.iotpay.protocol.file.WalletListFile;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SchemeEnrolment;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.protocol.transit.TransitTac;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The day end's state survives a restart (docs/wallet.md §3.3): a new {@link WalletDayEnd} on the
 * same database (and a reopened ledger) refuses a day file it took, clears no debit twice, keeps its
 * blocked cards, loads, debts and list version; a crash between recording a batch and posting it (the
 * ledger fails before it applied the postings, or after) ends, after the restart, with every debit
 * posted exactly once and the books balanced. Both suites; SQLite always, PostgreSQL when
 * {@code IOTPAY_TEST_POSTGRES_URL} is set. The cards' debits, TACs and signatures are made on the host
 * as the wallet applet makes them (docs/wallet-apdus.md §3.3).
 */
final class WalletDayEndRestartTest {
  private static final long BOOK = 17;
  private static final long FUNDING = 1;
  private static final long CLEARING = 2;
  private static final long MERCHANT = 1_000_000;
  private static final long LOADED = 10_000;
  private static final PartyId ISSUER = new PartyId("WISSUER");
  private static final PartyId POS_PARTY = new PartyId("WPOS-1");
  private static final byte[] POS_ID = Hex.decode("5000000000000001");
  private static final LocalDate DAY = LocalDate.of(2026, 3, 2);

  @TempDir
  Path dir;

  private final SecureRandom random = new SecureRandom();
  private final List<AutoCloseable> open = new ArrayList<>();
  private String jdbcUrl;
  private AlgorithmSuite suite;
  private WalletIssuerKeys issuerKeys;
  private SchemeEnrolment pki;
  private FileTrust issuerTrust;
  private FileTrust posTrust;
  private KeyPair issuerKey;
  private final Map<Integer, KeyPair> cardKeys = new java.util.HashMap<>();
  private byte[] imk;
  private Database database;
  private Ledger ledger;
  private WalletDayEnd dayEnd;

  @AfterEach
  void closeAll() throws Exception {
    if (ledger != null) {
      ledger.close();
      database.close();
    }
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.iotpay.issuer.wallet.WalletTestSupport#dialectsAndSuites")
  void aDayFileClearedBeforeARestart_isReplayedAfterIt_andItsDebitsUnderANewSequenceAreRepeats(
      Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    world(dialect, suite, 1);
    Path day1 = dayFile(1, List.of(debit(0, 1, 300, 0, LOADED - 300), debit(0, 2, 200, 0, LOADED - 500)));
    assertThat(dayEnd.clear(day1).cleared()).isEqualTo(2);

    restart();

    assertThatThrownBy(() -> dayEnd.clear(day1)).isInstanceOfSatisfying(SignedFileException.class,
        e -> assertThat(e.reason()).isEqualTo(SignedFileException.Reason.REPLAYED));
    // The POS sends the same debits again in its next day file: each is a repeat, nothing moves.
    Path day2 = dayFile(2, List.of(debit(0, 1, 300, 0, LOADED - 300), debit(0, 2, 200, 0, LOADED - 500)));
    WalletDayEnd.Clearing again = dayEnd.clear(day2);
    assertThat(again.cleared()).isZero();
    assertThat(again.repeats()).isEqualTo(2);
    assertThat(dayEnd.clearedCount()).isEqualTo(2);
    assertThat(debitsPosted(shadow(0))).isEqualTo(500);
    assertThat(creditsPosted(MERCHANT)).isEqualTo(500);
    assertBooksBalance();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.iotpay.issuer.wallet.WalletTestSupport#dialectsAndSuites")
  void aBlockedCardStaysBlocked_loadsAndDebtsAreKept_andTheListVersionContinues_afterARestart(
      Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    world(dialect, suite, 3);
    // Card 0 agrees with its books; card 1 claims a balance its loads cannot explain (blocked);
    // card 2 splits a purchase whose online part fails (its online account is empty): debt.
    dayEnd.loaded(cardId(0), 0, LOADED, 0, 0);
    dayEnd.loaded(cardId(1), 0, LOADED, 0, 0);
    dayEnd.loaded(cardId(2), 0, LOADED, 0, 0);
    Path day1 = dayFile(1, List.of(debit(0, 1, 300, 0, LOADED - 300), debit(1, 1, 300, 0, LOADED + 700),
        debit(2, 1, 200, 500, LOADED - 200)));
    assertThat(dayEnd.clear(day1).onlinePartsApplied()).isEqualTo(1);
    assertThat(dayEnd.detectMismatches()).containsExactly(cardId(1));
    assertThat(readList(dayEnd.publishList(dir.resolve("list-1.txt"), new PartyId("WPOS-ALL"), DAY)).header().sequence())
        .isEqualTo(1);
    dayEnd.loaded(cardId(2), 1, 1_000, 500, 200); // 300 of the 500 owed recovered at a load

    restart();

    assertThat(dayEnd.blocked()).containsExactly(cardId(1));
    assertThat(dayEnd.detectMismatches()).containsExactly(cardId(1)); // card 0's load was kept: no false mismatch
    assertThat(dayEnd.debtsRecoveredMinor()).isEqualTo(300);
    dayEnd.loaded(cardId(2), 2, 1_000, 200, 0); // the other 200: owed 200, not the whole 500 again
    assertThat(dayEnd.debtsRecoveredMinor()).isEqualTo(500);
    assertThat(creditsPosted(MERCHANT)).isEqualTo(300 + 300 + 200 + 500);
    WalletListFile.Read list = readList(dayEnd.publishList(dir.resolve("list-2.txt"), new PartyId("WPOS-ALL"), DAY));
    assertThat(list.header().sequence()).isEqualTo(2);
    assertThat(list.entries()).filteredOn(e -> e.kind() == 'B').extracting(e -> Hex.encode(e.cardId()))
        .containsExactly(cardId(1));
    assertBooksBalance();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("io.iotpay.issuer.wallet.WalletTestSupport#dialectsSuitesAndCrashes")
  void aCrashBetweenRecordingABatchAndPostingIt_postsEveryDebitExactlyOnceAfterTheRestart(
      Database.Dialect dialect, AlgorithmSuite suite, Crash crash) throws Exception {
    world(dialect, suite, 2);
    CrashingLedger crashing = new CrashingLedger(ledger);
    dayEnd = dayEnd(crashing);
    crashing.crash = crash;
    Path day1 = dayFile(1, List.of(debit(0, 1, 300, 0, LOADED - 300), debit(1, 1, 400, 0, LOADED - 400),
        debit(0, 2, 100, 0, LOADED - 400)));
    assertThatThrownBy(() -> dayEnd.clear(day1)).hasMessageContaining("crash injected");
    assertThat(debitsPosted(shadow(0))).isEqualTo(crash == Crash.BEFORE_THE_LEDGER_APPLIED ? 0 : 400);

    restart(); // the crashed process's ledger and day end are gone

    assertThat(debitsPosted(shadow(0))).isEqualTo(400);
    assertThat(debitsPosted(shadow(1))).isEqualTo(400);
    assertThat(creditsPosted(MERCHANT)).isEqualTo(800);
    assertThat(balanceOf(CLEARING).map(b -> b.creditsPostedMinor() - b.debitsPostedMinor())).contains(0L);
    assertThatThrownBy(() -> dayEnd.clear(day1)).isInstanceOfSatisfying(SignedFileException.class,
        e -> assertThat(e.reason()).isEqualTo(SignedFileException.Reason.REPLAYED));
    restart(); // nothing is left planned: a second restart moves nothing
    assertThat(creditsPosted(MERCHANT)).isEqualTo(800);
    assertThat(dayEnd.clearedCount()).isEqualTo(3);
    assertBooksBalance();
  }

  // --- the world -------------------------------------------------------------------------------

  private void world(Database.Dialect dialect, AlgorithmSuite suite, int cards) throws Exception {
    this.suite = suite;
    jdbcUrl = WalletTestSupport.freshUrl(dialect, dir);
    byte[] storageKey = new byte[32];
    random.nextBytes(storageKey);
    imk = new byte[16];
    random.nextBytes(imk);
    Map<AlgorithmSuite, SecretKeyBytes> imks = new EnumMap<>(AlgorithmSuite.class);
    for (AlgorithmSuite s : AlgorithmSuite.values()) {
      byte[] key = s == suite ? imk : new byte[16];
      if (s != suite) {
        random.nextBytes(key);
      }
      imks.put(s, new SecretKeyBytes(key));
    }
    issuerKeys = new WalletIssuerKeys(dir.resolve("custody"), new SecretKeyBytes(storageKey), imks);
    open.add(issuerKeys);
    pki = SchemeEnrolment.create(dir.resolve("pki"), suite, Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2027-01-01T00:00:00Z"));
    issuerTrust = pki.enrol(ISSUER, PartyRole.ISSUER);
    posTrust = pki.enrol(POS_PARTY, PartyRole.OPERATOR);
    issuerKey = suite.signature().generateKeyPair(random);
    database = Database.open(jdbcUrl, 4);
    ledger = ledgerOf(database);
    List<Account> accounts = new ArrayList<>(List.of(Account.of(FUNDING, BOOK, CurrencyUnit.CNY),
        Account.of(CLEARING, BOOK, CurrencyUnit.CNY),
        new Account(MERCHANT, BOOK, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)));
    List<Transfer> funding = new ArrayList<>();
    for (int c = 0; c < cards; c++) {
      cardKeys.put(c, suite.signature().generateKeyPair(random));
      accounts.add(new Account(online(c), BOOK, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
      accounts.add(new Account(shadow(c), BOOK, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
      funding.add(Transfer.single(1 + c, FUNDING, shadow(c), LOADED));
    }
    assertThat(ledger.createAccounts(accounts).get(30, TimeUnit.SECONDS)).containsOnly(AccountResult.OK);
    assertThat(ledger.submit(funding).get(30, TimeUnit.SECONDS)).containsOnly(TransferResult.OK);
    dayEnd = dayEnd(ledger);
  }

  /** Closes this process's day end, ledger and database and opens them again on the same store. */
  private void restart() {
    ledger.close();
    database.close();
    database = Database.open(jdbcUrl, 4);
    ledger = ledgerOf(database);
    dayEnd = dayEnd(ledger);
  }

  private WalletDayEnd dayEnd(Ledger books) {
    WalletOnlineParts parts = new WalletOnlineParts(database, books, 156, row -> (1L << 40) + row,
        pos -> pos.equals(Hex.encode(POS_ID)) ? MERCHANT : null);
    cardKeys.forEach((c, key) -> parts.enrol(new WalletCard(cardId(c), suite, key.getPublic(), online(c), shadow(c))));
    return new WalletDayEnd(database, parts, books, issuerTrust, (s, input) -> s.signature().sign(issuerKey.getPrivate(),
        input), issuerKeys.tacVerifier(), CLEARING, pos -> pos.equals(Hex.encode(POS_ID)) ? MERCHANT : null,
        posting -> (1L << 41) + posting, null);
  }

  private static Ledger ledgerOf(Database database) {
    return Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none());
  }

  /** A purchase as the card signs it (DEBIT input, docs/wallet-apdus.md §3.3) with its TAC and signature. */
  private WalletDayFile.Purchase debit(int card, long counter, long offlineMinor, long onlineMinor, long balanceAfterMinor) {
    byte[] challenge = new byte[16];
    random.nextBytes(challenge);
    byte[] input = ByteBuffer.allocate(51).put((byte) 0x21).put(Hex.decode(cardId(card))).putInt((int) counter)
        .putInt((int) offlineMinor).putInt((int) onlineMinor).putInt((int) balanceAfterMinor).putShort((short) 156)
        .put(POS_ID).put(challenge).array();
    byte[] tacKey = EmvKeyDerivation.walletCardKey(suite, new SecretKeyBytes(imk), Hex.decode(cardId(card))).value();
    byte[] tac = TransitTac.tac(suite, tacKey, (int) (counter & 0xFFFF), input);
    byte[] signature = suite.signature().sign(cardKeys.get(card).getPrivate(), input);
    return new WalletDayFile.Purchase(input, tac, signature, counter, signature);
  }

  private Path dayFile(long sequence, List<WalletDayFile.Purchase> purchases) throws IOException {
    Path file = dir.resolve("day-" + sequence + ".txt");
    try (OutputStream out = Files.newOutputStream(file)) {
      WalletDayFile.write(out, POS_PARTY, ISSUER, DAY, sequence, CurrencyUnit.CNY, purchases);
    }
    posTrust.signer().sign(file, FileKind.WALLET_DAY);
    return file;
  }

  private static WalletListFile.Read readList(Path list) throws IOException {
    try (InputStream in = Files.newInputStream(list)) {
      return WalletListFile.read(in, FileLimits.defaults());
    }
  }

  private static String cardId(int c) {
    return Hex.encode(ByteBuffer.allocate(8).putLong(0x6210_0000_0000_0000L + c).array());
  }

  private static long online(int c) {
    return 1_000 + 2L * c;
  }

  private static long shadow(int c) {
    return online(c) + 1;
  }

  private Optional<AccountBalance> balanceOf(long account) {
    return ledger.balance(account);
  }

  private long debitsPosted(long account) {
    return balanceOf(account).orElseThrow().debitsPostedMinor();
  }

  private long creditsPosted(long account) {
    return balanceOf(account).orElseThrow().creditsPostedMinor();
  }

  private void assertBooksBalance() {
    WalletTestSupport.assertBooksBalance(ledger);
  }
}

package io.iotpay.issuer.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.issuer.deposit.DepositAccounts;
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
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The linked bank account as the online part's second source (docs/wallet.md §2.7), at the issuer:
 * real SQLite (and PostgreSQL for the restart and crash cases when {@code IOTPAY_TEST_POSTGRES_URL} is
 * set), the real ledger, the deposit accounts and the card's signature made on the host as the
 * wallet applet makes it (docs/wallet-apdus.md §3.3). Both suites.
 */
final class LinkedBankAccountTest {
  private static final long BOOK = 17;
  private static final long FUNDING = 1;
  private static final long MERCHANT = 1_000_000;
  private static final long ONLINE = 1_000;
  private static final long LINKED = 2_000;
  private static final String OWN_BANK = "10200000";
  private static final String ACCOUNT = "6217000000000001";
  private static final byte[] POS_ID = Hex.decode("5000000000000001");
  private static final String CARD = "6210000000000007";
  private static final long PART_MINOR = 1_500;

  @TempDir
  Path dir;

  private final SecureRandom random = new SecureRandom();
  private final AtomicLong nextTransfer = new AtomicLong(1);
  private AlgorithmSuite suite;
  private String jdbcUrl;
  private KeyPair cardKey;
  private Database database;
  private Ledger ledger;
  private DepositAccounts deposits;
  private LinkedBankAccounts linked;
  private WalletOnlineParts parts;

  @AfterEach
  void close() {
    if (ledger != null) {
      ledger.close();
      database.close();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void onlineAccountShort_linkedAccountFunded_completesFromTheLinkedAccount_andARepeatMovesNothing(
      AlgorithmSuite suite) {
    world(suite, 300, 5_000);
    SignedOnlinePart part = part(1, PART_MINOR);

    assertThat(parts.apply(part)).isEqualTo(OnlinePartOutcome.COMPLETED);
    assertThat(parts.paidFrom(CARD, 1)).contains(OnlinePartSource.LINKED_ACCOUNT);
    assertBalances(300, 5_000 - PART_MINOR, PART_MINOR);

    assertThat(parts.apply(part)).isEqualTo(OnlinePartOutcome.COMPLETED);
    assertBalances(300, 5_000 - PART_MINOR, PART_MINOR);
    assertThat(parts.completedFrom(OnlinePartSource.LINKED_ACCOUNT)).isEqualTo(1);
    assertThat(parts.completedFrom(OnlinePartSource.ONLINE_ACCOUNT)).isZero();
    assertThat(parts.failed(CARD)).isEmpty(); // the credit facts' failed parts: a part the bank paid is not one
    assertBooksBalance();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void onlineAccountFunded_paysTheWholePart_andTheLinkedAccountIsNotTouched(AlgorithmSuite suite) {
    world(suite, 2_000, 5_000);

    assertThat(parts.apply(part(1, PART_MINOR))).isEqualTo(OnlinePartOutcome.COMPLETED);
    assertThat(parts.paidFrom(CARD, 1)).contains(OnlinePartSource.ONLINE_ACCOUNT);
    assertBalances(2_000 - PART_MINOR, 5_000, PART_MINOR);
    assertThat(parts.completedFrom(OnlinePartSource.ONLINE_ACCOUNT)).isEqualTo(1);
    assertBooksBalance();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void bothShort_failsDefinitively_nothingMoves_andFundingTheBankLaterChangesNoAnswer(AlgorithmSuite suite) {
    world(suite, 1_000, 1_000); // together they hold 2,000, but one source pays the whole part or none does
    SignedOnlinePart part = part(1, PART_MINOR);

    assertThat(parts.apply(part)).isEqualTo(OnlinePartOutcome.FAILED);
    assertBalances(1_000, 1_000, 0);
    assertThat(parts.paidFrom(CARD, 1)).isEmpty();
    assertThat(parts.failed(CARD)).extracting(SignedOnlinePart::counter).containsExactly(1L);

    fund(LINKED, 5_000);
    assertThat(parts.apply(part)).isEqualTo(OnlinePartOutcome.FAILED);
    assertBalances(1_000, 6_000, 0);
    assertBooksBalance();
  }

  static Stream<Arguments> unusableStates() {
    List<Arguments> out = new ArrayList<>();
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      for (DepositAccounts.State state : List.of(DepositAccounts.State.CLOSED, DepositAccounts.State.BLOCKED)) {
        out.add(Arguments.of(suite, state));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("unusableStates")
  void aClosedOrBlockedLinkedAccount_isNotUsed_andOnceReopenedItPaysTheNextPart(AlgorithmSuite suite,
      DepositAccounts.State state) {
    world(suite, 300, 5_000);
    deposits.put(ACCOUNT, state);

    assertThat(parts.apply(part(1, PART_MINOR))).isEqualTo(OnlinePartOutcome.FAILED);
    assertBalances(300, 5_000, 0);

    deposits.put(ACCOUNT, DepositAccounts.State.OPEN); // the ledger account is kept across states
    assertThat(parts.apply(part(2, PART_MINOR))).isEqualTo(OnlinePartOutcome.COMPLETED);
    assertThat(parts.paidFrom(CARD, 2)).contains(OnlinePartSource.LINKED_ACCOUNT);
    assertBalances(300, 5_000 - PART_MINOR, PART_MINOR);
    assertBooksBalance();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aLinkedAccountAtAnotherBank_isRecordedButNotDebited(AlgorithmSuite suite) {
    world(suite, 300, 5_000);
    linked.link(CARD, new LinkedBankAccount("10300000", ACCOUNT)); // the same number, another bank

    assertThat(parts.apply(part(1, PART_MINOR))).isEqualTo(OnlinePartOutcome.FAILED);
    assertThat(linked.linked(CARD)).contains(new LinkedBankAccount("10300000", ACCOUNT));
    assertBalances(300, 5_000, 0);
    assertBooksBalance();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.iotpay.issuer.wallet.WalletTestSupport#dialectsAndSuites")
  void aRestart_keepsTheLinkAndTheRecordedSource_andTheRepeatMovesNothing(Database.Dialect dialect,
      AlgorithmSuite suite) {
    jdbcUrl = WalletTestSupport.freshUrl(dialect, dir);
    world(suite, 300, 5_000);
    SignedOnlinePart part = part(1, PART_MINOR);
    assertThat(parts.apply(part)).isEqualTo(OnlinePartOutcome.COMPLETED);

    restart();

    assertThat(linked.linked(CARD)).contains(new LinkedBankAccount(OWN_BANK, ACCOUNT));
    assertThat(linked.count()).isEqualTo(1);
    assertThat(parts.paidFrom(CARD, 1)).contains(OnlinePartSource.LINKED_ACCOUNT);
    assertThat(parts.apply(part)).isEqualTo(OnlinePartOutcome.COMPLETED);
    assertBalances(300, 5_000 - PART_MINOR, PART_MINOR);
    assertThat(parts.apply(part(2, PART_MINOR))).isEqualTo(OnlinePartOutcome.COMPLETED); // the link still pays
    assertBalances(300, 5_000 - 2 * PART_MINOR, 2 * PART_MINOR);
    assertBooksBalance();
  }

  /**
   * The process dies at the linked account's transfer; before the POS's retry the online account is
   * funded and the deposit account blocked. The retry carries out the choice recorded before the
   * crash: the linked account pays once, the online account is not touched.
   */
  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("io.iotpay.issuer.wallet.WalletTestSupport#dialectsSuitesAndCrashes")
  void aCrashAtTheLinkedAccountsTransfer_endsAfterTheRestartWithThePartPaidOnceFromTheLinkedAccount(
      Database.Dialect dialect, AlgorithmSuite suite, Crash crash) {
    jdbcUrl = WalletTestSupport.freshUrl(dialect, dir);
    world(suite, 300, 5_000);
    CrashingLedger crashing = new CrashingLedger(ledger);
    crashing.passes = 1; // the online account's transfer goes through (and is refused: too little)
    crashing.crash = crash;
    issuer(crashing);
    SignedOnlinePart part = part(1, PART_MINOR);
    assertThatThrownBy(() -> parts.apply(part)).hasMessageContaining("crash injected");
    assertBalances(300, crash == Crash.AFTER_THE_LEDGER_APPLIED ? 5_000 - PART_MINOR : 5_000,
        crash == Crash.AFTER_THE_LEDGER_APPLIED ? PART_MINOR : 0);

    restart();
    fund(ONLINE, 5_000);
    deposits.put(ACCOUNT, DepositAccounts.State.BLOCKED);

    assertThat(parts.apply(part)).isEqualTo(OnlinePartOutcome.COMPLETED);
    assertThat(parts.paidFrom(CARD, 1)).contains(OnlinePartSource.LINKED_ACCOUNT);
    assertBalances(5_300, 5_000 - PART_MINOR, PART_MINOR);
    assertThat(parts.apply(part)).isEqualTo(OnlinePartOutcome.COMPLETED);
    assertBalances(5_300, 5_000 - PART_MINOR, PART_MINOR);
    assertBooksBalance();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void malformedLinksAndDepositAccounts_areRefusedWithATypedError_andChangeNothing(AlgorithmSuite suite) {
    world(suite, 300, 5_000);
    String other = "6210000000000008";

    assertThatThrownBy(() -> linked.link("6210-bad", new LinkedBankAccount(OWN_BANK, ACCOUNT)))
        .isInstanceOf(IssuerInputException.class);
    assertThatThrownBy(() -> linked.link(other, null)).isInstanceOf(IssuerInputException.class);
    assertThatThrownBy(() -> new LinkedBankAccount("1020000X", ACCOUNT)).isInstanceOf(IssuerInputException.class)
        .hasMessageNotContaining("1020000X");
    assertThatThrownBy(() -> new LinkedBankAccount(OWN_BANK, "62-17")).isInstanceOf(IssuerInputException.class)
        .hasMessageNotContaining("62-17");
    assertThatThrownBy(() -> deposits.open("6217000000000002", 0)).isInstanceOf(IssuerInputException.class);
    assertThat(linked.linked(other)).isEmpty();
    assertThat(linked.count()).isEqualTo(1);
    assertThat(deposits.state("6217000000000002")).isEmpty();
    assertThat(new LinkedBankAccount(OWN_BANK, ACCOUNT).toString()).doesNotContain(ACCOUNT);

    deposits.open("6217000000000003"); // held for the penny test only: open, but no money in the ledger
    linked.link(CARD, new LinkedBankAccount(OWN_BANK, "6217000000000003"));
    assertThat(linked.debitable(CARD)).isEmpty();
    assertThat(parts.apply(part(1, PART_MINOR))).isEqualTo(OnlinePartOutcome.FAILED);
    assertBalances(300, 5_000, 0);
  }

  // --- the world -------------------------------------------------------------------------------

  /** A card with its online account holding {@code onlineMinor}, linked to an open deposit account holding {@code linkedMinor}. */
  private void world(AlgorithmSuite suite, long onlineMinor, long linkedMinor) {
    this.suite = suite;
    cardKey = suite.signature().generateKeyPair(random);
    if (jdbcUrl == null) {
      jdbcUrl = WalletTestSupport.freshUrl(Database.Dialect.SQLITE, dir);
    }
    database = Database.open(jdbcUrl, 4);
    ledger = ledgerOf(database);
    List<Account> accounts = List.of(Account.of(FUNDING, BOOK, CurrencyUnit.CNY), customer(MERCHANT), customer(ONLINE),
        customer(LINKED));
    assertThat(join(ledger.createAccounts(accounts))).containsOnly(AccountResult.OK);
    fund(ONLINE, onlineMinor);
    fund(LINKED, linkedMinor);
    issuer(ledger);
    deposits.open(ACCOUNT, LINKED);
    linked.link(CARD, new LinkedBankAccount(OWN_BANK, ACCOUNT));
  }

  /** The issuer restarted: ledger and database closed and opened again, its parts built anew on them. */
  private void restart() {
    ledger.close();
    database.close();
    database = Database.open(jdbcUrl, 4);
    ledger = ledgerOf(database);
    issuer(ledger);
  }

  /** The issuer's deposit accounts, links and parts on the database over {@code books}; only the enrolment is in memory. */
  private void issuer(Ledger books) {
    deposits = new DepositAccounts(database, Clock.systemUTC());
    linked = new LinkedBankAccounts(database, OWN_BANK, deposits, Clock.systemUTC());
    parts = new WalletOnlineParts(database, books, 156, row -> (1L << 40) + row,
        pos -> pos.equals(Hex.encode(POS_ID)) ? MERCHANT : null, linked);
    parts.enrol(new WalletCard(CARD, suite, cardKey.getPublic(), ONLINE, ONLINE + 1));
  }

  private static Ledger ledgerOf(Database database) {
    return Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none());
  }

  private static Account customer(long id) {
    return new Account(id, BOOK, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS);
  }

  private void fund(long account, long minor) {
    if (minor > 0) {
      assertThat(join(ledger.submit(List.of(Transfer.single(nextTransfer.getAndIncrement(), FUNDING, account, minor)))))
          .containsOnly(TransferResult.OK);
    }
  }

  /** A split purchase's DEBIT as the card signs it (docs/wallet-apdus.md §3.3), 500 offline. */
  private SignedOnlinePart part(long counter, long onlineMinor) {
    byte[] challenge = new byte[16];
    random.nextBytes(challenge);
    byte[] input = ByteBuffer.allocate(SignedOnlinePart.INPUT_BYTES).put((byte) 0x21).put(Hex.decode(CARD))
        .putInt((int) counter).putInt(500).putInt((int) onlineMinor).putInt(0).putShort((short) 156).put(POS_ID)
        .put(challenge).array();
    return new SignedOnlinePart(input, suite.signature().sign(cardKey.getPrivate(), input));
  }

  private void assertBalances(long onlineMinor, long linkedMinor, long merchantMinor) {
    assertThat(balance(ONLINE)).as("online account").isEqualTo(onlineMinor);
    assertThat(balance(LINKED)).as("linked deposit account").isEqualTo(linkedMinor);
    assertThat(balance(MERCHANT)).as("merchant").isEqualTo(merchantMinor);
  }

  private long balance(long account) {
    return ledger.balance(account).map(AccountBalance::creditBalanceMinor).orElseThrow();
  }

  private void assertBooksBalance() {
    WalletTestSupport.assertBooksBalance(ledger);
  }

  private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
    return future.orTimeout(30, TimeUnit.SECONDS).join();
  }
}

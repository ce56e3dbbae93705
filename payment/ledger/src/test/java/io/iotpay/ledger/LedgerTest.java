package io.iotpay.ledger;

import static io.iotpay.ledger.TestLedger.CNY;
import static io.iotpay.ledger.TestLedger.EUR;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The ledger's semantics, each on SQLite and on PostgreSQL (skipped without IOTPAY_TEST_POSTGRES_URL). */
class LedgerTest {
  @TempDir Path tempDir;

  private static final long BOOK = 1;
  private static final long OTHER_BOOK = 2;

  private TestLedger open(Database.Dialect dialect) {
    TestLedger t = TestLedger.open(dialect, tempDir);
    assertThat(t.accounts(
            Account.of(1, BOOK, EUR),
            Account.of(2, BOOK, EUR),
            new Account(3, BOOK, EUR, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS),
            new Account(4, BOOK, EUR, AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS),
            Account.of(10, OTHER_BOOK, EUR),
            Account.of(20, BOOK, CNY)))
        .containsOnly(AccountResult.OK);
    return t;
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void singlePhase_movesPostedBalances(Database.Dialect dialect) {
    try (TestLedger t = open(dialect)) {
      assertThat(t.one(Transfer.single(100, 1, 2, 250))).isEqualTo(TransferResult.OK);
      assertThat(t.balance(1).debitsPostedMinor()).isEqualTo(250);
      assertThat(t.balance(2).creditsPostedMinor()).isEqualTo(250);
      assertThat(t.balance(1).creditsPostedMinor()).isZero();
      assertThat(t.entryRows()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void retry_withSameContent_returnsOkAndAppliesOnce_evenAfterRestart(Database.Dialect dialect) {
    try (TestLedger t = open(dialect)) {
      Transfer transfer = Transfer.single(100, 1, 2, 250);
      assertThat(t.submit(transfer, transfer)).containsExactly(TransferResult.OK, TransferResult.OK);
      assertThat(t.one(transfer)).isEqualTo(TransferResult.OK);
      t.restart();
      assertThat(t.one(transfer)).isEqualTo(TransferResult.OK);
      assertThat(t.balance(2).creditsPostedMinor()).isEqualTo(250);
      assertThat(t.entryRows()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void retry_withDifferentContent_isRefusedNamingTheField(Database.Dialect dialect) {
    try (TestLedger t = open(dialect)) {
      t.one(Transfer.single(100, 1, 2, 250));
      t.one(Transfer.pending(101, 1, 2, 50, 1000));
      assertThat(t.submit(
              Transfer.single(100, 1, 2, 251),
              Transfer.single(100, 4, 2, 250),
              Transfer.single(100, 1, 4, 250),
              Transfer.pending(100, 1, 2, 250, 0),
              Transfer.pending(101, 1, 2, 50, 2000)))
          .containsExactly(
              TransferResult.EXISTS_WITH_DIFFERENT_AMOUNT,
              TransferResult.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID,
              TransferResult.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID,
              TransferResult.EXISTS_WITH_DIFFERENT_KIND,
              TransferResult.EXISTS_WITH_DIFFERENT_TIMEOUT);
      assertThat(t.balance(2).creditsPostedMinor()).isEqualTo(250);
      assertThat(t.entryRows()).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void malformedTransfers_areRefusedWithTypedReason_andChangeNothing(Database.Dialect dialect) {
    try (TestLedger t = open(dialect)) {
      t.one(Transfer.single(1, 1, 2, Long.MAX_VALUE - 10));
      Map<Long, AccountBalance> before = t.balances();
      assertThat(t.submit(
              Transfer.single(0, 1, 2, 5),
              Transfer.single(100, 1, 2, 0),
              Transfer.single(101, 1, 2, -5),
              Transfer.single(102, 99, 2, 5),
              Transfer.single(103, 1, 99, 5),
              Transfer.single(104, 1, 10, 5),
              Transfer.single(105, 1, 20, 5),
              Transfer.single(106, 1, 1, 5),
              Transfer.single(107, 1, 2, 11),
              Transfer.single(108, 2, 1, 11).asLinked(),
              Transfer.single(109, 3, 2, 1),
              Transfer.single(110, 2, 4, 1),
              new Transfer(111, 1, 2, 5, 7, 0, TransferKind.SINGLE_PHASE, false),
              new Transfer(112, 1, 2, 5, 0, 10, TransferKind.SINGLE_PHASE, false),
              Transfer.pending(113, 1, 2, 5, -1)))
          .containsExactly(
              TransferResult.ID_MUST_BE_POSITIVE,
              TransferResult.AMOUNT_MUST_BE_POSITIVE,
              TransferResult.AMOUNT_MUST_BE_POSITIVE,
              TransferResult.DEBIT_ACCOUNT_NOT_FOUND,
              TransferResult.CREDIT_ACCOUNT_NOT_FOUND,
              TransferResult.ACCOUNTS_MUST_HAVE_SAME_BOOK,
              TransferResult.ACCOUNTS_MUST_HAVE_SAME_CURRENCY,
              TransferResult.ACCOUNTS_MUST_BE_DIFFERENT,
              TransferResult.OVERFLOWS_DEBITS,
              // 108 is linked to 109, which is refused, so 108 fails with its chain
              TransferResult.LINKED_EVENT_FAILED,
              TransferResult.EXCEEDS_CREDITS,
              TransferResult.EXCEEDS_DEBITS,
              TransferResult.PENDING_ID_MUST_BE_ZERO,
              TransferResult.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER,
              TransferResult.TIMEOUT_OUT_OF_RANGE);
      assertThat(t.one(Transfer.single(114, 4, 2, 11))).isEqualTo(TransferResult.OVERFLOWS_CREDITS);
      assertThat(t.balances()).isEqualTo(before);
      assertThat(t.entryRows()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void limitFlags_allowUpToTheLimit_andNoFurther(Database.Dialect dialect) {
    try (TestLedger t = open(dialect)) {
      assertThat(t.one(Transfer.single(100, 1, 3, 100))).isEqualTo(TransferResult.OK); // account 3 receives 100
      assertThat(t.one(Transfer.pending(101, 3, 2, 60, 0))).isEqualTo(TransferResult.OK);
      assertThat(t.one(Transfer.single(102, 3, 2, 41))).isEqualTo(TransferResult.EXCEEDS_CREDITS); // 60 held + 41 > 100
      assertThat(t.one(Transfer.single(103, 3, 2, 40))).isEqualTo(TransferResult.OK);
      assertThat(t.one(Transfer.single(104, 4, 2, 30))).isEqualTo(TransferResult.OK); // 4 drew 30
      assertThat(t.one(Transfer.single(105, 1, 4, 31))).isEqualTo(TransferResult.EXCEEDS_DEBITS);
      assertThat(t.one(Transfer.single(106, 1, 4, 30))).isEqualTo(TransferResult.OK);
      assertThat(t.balance(3).debitsPendingMinor() + t.balance(3).debitsPostedMinor())
          .isEqualTo(t.balance(3).creditsPostedMinor());
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void pending_thenPartialPost_postsPartAndReleasesTheRest(Database.Dialect dialect) {
    try (TestLedger t = open(dialect)) {
      assertThat(t.one(Transfer.pending(100, 1, 2, 500, 0))).isEqualTo(TransferResult.OK);
      assertThat(t.balance(1).debitsPendingMinor()).isEqualTo(500);
      assertThat(t.balance(2).creditsPendingMinor()).isEqualTo(500);
      assertThat(t.one(Transfer.post(101, 100, 501))).isEqualTo(TransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT);
      assertThat(t.one(Transfer.post(101, 100, 300))).isEqualTo(TransferResult.OK);
      assertThat(t.balance(1)).isEqualTo(new AccountBalance(Account.of(1, BOOK, EUR), 0, 300, 0, 0));
      assertThat(t.balance(2)).isEqualTo(new AccountBalance(Account.of(2, BOOK, EUR), 0, 0, 0, 300));
      assertThat(t.submit(Transfer.post(102, 100, 100), Transfer.voidPending(103, 100)))
          .containsExactly(TransferResult.PENDING_TRANSFER_ALREADY_POSTED, TransferResult.PENDING_TRANSFER_ALREADY_POSTED);
      // a retry of the post, naming the accounts explicitly, is the same transfer
      assertThat(t.one(new Transfer(101, 1, 2, 300, 100, 0, TransferKind.POST_PENDING, false)))
          .isEqualTo(TransferResult.OK);
      assertThat(t.entryRows()).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void pending_thenVoid_releasesTheHold(Database.Dialect dialect) {
    try (TestLedger t = open(dialect)) {
      t.one(Transfer.pending(100, 1, 2, 500, 0));
      assertThat(t.submit(
              new Transfer(101, 2, 0, 0, 100, 0, TransferKind.VOID_PENDING, false),
              new Transfer(101, 0, 1, 0, 100, 0, TransferKind.VOID_PENDING, false),
              new Transfer(101, 0, 0, 499, 100, 0, TransferKind.VOID_PENDING, false),
              Transfer.voidPending(101, 100),
              Transfer.post(102, 100, 1),
              Transfer.voidPending(103, 999),
              Transfer.voidPending(104, 104),
              Transfer.post(105, 0, 1)))
          .containsExactly(
              TransferResult.PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID,
              TransferResult.PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID,
              TransferResult.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT,
              TransferResult.OK,
              TransferResult.PENDING_TRANSFER_ALREADY_VOIDED,
              TransferResult.PENDING_TRANSFER_NOT_FOUND,
              TransferResult.PENDING_ID_MUST_DIFFER_FROM_ID,
              TransferResult.PENDING_ID_MUST_BE_POSITIVE);
      assertThat(t.balance(1).debitsPendingMinor()).isZero();
      assertThat(t.balance(2).creditsPendingMinor()).isZero();
      assertThat(t.one(Transfer.single(106, 1, 2, 5))).isEqualTo(TransferResult.OK);
      assertThat(t.one(Transfer.post(107, 106, 5))).isEqualTo(TransferResult.PENDING_TRANSFER_NOT_PENDING);
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void pending_expiresOnTheBusinessClock_asItsOwnEntry(Database.Dialect dialect) {
    try (TestLedger t = open(dialect)) {
      t.one(Transfer.pending(100, 1, 2, 500, Duration.ofMinutes(10).toMillis()));
      t.one(Transfer.pending(101, 1, 2, 70, 0));
      t.clock.advance(Duration.ofMinutes(9));
      assertThat(TestLedger.join(t.ledger.expireDue())).isZero();
      assertThat(t.balance(1).debitsPendingMinor()).isEqualTo(570);
      t.clock.advance(Duration.ofMinutes(1));
      assertThat(TestLedger.join(t.ledger.expireDue())).isEqualTo(1);
      assertThat(t.balance(1).debitsPendingMinor()).isEqualTo(70);
      assertThat(t.balance(2).creditsPendingMinor()).isEqualTo(70);
      assertThat(t.one(Transfer.post(102, 100, 1))).isEqualTo(TransferResult.PENDING_TRANSFER_EXPIRED);
      List<LedgerEntry> entries = t.storedEntries();
      assertThat(entries).hasSize(3);
      LedgerEntry expiry = entries.get(2);
      assertThat(expiry.kind()).isEqualTo(EntryKind.EXPIRE_PENDING);
      assertThat(expiry.pendingId()).isEqualTo(100);
      assertThat(expiry.transferId()).isZero();
      assertThat(expiry.amountMinor()).isEqualTo(500);
      assertThat(expiry.appliedAtMs()).isEqualTo(TestLedger.START_MS + Duration.ofMinutes(10).toMillis());
      t.restart();
      assertThat(t.one(Transfer.post(102, 100, 1))).isEqualTo(TransferResult.PENDING_TRANSFER_EXPIRED);
      assertThat(t.one(Transfer.post(103, 101, 70))).isEqualTo(TransferResult.OK);
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void idleWriter_expiresHoldsWithoutBeingAsked(Database.Dialect dialect) throws Exception {
    try (TestLedger t = open(dialect)) {
      t.one(Transfer.pending(100, 1, 2, 500, 1000));
      t.clock.advance(Duration.ofSeconds(1));
      // The writer wakes every expiryPollMs (100 ms): wait for the released hold, bounded.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (t.balance(1).debitsPendingMinor() != 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(t.balance(1).debitsPendingMinor()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void linkedChain_succeedsOrFailsAsOne(Database.Dialect dialect) {
    try (TestLedger t = open(dialect)) {
      assertThat(t.submit(
              Transfer.single(100, 1, 2, 10).asLinked(),
              Transfer.single(101, 2, 1, 3).asLinked(),
              Transfer.pending(102, 1, 2, 4, 0),
              Transfer.single(103, 1, 2, 1)))
          .containsOnly(TransferResult.OK);
      Map<Long, AccountBalance> before = t.balances();
      assertThat(t.submit(
              Transfer.single(200, 1, 2, 10).asLinked(),
              Transfer.post(201, 102, 4).asLinked(),
              Transfer.single(202, 1, 2, 0),
              Transfer.single(203, 1, 2, 1).asLinked(),
              Transfer.single(204, 1, 2, 1).asLinked()))
          .containsExactly(
              TransferResult.LINKED_EVENT_FAILED,
              TransferResult.LINKED_EVENT_FAILED,
              TransferResult.AMOUNT_MUST_BE_POSITIVE,
              TransferResult.LINKED_EVENT_FAILED,
              TransferResult.LINKED_EVENT_CHAIN_OPEN);
      assertThat(t.balances()).isEqualTo(before);
      // the hold the failed chain tried to post is still pending and postable
      assertThat(t.one(Transfer.post(201, 102, 4))).isEqualTo(TransferResult.OK);
      assertThat(t.one(Transfer.single(200, 1, 2, 10))).isEqualTo(TransferResult.OK);
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void restart_replaysTheStore_toIdenticalBalances(Database.Dialect dialect) {
    try (TestLedger t = open(dialect)) {
      t.submit(Transfer.single(100, 1, 2, 10), Transfer.pending(101, 2, 1, 3, 5000), Transfer.pending(102, 1, 3, 7, 0),
          Transfer.post(103, 102, 5), Transfer.single(104, 1, 4, 0));
      Map<Long, AccountBalance> before = t.balances();
      t.restart();
      assertThat(t.balances()).isEqualTo(before);
      // the replayed hold still expires on time
      t.clock.advance(Duration.ofSeconds(5));
      assertThat(TestLedger.join(t.ledger.expireDue())).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void accounts_areIdempotent_andRefuseDifferentContent(Database.Dialect dialect) {
    try (TestLedger t = open(dialect)) {
      assertThat(t.accounts(
              Account.of(1, BOOK, EUR),
              Account.of(1, OTHER_BOOK, EUR),
              Account.of(1, BOOK, CNY),
              new Account(1, BOOK, EUR, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS),
              Account.of(0, BOOK, EUR),
              Account.of(50, 0, EUR),
              new Account(51, BOOK, EUR, new AccountFlags(true, true))))
          .containsExactly(
              AccountResult.OK,
              AccountResult.EXISTS_WITH_DIFFERENT_BOOK_ID,
              AccountResult.EXISTS_WITH_DIFFERENT_CURRENCY,
              AccountResult.EXISTS_WITH_DIFFERENT_FLAGS,
              AccountResult.ID_MUST_BE_POSITIVE,
              AccountResult.BOOK_ID_MUST_BE_POSITIVE,
              AccountResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE);
      assertThat(t.ledger.balance(50)).isEmpty();
      t.restart();
      assertThat(t.balances()).hasSize(6);
      assertThat(t.balance(3).account().flags()).isEqualTo(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS);
    }
  }
}

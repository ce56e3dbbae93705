package io.iotpay.ledger;

import static io.iotpay.ledger.TestLedger.EUR;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The ledger against its store: audit leaves and indexes, and a batch the store refuses. */
class LedgerStoreTest {
  @TempDir Path tempDir;

  private TestLedger open(Database.Dialect dialect, MemoryJournal journal) {
    TestLedger t = new TestLedger(TestStores.open(dialect, tempDir), journal, LedgerConfig.defaults());
    t.accounts(Account.of(1, 1, EUR), Account.of(2, 1, EUR));
    return t;
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void everyEntry_isOneAuditLeaf_atTheIndexStoredInItsRow(Database.Dialect dialect) {
    MemoryJournal journal = new MemoryJournal();
    try (TestLedger t = open(dialect, journal)) {
      t.submit(Transfer.single(10, 1, 2, 5), Transfer.pending(11, 2, 1, 3, 1000));
      t.submit(Transfer.single(12, 1, 2, 0)); // refused: no leaf
      t.submit(Transfer.post(13, 11, 2));
      t.clock.advance(java.time.Duration.ofSeconds(1));
      t.submit(Transfer.pending(14, 1, 2, 9, 1));
      t.clock.advance(java.time.Duration.ofSeconds(1));
      TestLedger.join(t.ledger.expireDue());
      List<LedgerEntry> entries = t.storedEntries();
      List<byte[]> leaves = journal.leaves();
      assertThat(entries).extracting(LedgerEntry::kind).containsExactly(EntryKind.SINGLE_PHASE, EntryKind.PENDING,
          EntryKind.POST_PENDING, EntryKind.PENDING, EntryKind.EXPIRE_PENDING);
      // The two accounts are leaves 0 and 1 (created in one batch before any transfer), the entries follow.
      assertThat(leaves).hasSize(2 + entries.size());
      assertThat(leaves.get(0)).isEqualTo(new AccountLeaf(Account.of(1, 1, EUR), AccountLeaf.Origin.CREATED).canonicalBytes());
      assertThat(leaves.get(1)).isEqualTo(new AccountLeaf(Account.of(2, 1, EUR), AccountLeaf.Origin.CREATED).canonicalBytes());
      for (LedgerEntry entry : entries) {
        assertThat(entry.auditIndex()).isEqualTo(entry.seq() + 1);
        assertThat(leaves.get((int) entry.auditIndex())).isEqualTo(entry.canonicalBytes());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void batchTheStoreRefuses_failsItsFutures_andRollsMemoryBack(Database.Dialect dialect) throws Exception {
    MemoryJournal journal = new MemoryJournal();
    try (TestLedger t = open(dialect, journal)) {
      t.one(Transfer.single(10, 1, 2, 5));
      Map<Long, AccountBalance> before = t.balances();
      // Another writer took the next seq behind the ledger's back: the primary key refuses the batch (and
      // none of its ids is on disk, so it is not a retry of an id older than the cache).
      execute(t, "INSERT INTO ledger_entry (seq, kind, transfer_id, debit_account_id, credit_account_id, amount_minor,"
          + " pending_id, timeout_ms, linked, book_id, currency, applied_at_ms, audit_index)"
          + " VALUES (2, 1, NULL, 1, 2, 1, 0, 0, 0, 1, 978, 0, 0)");
      var refused = t.ledger.submit(List.of(Transfer.single(76, 1, 2, 40), Transfer.single(77, 1, 2, 50)));
      Assertions.assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(LedgerStoreException.class);
      assertThat(t.balances()).isEqualTo(before);
      assertThat(journal.rollbacks).isEqualTo(1);
      assertThat(journal.leaves()).hasSize(2 + 1); // two account leaves, one transfer
      // Memory was rolled back too: id 76 is free again, and the ledger goes on once the row is gone.
      execute(t, "DELETE FROM ledger_entry WHERE seq = 2");
      assertThat(t.one(Transfer.single(76, 1, 2, 40))).isEqualTo(TransferResult.OK);
      assertThat(t.balance(2).creditsPostedMinor()).isEqualTo(45);
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void groupCommit_neverPutsMoreThanBatchTransfersMaxInOneTransaction(Database.Dialect dialect) throws Exception {
    MemoryJournal journal = new MemoryJournal();
    try (TestLedger t = new TestLedger(TestStores.open(dialect, tempDir), journal,
        LedgerConfig.defaults().withBatchTransfersMax(10))) {
      t.accounts(Account.of(1, 1, EUR), Account.of(2, 1, EUR));
      List<java.util.concurrent.CompletableFuture<List<TransferResult>>> futures = new java.util.ArrayList<>();
      for (int s = 0; s < 40; s++) {
        futures.add(t.ledger.submit(List.of(Transfer.single(1000 + 3 * s, 1, 2, 1), Transfer.single(1001 + 3 * s, 2, 1, 2),
            Transfer.single(1002 + 3 * s, 1, 2, 3))));
      }
      for (var future : futures) {
        assertThat(future.get(30, TimeUnit.SECONDS)).containsOnly(TransferResult.OK);
      }
      assertThat(journal.leaves()).hasSize(2 + 120); // two account leaves, 120 transfers
      assertThat(journal.leavesPerAppendMax).isLessThanOrEqualTo(10);
      assertThat(t.balance(2).creditsPostedMinor()).isEqualTo(40 * 4);
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void startUp_refusesAStoreWhoseHistoryBreaksAnInvariant(Database.Dialect dialect) throws Exception {
    try (TestLedger t = open(dialect, new MemoryJournal())) {
      t.accounts(new Account(3, 1, EUR, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
      t.submit(Transfer.single(10, 1, 3, 50), Transfer.single(11, 3, 2, 50));
      t.ledger.close();
      // Someone raised the amount paid out of the no-overdraft account behind the ledger's back.
      execute(t, "UPDATE ledger_entry SET amount_minor = 60 WHERE transfer_id = 11");
      Assertions.assertThatThrownBy(() -> Ledger.open(t.database, LedgerConfig.defaults(), t.clock, new MemoryJournal()))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("debits exceed credits [account=3]");
      execute(t, "UPDATE ledger_entry SET amount_minor = 50 WHERE transfer_id = 11");
      t.ledger = Ledger.open(t.database, LedgerConfig.defaults(), t.clock, new MemoryJournal());
      assertThat(t.balance(3).creditBalanceMinor()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void startUp_refusesAPostWhoseHoldWasDeleted(Database.Dialect dialect) throws Exception {
    try (TestLedger t = open(dialect, new MemoryJournal())) {
      t.submit(Transfer.pending(10, 1, 2, 50, 0));
      t.submit(Transfer.post(11, 10, 20));
      t.ledger.close();
      // Deleted history before a snapshot is for `audit verify` to find; start-up without a snapshot
      // replays everything and stops at the gap.
      execute(t, "DELETE FROM ledger_snapshot_balance");
      execute(t, "DELETE FROM ledger_snapshot_hold");
      execute(t, "DELETE FROM ledger_snapshot");
      execute(t, "DELETE FROM ledger_entry WHERE transfer_id = 10");
      Assertions.assertThatThrownBy(() -> Ledger.open(t.database, LedgerConfig.defaults(), t.clock, new MemoryJournal()))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("out of sequence");
      t.ledger = null;
    }
  }

  private static void execute(TestLedger t, String sql) throws Exception {
    try (Connection connection = t.database.connection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.executeUpdate();
    }
  }
}

package io.iotpay.ledger;

import static io.iotpay.ledger.TestLedger.EUR;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.TestStores;
import io.iotpay.ledger.audit.AuditJournal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ledger with caches far smaller than its history: ids and resolved holds older than the cache are
 * answered from disk, open holds are bounded, and start-up loads a snapshot plus the tail.
 */
class LedgerBoundedMemoryTest {
  /** Batches of at most 8 transfers, so a cache of 16 is the smallest allowed. */
  private static final LedgerConfig SMALL = LedgerConfig.defaults().withTransferCacheMax(16);

  @TempDir Path tempDir;

  private TestLedger open(Database.Dialect dialect, LedgerConfig config) {
    TestLedger t = new TestLedger(TestStores.open(dialect, tempDir), AuditJournal.none(), config);
    t.accounts(Account.of(1, 1, EUR), Account.of(2, 1, EUR),
        new Account(3, 1, EUR, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
    return t;
  }

  /** Submits singles {@code first..last} from 1 to 2, amount 1 each, in submissions of 8. */
  private static void fill(TestLedger t, long first, long last) {
    List<Transfer> part = new ArrayList<>();
    for (long id = first; id <= last; id++) {
      part.add(Transfer.single(id, 1, 2, 1));
      if (part.size() == 8 || id == last) {
        assertThat(t.submit(part.toArray(Transfer[]::new))).containsOnly(TransferResult.OK);
        part.clear();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void anIdOlderThanTheCache_isStillRecognised_acceptedOrRefused(Database.Dialect dialect) {
    try (TestLedger t = open(dialect, SMALL)) {
      t.one(Transfer.single(1, 2, 3, 50)); // account 3 gets 50 it may spend
      t.one(Transfer.single(2, 3, 1, 50)); // and spends it
      fill(t, 100, 299); // 200 more transfers push id 1 far out of a cache of 16
      Map<Long, AccountBalance> before = t.balances();
      // Accepted in memory (looks new), refused by the UNIQUE index, recalled, answered as a retry.
      assertThat(t.one(Transfer.single(1, 2, 3, 50))).isEqualTo(TransferResult.OK);
      assertThat(t.submit(Transfer.single(100, 1, 2, 1), Transfer.single(1000, 1, 2, 7)))
          .containsExactly(TransferResult.OK, TransferResult.OK);
      assertThat(t.one(Transfer.single(101, 1, 2, 2))).isEqualTo(TransferResult.EXISTS_WITH_DIFFERENT_AMOUNT);
      // Refused in memory (same accounts): the disk says the id exists, so the answer is about the id.
      assertThat(t.one(Transfer.single(102, 1, 1, 1))).isEqualTo(TransferResult.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID);
      // Refused in memory (3 has nothing left to spend), yet a retry of a durable transfer: OK.
      fill(t, 300, 340);
      assertThat(t.one(Transfer.single(2, 3, 1, 50))).isEqualTo(TransferResult.OK);
      assertThat(t.balance(2).creditsPostedMinor()).isEqualTo(before.get(2L).creditsPostedMinor() + 7 + 41);
      assertThat(t.balance(3).creditsPostedMinor()).isEqualTo(50);
      assertThat(t.balance(3).debitsPostedMinor()).isEqualTo(50);
      assertThat(t.entryRows()).isEqualTo(2 + 200 + 1 + 41);
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void holdsResolvedLongAgo_answerFromDisk_evenAfterRestart(Database.Dialect dialect) {
    try (TestLedger t = open(dialect, SMALL)) {
      t.submit(Transfer.pending(10, 1, 2, 30, 0), Transfer.pending(11, 1, 2, 40, 0), Transfer.pending(12, 1, 2, 5, 1));
      t.submit(Transfer.post(20, 10, 30), Transfer.voidPending(21, 11));
      t.clock.advance(Duration.ofSeconds(1));
      assertThat(TestLedger.join(t.ledger.expireDue())).isEqualTo(1);
      fill(t, 100, 199);
      for (int round = 0; round < 2; round++) {
        assertThat(t.one(Transfer.post(30, 10, 1))).isEqualTo(TransferResult.PENDING_TRANSFER_ALREADY_POSTED);
        assertThat(t.one(Transfer.post(31, 11, 1))).isEqualTo(TransferResult.PENDING_TRANSFER_ALREADY_VOIDED);
        assertThat(t.one(Transfer.voidPending(32, 12))).isEqualTo(TransferResult.PENDING_TRANSFER_EXPIRED);
        assertThat(t.one(Transfer.voidPending(33, 100))).isEqualTo(TransferResult.PENDING_TRANSFER_NOT_PENDING);
        assertThat(t.one(Transfer.voidPending(34, 99))).isEqualTo(TransferResult.PENDING_TRANSFER_NOT_FOUND);
        t.restart();
      }
      assertThat(t.balance(1).debitsPendingMinor()).isZero();
      assertThat(t.balance(1).debitsPostedMinor()).isEqualTo(30 + 100);
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void openHolds_areBounded_andSurviveASnapshotStartUp(Database.Dialect dialect) {
    try (TestLedger t = open(dialect, SMALL.withHoldsOpenMax(2))) {
      assertThat(t.submit(Transfer.pending(10, 1, 2, 5, 0), Transfer.pending(11, 1, 2, 6, 2000),
          Transfer.pending(12, 1, 2, 7, 0))).containsExactly(TransferResult.OK, TransferResult.OK,
          TransferResult.HOLDS_OPEN_LIMIT_REACHED);
      assertThat(t.one(Transfer.post(13, 10, 5))).isEqualTo(TransferResult.OK);
      assertThat(t.one(Transfer.pending(12, 1, 2, 7, 0))).isEqualTo(TransferResult.OK);
      t.restart(); // clean close: snapshot with holds 11 and 12 open
      assertThat(t.queryLong("SELECT hold_count FROM ledger_snapshot ORDER BY seq DESC LIMIT 1")).isEqualTo(2);
      assertThat(t.one(Transfer.pending(14, 1, 2, 1, 0))).isEqualTo(TransferResult.HOLDS_OPEN_LIMIT_REACHED);
      assertThat(t.one(Transfer.voidPending(15, 12))).isEqualTo(TransferResult.OK);
      t.clock.advance(Duration.ofSeconds(2)); // hold 11's timeout passes after the restart
      assertThat(TestLedger.join(t.ledger.expireDue())).isEqualTo(1);
      AccountBalance debit = t.balance(1);
      assertThat(debit.debitsPendingMinor()).isZero();
      assertThat(debit.debitsPostedMinor()).isEqualTo(5);
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void startUp_usesTheSnapshot_andReplaysOnlyTheTail(Database.Dialect dialect) throws Exception {
    try (TestLedger t = open(dialect, SMALL)) {
      fill(t, 100, 150);
      t.ledger.close(); // snapshot at seq 51
      assertThat(t.queryLong("SELECT MAX(seq) FROM ledger_snapshot")).isEqualTo(51);
      // An entry before the snapshot edited behind the ledger's back (books still balance): the
      // snapshot start-up does not read it, a full replay does.
      execute(t, "UPDATE ledger_entry SET amount_minor = 1001 WHERE transfer_id = 100");
      t.ledger = Ledger.open(t.database, t.config, t.clock, t.journal);
      assertThat(t.balance(2).creditsPostedMinor()).isEqualTo(51);
      assertThat(t.one(Transfer.single(151, 1, 2, 1))).isEqualTo(TransferResult.OK); // the tail: seq 52
      t.ledger.close();
      execute(t, "DELETE FROM ledger_snapshot_balance");
      execute(t, "DELETE FROM ledger_snapshot_hold");
      execute(t, "DELETE FROM ledger_snapshot");
      t.ledger = Ledger.open(t.database, t.config, t.clock, t.journal);
      assertThat(t.balance(2).creditsPostedMinor()).isEqualTo(52 + 1000);
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void aSnapshotThatWasEdited_isNotUsed_andTheBalancesComeFromHistory(Database.Dialect dialect) throws Exception {
    try (TestLedger t = open(dialect, SMALL)) {
      fill(t, 100, 120);
      Map<Long, AccountBalance> truth = t.balances();
      t.ledger.close();
      execute(t, "UPDATE ledger_snapshot_balance SET credits_posted_minor = credits_posted_minor + 5,"
          + " debits_posted_minor = debits_posted_minor + 5 WHERE account_id = 2");
      t.ledger = Ledger.open(t.database, t.config, t.clock, t.journal);
      assertThat(t.balances()).isEqualTo(truth);
      t.ledger.close(); // writes a good snapshot at the same seq, replacing the edited one
      assertThat(t.queryLong("SELECT credits_posted_minor FROM ledger_snapshot_balance WHERE account_id = 2"))
          .isEqualTo(truth.get(2L).creditsPostedMinor());
      execute(t, "DELETE FROM ledger_snapshot_balance WHERE account_id = 1");
      t.ledger = Ledger.open(t.database, t.config, t.clock, t.journal);
      assertThat(t.balances()).isEqualTo(truth);
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void snapshots_everyNEntries_atMostTwoChainsKept(Database.Dialect dialect) {
    try (TestLedger t = open(dialect, SMALL.withSnapshotEveryEntries(10))) {
      fill(t, 100, 199);
      // Batches of 8: a snapshot at least 10 entries after the previous one, so the newest is within 10 + 8.
      assertThat(t.queryLong("SELECT MAX(seq) FROM ledger_snapshot")).isBetween(100L - 18, 100L);
      // Only accounts 1 and 2 move: increments of 2 rows, up to twice the ledger's 3 accounts, then a
      // new full one; the chain before it is kept, older ones deleted.
      assertThat(t.queryLong("SELECT COUNT(*) FROM ledger_snapshot WHERE base_seq = 0")).isEqualTo(2);
      assertThat(t.queryLong("SELECT COUNT(*) FROM ledger_snapshot WHERE base_seq > 0")).isPositive();
      assertThat(t.queryLong("SELECT COUNT(*) FROM ledger_snapshot s WHERE base_seq > 0 AND NOT EXISTS"
          + " (SELECT 1 FROM ledger_snapshot b WHERE b.seq = s.base_seq)")).as("increments without their base").isZero();
      assertThat(t.queryLong("SELECT COUNT(*) FROM ledger_snapshot_balance WHERE snapshot_seq NOT IN"
          + " (SELECT seq FROM ledger_snapshot)")).isZero();
      Map<Long, AccountBalance> before = t.balances();
      t.restart();
      assertThat(t.balances()).isEqualTo(before);
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void incrementalSnapshots_holdOnlyTheAccountsChanged_andStartUpReadsTheirChain(Database.Dialect dialect)
      throws Exception {
    try (TestLedger t = open(dialect, SMALL.withSnapshotEveryEntries(10))) {
      List<Account> riders = new ArrayList<>();
      List<Transfer> credits = new ArrayList<>();
      for (long id = 10; id < 30; id++) {
        riders.add(Account.of(id, 1, EUR));
        credits.add(Transfer.single(id, 1, id, 3)); // ids 10..29, seqs 1..20
      }
      for (int from = 0; from < credits.size(); from += 8) { // submissions of at most 8
        t.accounts(riders.subList(from, Math.min(from + 8, riders.size())).toArray(Account[]::new));
      }
      for (int from = 0; from < credits.size(); from += 8) {
        assertThat(t.submit(credits.subList(from, Math.min(from + 8, credits.size())).toArray(Transfer[]::new)))
            .containsOnly(TransferResult.OK);
      }
      fill(t, 100, 139); // seqs 21..60, only accounts 1 and 2 move
      Map<Long, AccountBalance> truth = t.balances();
      t.ledger.close(); // the writer is done: the snapshot due after the last batch is written (or now)
      assertThat(t.queryLong("SELECT COUNT(*) FROM ledger_snapshot WHERE base_seq = 0")).isEqualTo(1);
      long head = t.queryLong("SELECT MAX(seq) FROM ledger_snapshot");
      assertThat(t.queryLong("SELECT base_seq FROM ledger_snapshot WHERE seq = " + head)).isPositive();
      assertThat(t.queryLong("SELECT balance_count FROM ledger_snapshot WHERE seq = " + head))
          .as("an increment copies only accounts 1 and 2, not the 20 riders").isEqualTo(2);

      // The chain is what start-up reads: an entry before its head, edited behind the ledger's back
      // (books still balance), is not replayed.
      execute(t, "UPDATE ledger_entry SET amount_minor = 1001 WHERE transfer_id = 100");
      t.ledger = Ledger.open(t.database, t.config, t.clock, t.journal);
      assertThat(t.balances()).isEqualTo(truth);
      t.ledger.close();

      // An edited increment is not used: its base (an older increment) and the tail after it are.
      execute(t, "UPDATE ledger_snapshot_balance SET credits_posted_minor = credits_posted_minor + 5,"
          + " debits_posted_minor = debits_posted_minor + 5 WHERE account_id = 2 AND snapshot_seq = " + head);
      t.ledger = Ledger.open(t.database, t.config, t.clock, t.journal);
      assertThat(t.balances()).isEqualTo(truth);
      t.ledger.close(); // writes a good increment at the head's seq again, on the base it loaded
      assertThat(t.queryLong("SELECT credits_posted_minor FROM ledger_snapshot_balance WHERE account_id = 2"
          + " AND snapshot_seq = " + head)).isEqualTo(truth.get(2L).creditsPostedMinor());

      // Increments without their full snapshot are not used: every entry is replayed, the edited one too.
      execute(t, "DELETE FROM ledger_snapshot_balance WHERE snapshot_seq IN (SELECT seq FROM ledger_snapshot"
          + " WHERE base_seq = 0)");
      execute(t, "DELETE FROM ledger_snapshot WHERE base_seq = 0");
      t.ledger = Ledger.open(t.database, t.config, t.clock, t.journal);
      assertThat(t.balance(2).creditsPostedMinor()).isEqualTo(truth.get(2L).creditsPostedMinor() + 1000);
      assertThat(t.balance(12)).isEqualTo(truth.get(12L));
    }
  }

  private static void execute(TestLedger t, String sql) throws Exception {
    try (Connection connection = t.database.connection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.executeUpdate();
    }
  }
}

package io.iotpay.ledger;

import static io.iotpay.ledger.TestLedger.EUR;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.store.Database;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Many submitters and a lock-free reader at once: every reader snapshot balances, nothing is lost. */
class LedgerConcurrencyTest {
  private static final int ACCOUNTS = 10;
  private static final int SUBMITTERS = 4;
  private static final int SUBMISSIONS_PER_SUBMITTER = 100;
  private static final int TRANSFERS_PER_SUBMISSION = 20;

  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void concurrentSubmitters_andReader_seeOnlyBalancedCommittedStates(Database.Dialect dialect) throws Exception {
    try (TestLedger t = TestLedger.open(dialect, tempDir)) {
      for (long id = 1; id <= ACCOUNTS; id++) {
        t.accounts(Account.of(id, 1, EUR));
      }
      AtomicBoolean done = new AtomicBoolean();
      AtomicLong snapshots = new AtomicLong();
      List<String> imbalances = java.util.Collections.synchronizedList(new ArrayList<>());
      Thread reader = Thread.ofPlatform().start(() -> {
        while (!done.get()) {
          Map<Long, AccountBalance> view = t.ledger.balances();
          long debits = view.values().stream().mapToLong(AccountBalance::debitsPostedMinor).sum();
          long credits = view.values().stream().mapToLong(AccountBalance::creditsPostedMinor).sum();
          if (debits != credits) {
            imbalances.add(debits + " != " + credits);
          }
          snapshots.incrementAndGet();
        }
      });
      List<CompletableFuture<List<TransferResult>>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Thread> submitters = new ArrayList<>();
      for (int s = 0; s < SUBMITTERS; s++) {
        long firstId = (s + 1) * 1_000_000L;
        SplittableRandom random = new SplittableRandom(s);
        submitters.add(Thread.ofPlatform().start(() -> submit(t.ledger, random, firstId, futures)));
      }
      for (Thread submitter : submitters) {
        submitter.join();
      }
      long total = 0;
      for (CompletableFuture<List<TransferResult>> future : futures) {
        List<TransferResult> results = TestLedger.join(future);
        assertThat(results).containsOnly(TransferResult.OK);
        total += results.size();
      }
      done.set(true);
      reader.join();
      assertThat(imbalances).isEmpty();
      assertThat(snapshots.get()).isPositive();
      assertThat(total).isEqualTo((long) SUBMITTERS * SUBMISSIONS_PER_SUBMITTER * TRANSFERS_PER_SUBMISSION);
      assertThat(t.entryRows()).isEqualTo(total);
      long posted = t.balances().values().stream().mapToLong(AccountBalance::debitsPostedMinor).sum();
      assertThat(posted).isEqualTo(total); // every transfer moved 1 minor unit
    }
  }

  private static void submit(Ledger ledger, SplittableRandom random, long firstId,
      List<CompletableFuture<List<TransferResult>>> futures) {
    long id = firstId;
    for (int s = 0; s < SUBMISSIONS_PER_SUBMITTER; s++) {
      List<Transfer> transfers = new ArrayList<>();
      for (int i = 0; i < TRANSFERS_PER_SUBMISSION; i++) {
        long debit = 1 + random.nextInt(ACCOUNTS);
        long credit = 1 + (debit + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        transfers.add(Transfer.single(id++, debit, credit, 1));
      }
      futures.add(ledger.submit(transfers));
    }
  }
}

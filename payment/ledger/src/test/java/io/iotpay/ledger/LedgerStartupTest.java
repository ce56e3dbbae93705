package io.iotpay.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.TestStores;
import io.iotpay.ledger.audit.AuditJournal;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Start-up time and heap after start-up with 200,000 and then 1,000,000 transfers of history (rows
 * written in bulk by {@link HistoryRows}; a first open replays them and its clean close writes the
 * snapshot): both stay flat, where replaying all history into memory grew about 170 bytes of heap and
 * a fixed time per transfer. The big runs (1 M, 10 M, 30 M) are {@code iotpay bench ledger --startup}.
 */
class LedgerStartupTest {
  private static final int ACCOUNTS = 1000;
  private static final int RUNS = 3;
  /** Heap a 5x longer history may add after start-up; all history in memory would add about 136 MB. */
  private static final long HEAP_GROWTH_BYTES_MAX = 24L << 20;

  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void heapAndStartUpTime_doNotGrowWithHistory(Database.Dialect dialect) throws Exception {
    try (Database database = TestStores.open(dialect, tempDir)) {
      LedgerStore.migrate(database);
      HistoryRows.accounts(database, ACCOUNTS);
      long[] small = grow(database, 1, 200_000);
      long[] large = grow(database, 200_001, 1_000_000);
      System.out.printf("ledger start-up [%s]: 200k history: %d ms, heap +%d KB; 1M history: %d ms, heap +%d KB%n",
          dialect, small[0], small[1] >> 10, large[0], large[1] >> 10);
      assertThat(large[1] - small[1]).as("heap after start-up, 1M vs 200k history").isLessThan(HEAP_GROWTH_BYTES_MAX);
      // Linear in history would be 5x; a flat start-up stays within noise of the smaller one.
      assertThat(large[0]).as("start-up ms, 1M vs 200k history").isLessThanOrEqualTo(3 * small[0] + 300);
    }
  }

  /** Appends the rows, opens once (replays them, snapshot at close), then returns median {ms, heap bytes} of opens. */
  private static long[] grow(Database database, long fromSeq, long toSeq) throws Exception {
    HistoryRows.transfers(database, ACCOUNTS, fromSeq, toSeq);
    try (Ledger ledger = open(database)) {
      assertThat(ledger.balances()).hasSize(ACCOUNTS);
    }
    long[] ms = new long[RUNS];
    long[] heap = new long[RUNS];
    for (int run = 0; run < RUNS; run++) {
      long before = usedHeapAfterGc();
      long start = System.nanoTime();
      try (Ledger ledger = open(database)) {
        ms[run] = (System.nanoTime() - start) / 1_000_000;
        heap[run] = usedHeapAfterGc() - before;
        // The snapshot's balances are the history's: account 1 is debited by every n with n % A == 0.
        assertThat(ledger.balance(1).orElseThrow().debitsPostedMinor()).isEqualTo(debitsOfAccountOne(toSeq));
      }
    }
    Arrays.sort(ms);
    Arrays.sort(heap);
    return new long[] {ms[RUNS / 2], heap[RUNS / 2]};
  }

  private static Ledger open(Database database) {
    return Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none());
  }

  private static long debitsOfAccountOne(long toSeq) {
    long sum = 0;
    for (long n = ACCOUNTS; n <= toSeq; n += ACCOUNTS) {
      sum += 1 + n % 997;
    }
    return sum;
  }

  private static long usedHeapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}

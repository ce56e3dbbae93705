package io.iotpay.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.foundation.store.Database;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a ledger process with SIGKILL at random points and restarts: every transfer it acknowledged
 * is in the store exactly once, and the store replays with every invariant holding.
 */
class LedgerCrashTest {
  /** Random kill points per test run (a fresh seed each time, printed on failure); 12 keeps CI within its budget. */
  private static final int RUNS = 12;
  /** Each run is killed after a random number of acknowledgements up to this bound. */
  private static final int ACKS_PER_RUN_MAX = 600;

  @TempDir Path tempDir;

  @Test
  void sigkillAtRandomPoints_losesNoAcknowledgedTransfer_andKeepsInvariants() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Path file = tempDir.resolve("crash.db");
    Set<Long> acknowledged = new HashSet<>();
    for (int run = 1; run <= RUNS; run++) {
      int target = 1 + random.nextInt(ACKS_PER_RUN_MAX);
      Path stderr = tempDir.resolve("child-" + run + ".err");
      Process child = startChild(file, run, seed, stderr);
      try {
        int got = readAcks(child, target, acknowledged);
        assertThat(got).as("acks before the child ended [run=%d, seed=%d, stderr=%s]", run, seed,
            Files.exists(stderr) ? Files.readString(stderr) : "").isEqualTo(target);
      } finally {
        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      verifyStore(file, acknowledged, run, seed);
    }
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(RUNS);
  }

  @Test
  void sigkillWhileWritingASnapshot_startsFromTheOlderOne_withTheBalancesOfHistory() throws Exception {
    List<long[]> snapshots = killWhileWritingSnapshot(2, "crash-snapshot");
    assertThat(snapshots).as("only the first, committed snapshot").hasSize(1);
    assertThat(snapshots.getFirst()[1]).as("a full snapshot").isZero();
    assertThat(snapshots.getFirst()[0]).isGreaterThanOrEqualTo(LedgerCrashChild.SNAPSHOT_EVERY_ENTRIES);
  }

  @Test
  void sigkillWhileWritingAnIncrementalSnapshot_startsFromTheChainBeforeIt_withTheBalancesOfHistory()
      throws Exception {
    // The child's 8 accounts all move between snapshots: increments of 8 rows (at most twice the 8
    // accounts together), so the second and third snapshots are increments; killed in the third.
    List<long[]> snapshots = killWhileWritingSnapshot(3, "crash-increment");
    assertThat(snapshots).as("the full snapshot and the increment committed on it").hasSize(2);
    assertThat(snapshots.get(0)[1]).as("a full snapshot first").isZero();
    assertThat(snapshots.get(1)[1]).as("then an increment on top of it").isEqualTo(snapshots.get(0)[0]);
  }

  /**
   * Kills the child while snapshot number {@code parkIn} is written but not committed, checks that no
   * row of it is stored and that the balances start-up gives are those of the stored history; returns
   * the committed snapshots as {seq, base_seq}, oldest first.
   */
  private List<long[]> killWhileWritingSnapshot(int parkIn, String name) throws Exception {
    long seed = System.nanoTime();
    Path file = tempDir.resolve(name + ".db");
    Path stderr = tempDir.resolve(name + ".err");
    Process child = startChild(file, 1, seed, stderr, "park-in-snapshot=" + parkIn);
    try {
      BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
      String line = reader.readLine();
      while (line != null && !line.equals("SNAPSHOT-WRITING")) {
        line = reader.readLine();
      }
      assertThat(line).as("child reached snapshot %d [seed=%d, stderr=%s]", parkIn, seed,
          Files.exists(stderr) ? Files.readString(stderr) : "").isEqualTo("SNAPSHOT-WRITING");
    } finally {
      child.destroyForcibly(); // SIGKILL while the snapshot's rows are written but not committed
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    try (Database database = Database.open("jdbc:sqlite:" + file, 2)) {
      List<long[]> snapshots = new ArrayList<>();
      Map<Long, long[]> fromHistory = new HashMap<>();
      try (Connection connection = database.connection()) {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT seq, base_seq FROM ledger_snapshot ORDER BY seq");
            ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            snapshots.add(new long[] {rows.getLong(1), rows.getLong(2)});
          }
        }
        assertThat(queryLong(connection, "SELECT COUNT(*) FROM ledger_snapshot_balance WHERE snapshot_seq NOT IN"
            + " (SELECT seq FROM ledger_snapshot)")).as("no row of the interrupted snapshot").isZero();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT debit_account_id, credit_account_id, amount_minor FROM ledger_entry");
            ResultSet rows = select.executeQuery()) {
          while (rows.next()) { // singles only: posted amounts
            fromHistory.computeIfAbsent(rows.getLong(1), k -> new long[2])[0] += rows.getLong(3);
            fromHistory.computeIfAbsent(rows.getLong(2), k -> new long[2])[1] += rows.getLong(3);
          }
        }
      }
      try (Ledger ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none())) {
        for (AccountBalance balance : ledger.balances().values()) {
          long[] expected = fromHistory.getOrDefault(balance.account().id(), new long[2]);
          assertThat(new long[] {balance.debitsPostedMinor(), balance.creditsPostedMinor()})
              .as("account %d [seed=%d]", balance.account().id(), seed).containsExactly(expected);
        }
      }
      return snapshots;
    }
  }

  private static long queryLong(Connection connection, String sql) throws Exception {
    try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static Process startChild(Path file, int run, long seed, Path stderr, String... extra) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        LedgerCrashChild.class.getName(), file.toString(), Integer.toString(run), Long.toString(seed)));
    command.addAll(List.of(extra));
    return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
  }

  /** Reads the child's output until {@code target} acknowledgements (or its end); returns how many it read. */
  private static int readAcks(Process child, int target, Set<Long> acknowledged) throws Exception {
    BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
    int got = 0;
    // Only whole lines read before the kill count: a line cut by the kill is never parsed.
    while (got < target) {
      String line = reader.readLine();
      if (line == null) {
        break; // the child ended on its own: the caller reports its stderr
      }
      assertThat(line).doesNotStartWith("ERROR");
      if (line.startsWith("ACK ")) {
        assertThat(acknowledged.add(Long.parseLong(line.substring(4)))).as("acknowledged twice: %s", line).isTrue();
        got++;
      }
    }
    return got;
  }

  private static void verifyStore(Path file, Set<Long> acknowledged, int run, long seed) throws Exception {
    try (Database database = Database.open("jdbc:sqlite:" + file, 2)) {
      List<Long> stored = new ArrayList<>();
      try (Connection connection = database.connection();
          PreparedStatement select = connection.prepareStatement(
              "SELECT transfer_id FROM ledger_entry WHERE transfer_id IS NOT NULL");
          ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          stored.add(rows.getLong(1));
        }
      }
      Set<Long> distinct = new HashSet<>(stored);
      assertThat(distinct).as("no transfer stored twice [run=%d, seed=%d]", run, seed).hasSameSizeAs(stored);
      assertThat(distinct).as("every acknowledged transfer stored [run=%d, seed=%d]", run, seed)
          .containsAll(acknowledged);
      // Opening replays every row and asserts the invariants (AssertionError otherwise); check again outside.
      try (Ledger ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none())) {
        Map<Long, long[]> books = new HashMap<>();
        for (AccountBalance balance : ledger.balances().values()) {
          long[] sum = books.computeIfAbsent(balance.account().bookId(), k -> new long[2]);
          sum[0] += balance.debitsPostedMinor();
          sum[1] += balance.creditsPostedMinor();
          if (balance.account().flags().debitsMustNotExceedCredits()) {
            assertThat(balance.debitsPostedMinor()).isLessThanOrEqualTo(balance.creditsPostedMinor());
          }
        }
        for (long[] sum : books.values()) {
          assertThat(sum[0]).isEqualTo(sum[1]);
        }
      }
    }
  }
}

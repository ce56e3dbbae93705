package io.iotpay.bench.ledger;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.audit.AuditJournal;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code iotpay bench ledger --startup}: the ledger's start-up time and heap after start-up with
 * growing history (default 1 M, 10 M and 30 M transfers) on one SQLite file.
 *
 * <p>Method: the history rows are written in bulk straight into {@code ledger_account} and
 * {@code ledger_entry} (one {@code INSERT … SELECT} per million rows, not through the ledger's writer
 * and without an audit log: generating 30 M transfers through the writer would take most of the run),
 * single-phase transfers between {@code accounts} accounts. A first open replays the new rows (its
 * time is printed as "replay"), its clean close writes the balance snapshot; then the ledger is opened
 * {@code runs} times and each start-up's time and the heap it holds after a full GC are measured; the
 * medians are printed.
 */
public final class StartupBench {
  private static final long ROWS_PER_STATEMENT = 1_000_000;
  private static final long APPLIED_AT_BASE_MS = 1_800_000_000_000L;

  /** One history size's figures: medians over the runs. */
  public record Figures(long historyTransfers, long replayMs, long startUpMs, long heapBytes) {}

  /**
   * @param histories transfers of history to measure at, ascending, each 1..1,000,000,000
   * @param accounts accounts the transfers move between, 2..10,000,000
   * @param runs start-ups measured per history size, 1..99
   */
  public record Settings(List<Long> histories, int accounts, int runs, Path directory) {
    public Settings {
      histories = List.copyOf(histories);
      if (histories.isEmpty() || accounts < 2 || accounts > 10_000_000 || runs < 1 || runs > 99 || directory == null) {
        throw new InvalidInputException("bench ledger --startup: need histories, accounts 2..10,000,000, runs 1..99");
      }
      long previous = 0;
      for (long h : histories) {
        if (h <= previous || h > 1_000_000_000L) {
          throw new InvalidInputException("bench ledger --startup: histories must ascend within 1..10^9: " + histories);
        }
        previous = h;
      }
    }
  }

  private final Settings settings;
  private final PrintStream progress;

  public StartupBench(Settings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  public List<Figures> run() throws SQLException {
    List<Figures> figures = new ArrayList<>();
    try (Database database = Database.open("jdbc:sqlite:" + settings.directory().resolve("startup.db"), 4)) {
      open(database).close(); // migrations
      insertAccounts(database);
      long written = 0;
      for (long history : settings.histories()) {
        long start = System.nanoTime();
        insertTransfers(database, written + 1, history);
        progress.printf(Locale.ROOT, "bench ledger --startup: %,d transfers written in bulk (%.0f s)%n", history,
            (System.nanoTime() - start) / 1e9);
        written = history;
        figures.add(measure(database, history));
        Figures f = figures.get(figures.size() - 1);
        progress.printf(Locale.ROOT, "  %,d: replay of the new rows %,d ms; start-up %,d ms; heap %.1f MB%n", history,
            f.replayMs(), f.startUpMs(), f.heapBytes() / 1048576.0);
      }
    }
    return figures;
  }

  private Figures measure(Database database, long history) {
    long replayStart = System.nanoTime();
    open(database).close(); // replays the rows after the last snapshot; the clean close writes a new one
    long replayMs = (System.nanoTime() - replayStart) / 1_000_000;
    long[] ms = new long[settings.runs()];
    long[] heap = new long[settings.runs()];
    for (int run = 0; run < settings.runs(); run++) {
      long before = usedHeapAfterGc();
      long start = System.nanoTime();
      try (Ledger ledger = open(database)) {
        ms[run] = (System.nanoTime() - start) / 1_000_000;
        heap[run] = usedHeapAfterGc() - before;
        if (ledger.balances().size() != settings.accounts()) {
          throw new IllegalStateException("bench ledger --startup: accounts missing after start-up");
        }
      }
    }
    Arrays.sort(ms);
    Arrays.sort(heap);
    return new Figures(history, replayMs, ms[ms.length / 2], heap[heap.length / 2]);
  }

  private static Ledger open(Database database) {
    return Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none());
  }

  private void insertAccounts(Database database) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement insert = connection.prepareStatement(
            "WITH RECURSIVE a(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM a WHERE n < ?)"
                + " INSERT INTO ledger_account (id, book_id, currency, flags, audit_index, audit_origin)"
                + " SELECT n, 1, 978, 0, n - 1, 1 FROM a")) {
      insert.setLong(1, settings.accounts());
      insert.executeUpdate();
    }
  }

  /** Transfer n (= seq = id) moves 1 + n % 997 from account 1 + n % A to 1 + (n + 1) % A. */
  private void insertTransfers(Database database, long fromSeq, long toSeq) throws SQLException {
    String sql = "WITH RECURSIVE s(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM s WHERE n < ?)"
        + " INSERT INTO ledger_entry (seq, kind, transfer_id, debit_account_id, credit_account_id, amount_minor,"
        + " pending_id, timeout_ms, linked, book_id, currency, applied_at_ms, audit_index)"
        + " SELECT n, 1, n, 1 + n % ?, 1 + (n + 1) % ?, 1 + n % 997, 0, 0, 0, 1, 978, " + APPLIED_AT_BASE_MS
        + " + n / 1000, ? + n - 1 FROM s";
    try (Connection connection = database.connection(); PreparedStatement insert = connection.prepareStatement(sql)) {
      for (long start = fromSeq; start <= toSeq; start += ROWS_PER_STATEMENT) {
        insert.setLong(1, start);
        insert.setLong(2, Math.min(toSeq, start + ROWS_PER_STATEMENT - 1));
        insert.setLong(3, settings.accounts());
        insert.setLong(4, settings.accounts());
        insert.setLong(5, settings.accounts());
        insert.executeUpdate();
      }
    }
  }

  private static long usedHeapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** The figures as a table. */
  public static void print(List<Figures> figures, PrintStream out) {
    out.println("bench ledger --startup: SQLite, history written in bulk, audit log not involved (ledger start-up only)");
    out.printf(Locale.ROOT, "%15s %14s %14s %18s%n", "history", "replay ms", "start-up ms", "heap after MB");
    for (Figures f : figures) {
      out.printf(Locale.ROOT, "%,15d %,14d %,14d %18.1f%n", f.historyTransfers(), f.replayMs(), f.startUpMs(),
          f.heapBytes() / 1048576.0);
    }
    out.println("replay: first open after the rows were added (replays them, writes the snapshot at close);"
        + " start-up and heap: medians of the opens after it (snapshot + empty tail)");
  }
}

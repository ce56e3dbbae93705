package io.iotpay.bench.ledger;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountResult;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.ledger.audit.AuditJournal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code iotpay bench ledger}: our ledger (one writer, group commit, balances in memory) against a
 * baseline that runs one locking database transaction per transfer, on the same store, for SQLite and
 * PostgreSQL. Both count only durable transfers: acknowledged after their transaction committed (SQLite
 * in WAL mode with {@code synchronous=FULL}, PostgreSQL with its default {@code synchronous_commit=on}).
 */
public final class LedgerBench {
  /** Throughput the issue asks of our ledger on SQLite, transfers per second. */
  public static final double SQLITE_TARGET_PER_SECOND = 100_000;
  /** Speed-up over the baseline the issue asks for. */
  public static final double RATIO_TARGET = 20;

  private static final long BOOK_ID = 1;
  private static final CurrencyUnit CURRENCY = CurrencyUnit.EUR;
  /** Each client thread numbers its transfers from {@code (thread + 1) * ID_STRIDE}. */
  private static final long ID_STRIDE = 1_000_000_000_000L;

  /** One store's figures. */
  public record Figures(String store, long ledgerTransfers, double ledgerPerSecond, long baselineTransfers,
      double baselinePerSecond) {
    public double ratio() {
      return baselinePerSecond == 0 ? Double.POSITIVE_INFINITY : ledgerPerSecond / baselinePerSecond;
    }
  }

  private final BenchOptions options;
  private final PrintStream progress;

  public LedgerBench(BenchOptions options, PrintStream progress) {
    this.options = options;
    this.progress = progress;
  }

  /** Runs SQLite, then PostgreSQL unless it is unreachable (then says so on the progress stream). */
  public List<Figures> run() throws IOException, SQLException {
    List<Figures> figures = new ArrayList<>();
    Path directory = Files.createTempDirectory("iotpay-bench-ledger");
    try {
      String url = "jdbc:sqlite:" + directory.resolve("bench.db");
      try (Database database = Database.open(url, options.baselineThreads() + 2)) {
        figures.add(runStore("SQLite", database));
      }
    } finally {
      deleteTree(directory);
    }
    if (options.postgresUrl() != null) {
      runPostgres().ifPresent(figures::add);
    }
    return figures;
  }

  private Optional<Figures> runPostgres() throws SQLException {
    String schema = "iotpay_bench_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection admin = connectOrNull(options.postgresUrl())) {
      if (admin == null) {
        return Optional.empty();
      }
      try (Statement statement = admin.createStatement()) {
        statement.execute("CREATE SCHEMA " + schema);
      }
      String base = options.postgresUrl();
      String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
      try (Database database = Database.open(url, options.baselineThreads() + 2)) {
        return Optional.of(runStore("PostgreSQL", database));
      } finally {
        try (Statement statement = admin.createStatement()) {
          statement.execute("DROP SCHEMA " + schema + " CASCADE");
        }
      }
    }
  }

  private Connection connectOrNull(String url) {
    try {
      DriverManager.setLoginTimeout(5);
      return DriverManager.getConnection(url);
    } catch (SQLException e) {
      // The query string may carry a password: name the server only.
      String server = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
      progress.printf("bench ledger: PostgreSQL unreachable at %s (%s): skipped%n", server, e.getMessage());
      return null;
    }
  }

  private Figures runStore(String store, Database database) throws SQLException {
    progress.printf("bench ledger: %s: our ledger, %,d accounts, %d%% hot, up to %ds or %,d transfers%n", store,
        options.accountCount(), options.hotSharePercent(), options.ledgerDuration().toSeconds(),
        options.ledgerTransfersMax());
    long[] ours = runLedger(store, database);
    progress.printf("bench ledger: %s: baseline, %d threads, %ds%n", store, options.baselineThreads(),
        options.baselineDuration().toSeconds());
    long[] baseline = runBaseline(store, database);
    return new Figures(store, ours[0], perSecond(ours), baseline[0], perSecond(baseline));
  }

  private static double perSecond(long[] countAndNanos) {
    return countAndNanos[0] * 1e9 / Math.max(1, countAndNanos[1]);
  }

  /** Returns {transfers acknowledged, nanoseconds from first submission to last acknowledgement}. */
  private long[] runLedger(String store, Database database) {
    try (Ledger ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none())) {
      createAccounts(ledger);
      AtomicLong acknowledged = new AtomicLong();
      long perThreadMax = Math.max(1, options.ledgerTransfersMax() / options.clientThreads());
      long start = System.nanoTime();
      long deadline = start + options.ledgerDuration().toNanos();
      List<Thread> clients = new ArrayList<>();
      for (int t = 0; t < options.clientThreads(); t++) {
        Workload workload = new Workload(options.accountCount(), options.hotSharePercent(), 7 + t);
        long firstId = (t + 1) * ID_STRIDE;
        clients.add(Thread.ofPlatform().name("bench-client-" + t)
            .start(() -> drive(ledger, workload, firstId, perThreadMax, deadline, acknowledged)));
      }
      joinWithProgress(store + " ledger", clients, acknowledged, start);
      return new long[] {acknowledged.get(), System.nanoTime() - start};
    }
  }

  private void createAccounts(Ledger ledger) {
    List<Account> chunk = new ArrayList<>();
    for (long id = 1; id <= options.accountCount(); id++) {
      chunk.add(Account.of(id, BOOK_ID, CURRENCY));
      if (chunk.size() == LedgerConfig.defaults().batchTransfersMax() || id == options.accountCount()) {
        for (AccountResult result : ledger.createAccounts(chunk).join()) {
          check(result == AccountResult.OK, "account refused: " + result);
        }
        chunk.clear();
      }
    }
  }

  /** One client: keeps up to {@code clientInFlightMax} submissions in flight until the deadline. */
  private void drive(Ledger ledger, Workload workload, long firstId, long transfersMax, long deadline,
      AtomicLong acknowledged) {
    ArrayDeque<CompletableFuture<List<TransferResult>>> inFlight = new ArrayDeque<>();
    long nextId = firstId;
    long issued = 0;
    while (issued < transfersMax && System.nanoTime() < deadline) {
      if (inFlight.size() >= options.clientInFlightMax()) {
        acknowledged.addAndGet(awaitAll(inFlight.poll()));
      }
      int size = (int) Math.min(options.clientBatchTransfers(), transfersMax - issued);
      List<Transfer> transfers = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        long[] t = workload.next();
        transfers.add(Transfer.single(nextId++, t[0], t[1], t[2]));
      }
      issued += size;
      inFlight.add(ledger.submit(transfers));
    }
    while (!inFlight.isEmpty()) {
      acknowledged.addAndGet(awaitAll(inFlight.poll()));
    }
  }

  private static int awaitAll(CompletableFuture<List<TransferResult>> future) {
    List<TransferResult> results = future.join();
    for (TransferResult result : results) {
      check(result == TransferResult.OK, "transfer refused: " + result);
    }
    return results.size();
  }

  private long[] runBaseline(String store, Database database) throws SQLException {
    Baseline baseline = new Baseline(database);
    baseline.setUp(options.accountCount());
    AtomicLong committed = new AtomicLong();
    long start = System.nanoTime();
    long deadline = start + options.baselineDuration().toNanos();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < options.baselineThreads(); t++) {
      Workload workload = new Workload(options.accountCount(), options.hotSharePercent(), 1007 + t);
      long firstId = (t + 1) * ID_STRIDE;
      threads.add(Thread.ofPlatform().name("bench-baseline-" + t).start(() -> {
        try {
          baseline.run(workload, firstId, deadline, committed);
        } catch (SQLException | RuntimeException e) {
          failures.add(e);
        }
      }));
    }
    joinWithProgress(store + " baseline", threads, committed, start);
    if (!failures.isEmpty()) {
      throw new SQLException("baseline failed: " + failures.get(0), failures.get(0));
    }
    return new long[] {committed.get(), System.nanoTime() - start};
  }

  /** Waits for the threads, printing the count and rate about once a second. */
  private void joinWithProgress(String what, List<Thread> threads, AtomicLong count, long start) {
    try {
      for (Thread thread : threads) {
        while (!thread.join(Duration.ofSeconds(1))) {
          double seconds = (System.nanoTime() - start) / 1e9;
          progress.printf(Locale.ROOT, "  %s: %,d transfers in %.0f s (%,.0f/s)%n", what, count.get(), seconds,
              count.get() / seconds);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while benchmarking", e);
    }
  }

  /** The figures as a table, with the targets. */
  public static void print(List<Figures> figures, PrintStream out) {
    out.printf(Locale.ROOT, "%-11s %18s %20s %9s%n", "store", "ledger transfers/s", "baseline transfers/s", "ratio");
    for (Figures f : figures) {
      out.printf(Locale.ROOT, "%-11s %,18.0f %,20.0f %8.1fx%n", f.store(), f.ledgerPerSecond(), f.baselinePerSecond(),
          f.ratio());
    }
    out.printf(Locale.ROOT, "targets: >= %,.0f durable transfers/s on SQLite, >= %.0fx the baseline%n",
        SQLITE_TARGET_PER_SECOND, RATIO_TARGET);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException("bench ledger: " + message);
    }
  }

  private static void deleteTree(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}

package io.iotpay.bench.ledger;

import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountResult;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import java.security.KeyPair;
import java.security.SecureRandom;
import io.iotpay.foundation.store.Database;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code iotpay bench ledger}: our ledger (one writer, group commit, balances in memory) against a
 * baseline that runs one locking database transaction per transfer, on the same store, for SQLite and
 * PostgreSQL. Both count only durable transfers: acknowledged after their transaction committed (SQLite
 * in WAL mode with {@code synchronous=FULL}, PostgreSQL with its default {@code synchronous_commit=on}).
 *
 * <p>By default our ledger runs with the audit log on ({@link AuditLog}: every account and entry a
 * leaf written in the batch's own transaction, checkpoints signed), and an audit-off run of the same
 * length is measured beside it. Each run gets a fresh database (a new SQLite file, a new PostgreSQL
 * schema), so no run sees another's history.
 */
public final class LedgerBench {
  /** Throughput the issue asks of our ledger on SQLite, transfers per second. */
  public static final double SQLITE_TARGET_PER_SECOND = 250_000;
  /** Suite of the audit log's hashes and checkpoint signatures in the bench. */
  public static final AlgorithmSuite AUDIT_SUITE = AlgorithmSuite.INTERNATIONAL;
  /** Speed-up over the baseline the issue asks for. */
  public static final double RATIO_TARGET = 20;

  private static final long BOOK_ID = 1;
  private static final CurrencyUnit CURRENCY = CurrencyUnit.EUR;
  /** Each client thread numbers its transfers from {@code (thread + 1) * ID_STRIDE}. */
  private static final long ID_STRIDE = 1_000_000_000_000L;
  private static final long WARM_UP_NANOS = 5_000_000_000L;

  /**
   * One store's figures. {@code ledger*} is our ledger as configured (audit on unless {@code audit} is
   * false); {@code auditOff*} the same-run audit-off reference (NaN / 0 when the audit was off anyway).
   */
  public record Figures(String store, boolean audit, long ledgerTransfers, double ledgerPerSecond,
      long auditOffTransfers, double auditOffPerSecond, long baselineTransfers, double baselinePerSecond) {
    public double ratio() {
      return baselinePerSecond == 0 ? Double.POSITIVE_INFINITY : ledgerPerSecond / baselinePerSecond;
    }
  }

  /** Opens a fresh, empty database for one run. */
  private interface FreshDatabase {
    Database open(String label) throws SQLException;
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
      warmUp(directory);
      figures.add(runStore("SQLite", label -> Database.open("jdbc:sqlite:" + directory.resolve(label + ".db"),
          options.baselineThreads() + 2)));
    } finally {
      deleteTree(directory);
    }
    if (options.postgresUrl() != null) {
      runPostgres().ifPresent(figures::add);
    }
    return figures;
  }

  private java.util.Optional<Figures> runPostgres() throws SQLException {
    List<String> schemas = new ArrayList<>();
    try (Connection admin = connectOrNull(options.postgresUrl())) {
      if (admin == null) {
        return java.util.Optional.empty();
      }
      try {
        return java.util.Optional.of(runStore("PostgreSQL", label -> {
          String schema = "iotpay_bench_" + UUID.randomUUID().toString().replace("-", "");
          try (Statement statement = admin.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
          }
          schemas.add(schema);
          String base = options.postgresUrl();
          return Database.open(base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema,
              options.baselineThreads() + 2);
        }));
      } finally {
        for (String schema : schemas) {
          try (Statement statement = admin.createStatement()) {
            statement.execute("DROP SCHEMA " + schema + " CASCADE");
          }
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

  private Figures runStore(String store, FreshDatabase fresh) throws SQLException {
    long[] ours = runLedgerOn(store, fresh, options.audit());
    long[] auditOff = options.audit() ? runLedgerOn(store, fresh, false) : new long[] {0, 0};
    progress.printf("bench ledger: %s: baseline, %d threads, %ds%n", store, options.baselineThreads(),
        options.baselineDuration().toSeconds());
    long[] baseline;
    try (Database database = fresh.open("baseline")) {
      baseline = runBaseline(store, database);
    }
    return new Figures(store, options.audit(), ours[0], perSecond(ours), auditOff[0],
        options.audit() ? perSecond(auditOff) : Double.NaN, baseline[0], perSecond(baseline));
  }

  /**
   * A short run with the audit log on a throwaway database, so that the measured runs (audit on first)
   * do not pay the JIT's warm-up: without it the first run in the process measured about half.
   */
  private void warmUp(Path directory) throws SQLException {
    progress.printf("bench ledger: warm-up, %d s, not measured%n", WARM_UP_NANOS / 1_000_000_000L);
    try (Database database = Database.open("jdbc:sqlite:" + directory.resolve("warm-up.db"), 4)) {
      KeyPair signingKey = AUDIT_SUITE.signature().generateKeyPair(new SecureRandom());
      try (AuditLog auditLog = AuditLog.open(database, AuditLogConfig.of(AUDIT_SUITE, signingKey))) {
        runLedger("warm-up", database, auditLog, WARM_UP_NANOS);
      }
    }
  }

  private long[] runLedgerOn(String store, FreshDatabase fresh, boolean audit) throws SQLException {
    progress.printf("bench ledger: %s: our ledger, audit log %s, %,d accounts, %d%% hot, up to %ds or %,d transfers%n",
        store, audit ? "on" : "off", options.accountCount(), options.hotSharePercent(),
        options.ledgerDuration().toSeconds(), options.ledgerTransfersMax());
    try (Database database = fresh.open(audit ? "ledger-audit" : "ledger")) {
      if (!audit) {
        return runLedger(store + " ledger", database, AuditJournal.none(), options.ledgerDuration().toNanos());
      }
      KeyPair signingKey = AUDIT_SUITE.signature().generateKeyPair(new SecureRandom());
      try (AuditLog auditLog = AuditLog.open(database, AuditLogConfig.of(AUDIT_SUITE, signingKey))) {
        return runLedger(store + " ledger+audit", database, auditLog, options.ledgerDuration().toNanos());
      }
    }
  }

  private static double perSecond(long[] countAndNanos) {
    return countAndNanos[0] * 1e9 / Math.max(1, countAndNanos[1]);
  }

  /** Returns {transfers acknowledged, nanoseconds from first submission to last acknowledgement}. */
  private long[] runLedger(String what, Database database, AuditJournal journal, long durationNanos) {
    try (Ledger ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), journal)) {
      createAccounts(ledger);
      AtomicLong acknowledged = new AtomicLong();
      long perThreadMax = Math.max(1, options.ledgerTransfersMax() / options.clientThreads());
      long start = System.nanoTime();
      long deadline = start + durationNanos;
      List<Thread> clients = new ArrayList<>();
      for (int t = 0; t < options.clientThreads(); t++) {
        Workload workload = new Workload(options.accountCount(), options.hotSharePercent(), 7 + t);
        long firstId = (t + 1) * ID_STRIDE;
        clients.add(Thread.ofPlatform().name("bench-client-" + t)
            .start(() -> drive(ledger, workload, firstId, perThreadMax, deadline, acknowledged)));
      }
      joinWithProgress(what, clients, acknowledged, start);
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
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
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
        while (!thread.join(java.time.Duration.ofSeconds(1))) {
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

  /** The figures as a table, with the targets; the first line says whether the audit log was on. */
  public static void print(List<Figures> figures, PrintStream out) {
    boolean audit = figures.isEmpty() || figures.get(0).audit();
    out.println(audit
        ? "bench ledger: audit log ON (" + AUDIT_SUITE + ": every account and entry a leaf, written in the batch's"
            + " transaction; signed checkpoints); audit-off run of the same length beside it"
        : "bench ledger: audit log OFF (--no-audit): these figures do not include the audit log");
    out.printf(Locale.ROOT, "%-11s %18s %18s %20s %9s%n", "store", audit ? "ledger+audit /s" : "ledger /s",
        "audit off /s", "baseline transfers/s", "ratio");
    for (Figures f : figures) {
      out.printf(Locale.ROOT, "%-11s %,18.0f %18s %,20.0f %8.1fx%n", f.store(), f.ledgerPerSecond(),
          Double.isNaN(f.auditOffPerSecond()) ? "-" : String.format(Locale.ROOT, "%,.0f", f.auditOffPerSecond()),
          f.baselinePerSecond(), f.ratio());
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

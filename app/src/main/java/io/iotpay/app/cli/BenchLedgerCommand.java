package io.iotpay.app.cli;

import io.iotpay.bench.ledger.BenchOptions;
import io.iotpay.bench.ledger.LedgerBench;
import io.iotpay.bench.ledger.StartupBench;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code iotpay bench ledger}: our ledger against a one-transaction-per-transfer baseline, SQLite and PostgreSQL. */
@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    description = {
      "Durable transfers/s of the ledger (group commit) against a baseline (one locking transaction per transfer),",
      "on SQLite and PostgreSQL, with 20%% of transfers touching one hot account; the audit log on unless --no-audit",
      "(then an audit-off run is measured beside it). Progress on stderr."
    })
public final class BenchLedgerCommand implements Callable<Integer> {
  /** Environment variable naming the PostgreSQL to benchmark when --postgres-url is absent. */
  public static final String POSTGRES_URL_VARIABLE = "IOTPAY_BENCH_POSTGRES_URL";

  @Option(names = "--accounts", defaultValue = "10000", description = "Accounts in the book (default ${DEFAULT-VALUE}).")
  int accountCount;

  @Option(names = "--hot-percent", defaultValue = "20", description = "Share of transfers touching the hot account (default ${DEFAULT-VALUE}).")
  int hotSharePercent;

  @Option(names = "--seconds", defaultValue = "15", description = "Seconds to drive our ledger per store (default ${DEFAULT-VALUE}).")
  long ledgerSeconds;

  @Option(names = "--transfers-max", defaultValue = "3000000", description = "Stop our ledger's run after this many transfers (default ${DEFAULT-VALUE}).")
  long ledgerTransfersMax;

  @Option(names = "--baseline-seconds", defaultValue = "10", description = "Seconds to drive the baseline per store (default ${DEFAULT-VALUE}).")
  long baselineSeconds;

  @Option(names = "--clients", defaultValue = "4", description = "Client threads submitting to the ledger (default ${DEFAULT-VALUE}).")
  int clientThreads;

  @Option(names = "--client-batch", defaultValue = "500", description = "Transfers per submission (default ${DEFAULT-VALUE}).")
  int clientBatchTransfers;

  @Option(names = "--in-flight", defaultValue = "8", description = "Submissions each client keeps in flight (default ${DEFAULT-VALUE}).")
  int clientInFlightMax;

  @Option(names = "--baseline-threads", defaultValue = "4", description = "Threads running baseline transactions (default ${DEFAULT-VALUE}).")
  int baselineThreads;

  @Option(names = "--postgres-url", description = "PostgreSQL JDBC URL (default: $" + POSTGRES_URL_VARIABLE
      + " or " + BenchOptions.DEFAULT_POSTGRES_URL + ").")
  String postgresUrl;

  @Option(names = "--no-postgres", description = "Benchmark SQLite only.")
  boolean noPostgres;

  @Option(names = "--no-audit", description = "Run our ledger without the audit log (the report's first line says so);"
      + " by default it runs with it, and an audit-off run is measured beside it.")
  boolean noAudit;

  @Option(names = "--startup", description = "Instead: start-up time and heap after start-up with growing history"
      + " (SQLite; rows written in bulk, see docs/bench-ledger.md).")
  boolean startup;

  @Option(names = "--histories", split = ",", defaultValue = "1000000,10000000,30000000",
      description = "With --startup: transfers of history to measure at, ascending (default ${DEFAULT-VALUE}).")
  List<Long> histories;

  @Option(names = "--runs", defaultValue = "3", description = "With --startup: start-ups per history size; medians"
      + " are printed (default ${DEFAULT-VALUE}).")
  int runs;

  @Override
  public Integer call() throws Exception {
    if (startup) {
      java.nio.file.Path directory = java.nio.file.Files.createTempDirectory("iotpay-bench-startup");
      try {
        List<StartupBench.Figures> figures;
        try (Progress progress = Progress.start("bench ledger --startup", -1, new PrintWriter(System.err, true))) {
          figures = new StartupBench(new StartupBench.Settings(histories, accountCount, runs, directory), progress.stages())
              .run();
        }
        StartupBench.print(figures, System.out);
      } finally {
        try (var paths = java.nio.file.Files.walk(directory)) {
          for (java.nio.file.Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
            java.nio.file.Files.deleteIfExists(path);
          }
        }
      }
      return 0;
    }
    BenchOptions options = new BenchOptions(accountCount, hotSharePercent, Duration.ofSeconds(ledgerSeconds),
        ledgerTransfersMax, Duration.ofSeconds(baselineSeconds), clientThreads, clientBatchTransfers,
        clientInFlightMax, baselineThreads, noPostgres ? null : postgresUrl(), !noAudit);
    List<LedgerBench.Figures> figures;
    try (Progress progress = Progress.start("bench ledger", -1, new PrintWriter(System.err, true))) {
      figures = new LedgerBench(options, progress.stages()).run();
    }
    LedgerBench.print(figures, System.out);
    return 0;
  }

  private String postgresUrl() {
    if (postgresUrl != null) {
      return postgresUrl;
    }
    String fromEnvironment = System.getenv(POSTGRES_URL_VARIABLE);
    return fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : BenchOptions.DEFAULT_POSTGRES_URL;
  }
}

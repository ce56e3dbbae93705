package io.iotpay.app.cli;

import io.iotpay.bench.ledger.BenchOptions;
import io.iotpay.bench.ledger.LedgerBench;
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
      "on SQLite and PostgreSQL, with 20%% of transfers touching one hot account. Progress on stderr."
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

  @Override
  public Integer call() throws Exception {
    BenchOptions options = new BenchOptions(accountCount, hotSharePercent, Duration.ofSeconds(ledgerSeconds),
        ledgerTransfersMax, Duration.ofSeconds(baselineSeconds), clientThreads, clientBatchTransfers,
        clientInFlightMax, baselineThreads, noPostgres ? null : postgresUrl());
    List<LedgerBench.Figures> figures = new LedgerBench(options, System.err).run();
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

package io.iotpay.bench.ledger;

import io.iotpay.foundation.InvalidInputException;
import java.time.Duration;

/**
 * Settings of {@link LedgerBench}; defaults finish both stores in about two minutes on two cores.
 *
 * @param accountCount accounts in the book (default 10,000; at least 3)
 * @param hotSharePercent share of transfers touching the hot account (default 20)
 * @param ledgerDuration how long to drive our ledger per store (default 15 s)
 * @param ledgerTransfersMax stop our ledger's run earlier after this many transfers (default 3,000,000)
 * @param baselineDuration how long to drive the baseline per store (default 10 s)
 * @param clientThreads threads submitting to our ledger (default 4)
 * @param clientBatchTransfers transfers per submission (default 500)
 * @param clientInFlightMax submissions each client thread keeps in flight (default 8)
 * @param baselineThreads threads running baseline transactions (default 4)
 * @param postgresUrl PostgreSQL to use, or null to skip it
 * @param audit whether our ledger runs with the audit log (default true; then an audit-off run of the
 *     same length is measured beside it as the reference); false measures the ledger alone, and the
 *     report says so
 */
public record BenchOptions(
    int accountCount,
    int hotSharePercent,
    Duration ledgerDuration,
    long ledgerTransfersMax,
    Duration baselineDuration,
    int clientThreads,
    int clientBatchTransfers,
    int clientInFlightMax,
    int baselineThreads,
    String postgresUrl,
    boolean audit) {

  public static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  /** @throws InvalidInputException when a setting is outside its range */
  public BenchOptions {
    check(accountCount >= 3 && accountCount <= 10_000_000, "accounts must be 3..10,000,000: " + accountCount);
    check(hotSharePercent >= 0 && hotSharePercent <= 100, "hot share must be 0..100 %: " + hotSharePercent);
    check(ledgerDuration != null && !ledgerDuration.isNegative() && !ledgerDuration.isZero(), "ledger duration must be positive");
    check(baselineDuration != null && !baselineDuration.isNegative() && !baselineDuration.isZero(), "baseline duration must be positive");
    check(ledgerTransfersMax >= 1, "ledger transfers max must be positive: " + ledgerTransfersMax);
    check(clientThreads >= 1 && clientThreads <= 256, "client threads must be 1..256: " + clientThreads);
    check(clientBatchTransfers >= 1 && clientBatchTransfers <= 8190, "client batch must be 1..8190: " + clientBatchTransfers);
    check(clientInFlightMax >= 1 && clientInFlightMax <= 1024, "in-flight submissions must be 1..1024: " + clientInFlightMax);
    check(baselineThreads >= 1 && baselineThreads <= 256, "baseline threads must be 1..256: " + baselineThreads);
  }

  public static BenchOptions defaults() {
    return new BenchOptions(10_000, 20, Duration.ofSeconds(15), 3_000_000, Duration.ofSeconds(10), 4, 500, 8, 4,
        DEFAULT_POSTGRES_URL, true);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new InvalidInputException("bench ledger: " + message);
    }
  }
}

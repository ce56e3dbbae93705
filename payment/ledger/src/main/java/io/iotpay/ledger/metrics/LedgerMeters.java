package io.iotpay.ledger.metrics;

import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.audit.AuditLog;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A party's ledger and audit log as Micrometer meters (docs/metrics.md): the adapter at the edge. */
public final class LedgerMeters {
  /** Histogram: ledger entries written per committed batch. */
  public static final String BATCH_ENTRIES = "iotpay.ledger.batch.entries";
  /** Timer with histogram buckets: the batch's database transaction, from write to commit. */
  public static final String COMMIT_LATENCY = "iotpay.ledger.commit.latency";
  /** Gauge: audit log leaves committed that no stored checkpoint covers yet. */
  public static final String CHECKPOINT_LAG = "iotpay.audit.checkpoint.lag.leaves";

  private LedgerMeters() {}

  /** Registers the ledger's meters in {@code registry} and has {@code ledger} report to them. */
  public static void register(MeterRegistry registry, Ledger ledger, AuditLog audit) {
    DistributionSummary entries = DistributionSummary.builder(BATCH_ENTRIES).description("ledger entries per committed batch")
        .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000).register(registry);
    // From a SQLite commit on a local disk (under a millisecond) to a slow remote PostgreSQL.
    Timer commits = Timer.builder(COMMIT_LATENCY).description("a ledger batch's database transaction")
        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofSeconds(1))
        .register(registry);
    Gauge.builder(CHECKPOINT_LAG, audit, log -> log.size() - log.checkpointedSize())
        .description("audit leaves no stored checkpoint covers yet").register(registry);
    ledger.metrics((count, commitNs) -> {
      entries.record(count);
      commits.record(commitNs, TimeUnit.NANOSECONDS);
    });
  }
}

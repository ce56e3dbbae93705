package io.iotpay.ledger;

/**
 * Where the ledger's writer reports each batch it commits (docs/metrics.md). {@link #NONE} until a
 * party calls {@link Ledger#metrics}; {@code io.iotpay.ledger.metrics.LedgerMeters} binds a ledger
 * and its audit log to a Micrometer registry.
 */
@FunctionalInterface
public interface LedgerMetrics {
  /** Reports nothing. */
  LedgerMetrics NONE = (entries, commitNs) -> {};

  /**
   * One batch committed.
   *
   * @param entries ledger entries the batch wrote
   * @param commitNs the database transaction's duration, nanoseconds
   */
  void batchCommitted(int entries, long commitNs);
}

package io.iotpay.ledger;

/**
 * Bounds of a ledger. Every field is checked when the record is built.
 *
 * @param batchTransfersMax most transfers the writer applies in one database transaction, and most a
 *     single submission may hold; default 8190 (TigerBeetle's batch size), bounded 1..65536 so a batch's
 *     rows and audit leaves stay a few megabytes
 * @param queueSubmissionsMax most submissions waiting for the writer; submitters block beyond it
 *     (back-pressure); default 4096, bounded 1..1,000,000
 * @param expiryPollMs how often an idle writer wakes to expire holds whose timeout passed; default
 *     100, bounded 1..60,000
 */
public record LedgerConfig(int batchTransfersMax, int queueSubmissionsMax, long expiryPollMs) {
  public static final int BATCH_TRANSFERS_MAX_BOUND = 65_536;
  public static final int QUEUE_SUBMISSIONS_MAX_BOUND = 1_000_000;
  public static final long EXPIRY_POLL_MS_BOUND = 60_000;

  /** @throws LedgerInputException when a field is outside its bound */
  public LedgerConfig {
    check(batchTransfersMax >= 1 && batchTransfersMax <= BATCH_TRANSFERS_MAX_BOUND,
        "batchTransfersMax", batchTransfersMax, BATCH_TRANSFERS_MAX_BOUND);
    check(queueSubmissionsMax >= 1 && queueSubmissionsMax <= QUEUE_SUBMISSIONS_MAX_BOUND,
        "queueSubmissionsMax", queueSubmissionsMax, QUEUE_SUBMISSIONS_MAX_BOUND);
    check(expiryPollMs >= 1 && expiryPollMs <= EXPIRY_POLL_MS_BOUND, "expiryPollMs", expiryPollMs, EXPIRY_POLL_MS_BOUND);
  }

  public static LedgerConfig defaults() {
    return new LedgerConfig(8190, 4096, 100);
  }

  public LedgerConfig withBatchTransfersMax(int value) {
    return new LedgerConfig(value, queueSubmissionsMax, expiryPollMs);
  }

  public LedgerConfig withExpiryPollMs(long value) {
    return new LedgerConfig(batchTransfersMax, queueSubmissionsMax, value);
  }

  private static void check(boolean ok, String name, long value, long bound) {
    if (!ok) {
      throw new LedgerInputException("ledger config " + name + "=" + value + " is outside 1.." + bound);
    }
  }
}

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
 * @param transferCacheMax most recent transfers kept in memory for idempotency look-ups (older ids are
 *     looked up on disk); default 262,144 (about 50 MB), at least {@code 2 * batchTransfersMax} so that a
 *     batch's own transfers are never evicted while it runs, at most 16,777,216
 * @param holdsOpenMax most holds (pending transfers) open at once, all kept in memory; a new pending
 *     transfer beyond it is refused with {@link TransferResult#HOLDS_OPEN_LIMIT_REACHED}; default
 *     1,048,576, bounded 1..16,777,216
 * @param snapshotEveryEntries entries between two balance snapshots (and so the longest tail start-up
 *     replays after a crash; a clean close always writes one); default 1,048,576, bounded 1..2^40
 */
public record LedgerConfig(int batchTransfersMax, int queueSubmissionsMax, long expiryPollMs, int transferCacheMax,
    int holdsOpenMax, long snapshotEveryEntries) {
  public static final int BATCH_TRANSFERS_MAX_BOUND = 65_536;
  public static final int QUEUE_SUBMISSIONS_MAX_BOUND = 1_000_000;
  public static final long EXPIRY_POLL_MS_BOUND = 60_000;
  public static final int TRANSFER_CACHE_MAX_BOUND = 1 << 24;
  public static final int HOLDS_OPEN_MAX_BOUND = 1 << 24;
  public static final long SNAPSHOT_EVERY_ENTRIES_BOUND = 1L << 40;

  public static final int TRANSFER_CACHE_MAX_DEFAULT = 1 << 18;
  public static final int HOLDS_OPEN_MAX_DEFAULT = 1 << 20;
  public static final long SNAPSHOT_EVERY_ENTRIES_DEFAULT = 1 << 20;

  /** @throws LedgerInputException when a field is outside its bound */
  public LedgerConfig {
    check(batchTransfersMax >= 1 && batchTransfersMax <= BATCH_TRANSFERS_MAX_BOUND,
        "batchTransfersMax", batchTransfersMax, 1, BATCH_TRANSFERS_MAX_BOUND);
    check(queueSubmissionsMax >= 1 && queueSubmissionsMax <= QUEUE_SUBMISSIONS_MAX_BOUND,
        "queueSubmissionsMax", queueSubmissionsMax, 1, QUEUE_SUBMISSIONS_MAX_BOUND);
    check(expiryPollMs >= 1 && expiryPollMs <= EXPIRY_POLL_MS_BOUND, "expiryPollMs", expiryPollMs, 1,
        EXPIRY_POLL_MS_BOUND);
    long cacheMin = 2L * batchTransfersMax;
    check(transferCacheMax >= cacheMin && transferCacheMax <= TRANSFER_CACHE_MAX_BOUND, "transferCacheMax",
        transferCacheMax, cacheMin, TRANSFER_CACHE_MAX_BOUND);
    check(holdsOpenMax >= 1 && holdsOpenMax <= HOLDS_OPEN_MAX_BOUND, "holdsOpenMax", holdsOpenMax, 1,
        HOLDS_OPEN_MAX_BOUND);
    check(snapshotEveryEntries >= 1 && snapshotEveryEntries <= SNAPSHOT_EVERY_ENTRIES_BOUND, "snapshotEveryEntries",
        snapshotEveryEntries, 1, SNAPSHOT_EVERY_ENTRIES_BOUND);
  }

  /** The first three bounds; the caches and snapshots at their defaults. */
  public LedgerConfig(int batchTransfersMax, int queueSubmissionsMax, long expiryPollMs) {
    this(batchTransfersMax, queueSubmissionsMax, expiryPollMs,
        Math.max(TRANSFER_CACHE_MAX_DEFAULT, 2 * Math.max(0, batchTransfersMax)), HOLDS_OPEN_MAX_DEFAULT,
        SNAPSHOT_EVERY_ENTRIES_DEFAULT);
  }

  public static LedgerConfig defaults() {
    return new LedgerConfig(8190, 4096, 100);
  }

  public LedgerConfig withBatchTransfersMax(int value) {
    return new LedgerConfig(value, queueSubmissionsMax, expiryPollMs,
        Math.max(transferCacheMax, 2 * Math.max(0, Math.min(value, BATCH_TRANSFERS_MAX_BOUND))), holdsOpenMax,
        snapshotEveryEntries);
  }

  public LedgerConfig withExpiryPollMs(long value) {
    return new LedgerConfig(batchTransfersMax, queueSubmissionsMax, value, transferCacheMax, holdsOpenMax,
        snapshotEveryEntries);
  }

  /** Also lowers batchTransfersMax to half of {@code value} when needed, so the pair stays valid. */
  public LedgerConfig withTransferCacheMax(int value) {
    return new LedgerConfig(Math.max(1, Math.min(batchTransfersMax, value / 2)), queueSubmissionsMax, expiryPollMs,
        value, holdsOpenMax, snapshotEveryEntries);
  }

  public LedgerConfig withHoldsOpenMax(int value) {
    return new LedgerConfig(batchTransfersMax, queueSubmissionsMax, expiryPollMs, transferCacheMax, value,
        snapshotEveryEntries);
  }

  public LedgerConfig withSnapshotEveryEntries(long value) {
    return new LedgerConfig(batchTransfersMax, queueSubmissionsMax, expiryPollMs, transferCacheMax, holdsOpenMax,
        value);
  }

  private static void check(boolean ok, String name, long value, long low, long bound) {
    if (!ok) {
      throw new LedgerInputException("ledger config " + name + "=" + value + " is outside " + low + ".." + bound);
    }
  }
}

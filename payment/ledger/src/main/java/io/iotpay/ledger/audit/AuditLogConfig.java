package io.iotpay.ledger.audit;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.security.KeyPair;
import java.time.Clock;

/**
 * How an {@link AuditLog} runs. Immutable; start from {@link #of} and change settings with the
 * {@code with…} methods. Bounds are checked here, at start-up.
 *
 * @param suite hash and signature of the log; fixed when the log is created
 * @param signingKey the suite's key pair; the private key signs checkpoints and is never stored
 * @param checkpointIntervalMs how often the checkpointer looks for new leaves and signs; default
 *     500, bound 10..1000 because the log promises a checkpoint at least every second under load
 * @param leavesMax most leaves the log holds; default 2^24 (16.7 M), bound
 *     {@link MerkleTree#LEAVES_MAX_LIMIT}: the in-memory tree costs up to 64 bytes per leaf (1 GiB
 *     at the default)
 * @param entryBytesMax longest entry accepted; default 65,536, bound 1..16 MiB: keeps rows and
 *     export lines bounded
 * @param clock source of checkpoint timestamps; default the system UTC clock
 * @param checkpointListener told about each stored checkpoint; default none
 */
public record AuditLogConfig(
    AlgorithmSuite suite,
    KeyPair signingKey,
    long checkpointIntervalMs,
    long leavesMax,
    int entryBytesMax,
    Clock clock,
    CheckpointListener checkpointListener) {
  public static final long CHECKPOINT_INTERVAL_MS_DEFAULT = 500;
  public static final long CHECKPOINT_INTERVAL_MS_MAX = 1000;
  public static final long LEAVES_MAX_DEFAULT = 1L << 24;
  public static final int ENTRY_BYTES_MAX_DEFAULT = 64 * 1024;
  public static final int ENTRY_BYTES_MAX_LIMIT = 16 * 1024 * 1024;

  public AuditLogConfig {
    Assert.notNull(suite, "suite");
    Assert.notNull(signingKey, "signingKey");
    Assert.notNull(clock, "clock");
    Assert.notNull(checkpointListener, "checkpointListener");
    Assert.that(checkpointIntervalMs >= 10 && checkpointIntervalMs <= CHECKPOINT_INTERVAL_MS_MAX,
        "checkpointIntervalMs {} outside 10..{}", checkpointIntervalMs, CHECKPOINT_INTERVAL_MS_MAX);
    Assert.that(leavesMax >= 1 && leavesMax <= MerkleTree.LEAVES_MAX_LIMIT, "leavesMax {} outside 1..{}", leavesMax, MerkleTree.LEAVES_MAX_LIMIT);
    Assert.that(entryBytesMax >= 1 && entryBytesMax <= ENTRY_BYTES_MAX_LIMIT, "entryBytesMax {} outside 1..{}", entryBytesMax, ENTRY_BYTES_MAX_LIMIT);
  }

  /** The defaults for a suite and its signing key pair. */
  public static AuditLogConfig of(AlgorithmSuite suite, KeyPair signingKey) {
    return new AuditLogConfig(suite, signingKey, CHECKPOINT_INTERVAL_MS_DEFAULT, LEAVES_MAX_DEFAULT, ENTRY_BYTES_MAX_DEFAULT, Clock.systemUTC(),
        CheckpointListener.none());
  }

  public AuditLogConfig withCheckpointIntervalMs(long value) {
    return new AuditLogConfig(suite, signingKey, value, leavesMax, entryBytesMax, clock, checkpointListener);
  }

  public AuditLogConfig withLeavesMax(long value) {
    return new AuditLogConfig(suite, signingKey, checkpointIntervalMs, value, entryBytesMax, clock, checkpointListener);
  }

  public AuditLogConfig withEntryBytesMax(int value) {
    return new AuditLogConfig(suite, signingKey, checkpointIntervalMs, leavesMax, value, clock, checkpointListener);
  }

  public AuditLogConfig withClock(Clock value) {
    return new AuditLogConfig(suite, signingKey, checkpointIntervalMs, leavesMax, entryBytesMax, value, checkpointListener);
  }

  public AuditLogConfig withCheckpointListener(CheckpointListener value) {
    return new AuditLogConfig(suite, signingKey, checkpointIntervalMs, leavesMax, entryBytesMax, clock, value);
  }

  @Override
  public String toString() {
    // The key pair stays out of logs and messages.
    return "AuditLogConfig[suite=" + suite + ", checkpointIntervalMs=" + checkpointIntervalMs + ", leavesMax=" + leavesMax
        + ", entryBytesMax=" + entryBytesMax + "]";
  }
}

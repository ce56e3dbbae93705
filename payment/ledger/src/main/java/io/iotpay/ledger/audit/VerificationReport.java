package io.iotpay.ledger.audit;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.Optional;

/**
 * What {@link AuditVerifier} found.
 *
 * @param suite the log's suite
 * @param leavesChecked leaves that passed every check before the first failure (all of them when none)
 * @param checkpointsChecked checkpoints whose signature and root were checked
 * @param signedTreeSize tree size of the last good checkpoint (0 when none)
 * @param trustedHeadsChecked heads held outside the log (a witness's) that matched the log
 * @param firstFailure the first entry that does not verify, or null when everything holds
 */
public record VerificationReport(
    AlgorithmSuite suite, long leavesChecked, long checkpointsChecked, long signedTreeSize, long trustedHeadsChecked,
    Failure firstFailure) {

  /** True when every leaf and every checkpoint verified. */
  public boolean verified() {
    return firstFailure == null;
  }

  public Optional<Failure> failure() {
    return Optional.ofNullable(firstFailure);
  }

  /** Leaves after the last checkpoint: recorded but not yet covered by a signature. */
  public long unsignedLeaves() {
    return leavesChecked - signedTreeSize;
  }

  /** The kinds of entry a failure can name. */
  public enum Subject {
    /** A leaf, by its 0-based leaf index. */
    LEAF,
    /** A checkpoint, by its number (1-based). */
    CHECKPOINT,
    /** The log as a whole (e.g. an export whose manifest disagrees with its files); number is -1. */
    LOG,
    /** The log against a head held outside it (a witness's cosigned checkpoint), by that head's tree size. */
    WITNESS
  }

  /**
   * The first entry that does not verify.
   *
   * @param subject what kind of entry
   * @param number leaf index or checkpoint number; -1 for {@link Subject#LOG}
   * @param reason what is wrong, for people
   */
  public record Failure(Subject subject, long number, String reason) {
    public static Failure leaf(long leafIndex, String reason) {
      return new Failure(Subject.LEAF, leafIndex, reason);
    }

    public static Failure checkpoint(long number, String reason) {
      return new Failure(Subject.CHECKPOINT, number, reason);
    }

    public static Failure log(String reason) {
      return new Failure(Subject.LOG, -1, reason);
    }

    public static Failure witness(long treeSize, String reason) {
      return new Failure(Subject.WITNESS, treeSize, reason);
    }

    /** "leaf 17: reason", "checkpoint 3: reason", "log: reason" or "witness: reason". */
    public String describe() {
      return switch (subject) {
        case LEAF -> "leaf " + number + ": " + reason;
        case CHECKPOINT -> "checkpoint " + number + ": " + reason;
        case LOG -> "log: " + reason;
        case WITNESS -> "witness: " + reason;
      };
    }
  }
}

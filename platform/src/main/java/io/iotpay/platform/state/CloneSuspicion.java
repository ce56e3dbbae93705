package io.iotpay.platform.state;

import io.iotpay.platform.identity.DeviceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A device's clone suspicion with its evidence and the operator's verdict: what
 * {@link DeviceStateRegistry} keeps (in the database when it has one) and shows the operator.
 *
 * @param deviceId never null
 * @param status never null
 * @param summary what was seen, when and from where, in one line (the text risk declines with); never blank
 * @param suspectedAt when the suspicion was raised; never null
 * @param evidence the conflicting observations, oldest first, at most the registry's
 *     {@code cloneEvidenceRowsMax}; never null
 * @param evidenceDropped conflicting observations seen while suspected but not kept, because the
 *     evidence was full; 0 or more. The database has it exactly as of the last verdict, else as of the
 *     last power of two it reached (a lower bound, at least half the count), so a flood is not a write
 *     per message
 * @param verdictAt when the operator cleared or confirmed it; null while {@link Status#SUSPECTED}
 * @param verdictReason the operator's reason, never blank with a verdict; null while {@link Status#SUSPECTED}
 * @param verdictAuditIndex the verdict's leaf in the audit log; null when the node records none
 */
public record CloneSuspicion(
    DeviceId deviceId,
    Status status,
    String summary,
    Instant suspectedAt,
    List<CloneEvidence> evidence,
    long evidenceDropped,
    Instant verdictAt,
    String verdictReason,
    Long verdictAuditIndex) {

  /** Where a suspicion stands. */
  public enum Status {
    /** Raised, no verdict yet: the device's payments are declined {@code CLONE_SUSPECTED}. */
    SUSPECTED,
    /** The operator found it a false alarm: payments are decided again. */
    CLEARED,
    /** The operator confirmed it: the device is revoked and the suspicion stays. */
    CONFIRMED
  }

  /** @throws StateInputException when a field is missing or out of range */
  public CloneSuspicion {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(suspectedAt, "suspectedAt");
    if (summary == null || summary.isBlank()) {
      throw new StateInputException("clone suspicion of " + deviceId + " without a summary");
    }
    evidence = List.copyOf(evidence);
    if (evidenceDropped < 0) {
      throw new StateInputException("clone suspicion of " + deviceId + ": evidenceDropped " + evidenceDropped + " is negative");
    }
    if ((status == Status.SUSPECTED) != (verdictAt == null)) {
      throw new StateInputException("clone suspicion of " + deviceId + ": a verdict time goes with a verdict, and only with one");
    }
    if (status != Status.SUSPECTED && (verdictReason == null || verdictReason.isBlank())) {
      throw new StateInputException("clone suspicion of " + deviceId + ": a verdict needs the operator's reason");
    }
  }

  /** Whether it holds the device's payments (suspected, or confirmed). */
  public boolean inForce() {
    return status != Status.CLEARED;
  }

  /** A new suspicion, its evidence cut to {@code rowsMax} (the rest counted as dropped). */
  static CloneSuspicion raised(DeviceId deviceId, String summary, Instant at, List<CloneEvidence> evidence, int rowsMax) {
    int kept = Math.min(evidence.size(), rowsMax);
    return new CloneSuspicion(deviceId, Status.SUSPECTED, summary, at, evidence.subList(0, kept), evidence.size() - kept,
        null, null, null);
  }

  /**
   * With the observations of {@code more} not already in the evidence added, up to {@code rowsMax}
   * rows (the rest counted as dropped); this very instance when nothing is new.
   */
  CloneSuspicion withMore(List<CloneEvidence> more, int rowsMax) {
    List<CloneEvidence> rows = new ArrayList<>(evidence);
    long dropped = evidenceDropped;
    for (CloneEvidence e : more) {
      if (rows.contains(e)) {
        continue;
      }
      if (rows.size() < rowsMax) {
        rows.add(e);
      } else {
        dropped++;
      }
    }
    if (rows.size() == evidence.size() && dropped == evidenceDropped) {
      return this;
    }
    return new CloneSuspicion(deviceId, status, summary, suspectedAt, rows, dropped, verdictAt, verdictReason, verdictAuditIndex);
  }

  /** The operator's verdict on it. */
  CloneSuspicion withVerdict(Status verdict, Instant at, String reason, Long auditIndex) {
    return new CloneSuspicion(deviceId, verdict, summary, suspectedAt, evidence, evidenceDropped, at, reason, auditIndex);
  }
}

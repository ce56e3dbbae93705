package io.iotpay.acquirer.pos.console;

import java.util.List;

/**
 * What the acquirer console's templates show: plain text, already formatted, so a template has no logic
 * beyond loops and conditions and no way to print an object that holds a secret (the owner's identity
 * number and the settlement account are only ever masked here). Public because the precompiled
 * templates live in a package of their own.
 */
public final class AcquirerViews {
  private AcquirerViews() {}

  /** One merchant in a list. Times are ISO-8601 UTC. */
  public record MerchantRow(String id, String legalName, String state, String mcc, String ownerIdMasked, String registeredAt) {}

  /**
   * The merchants page.
   *
   * @param query the id, name part or licence number searched for, or ""
   * @param state the state filter, or ""
   * @param nextAfter the id to continue after, or null on the last page
   */
  public record MerchantsView(List<MerchantRow> merchants, String query, String state, String nextAfter) {}

  /** One automatic check's finding. */
  public record FindingRow(String check, String verdict, String reason, String checkedAt) {}

  /** A merchant in the review queue with its findings. */
  public record ReviewRow(MerchantRow merchant, List<FindingRow> findings) {}

  /** The review queue: merchants IN_REVIEW in id order. @param nextAfter null on the last page */
  public record ReviewQueueView(List<ReviewRow> merchants, String nextAfter) {}

  /**
   * One state change and where it sits in the audit log.
   *
   * @param auditLeaf the audit log leaf's index, or "" when this process has no audit trail to check
   * @param audited whether that leaf is this change, byte for byte (its leaf hash)
   */
  public record HistoryRow(String at, String from, String to, String actor, String reason, String auditLeaf, boolean audited) {}

  /**
   * One merchant's page.
   *
   * @param actions the operator actions its state allows: approve and reject (IN_REVIEW), suspend
   *     (ACTIVATED), reactivate (SUSPENDED), or none
   */
  public record MerchantView(MerchantRow merchant, String licenceNumber, String address, String bankId, String accountMasked,
      String stateChangedAt, String stateReason, List<FindingRow> findings, List<HistoryRow> history, List<String> actions,
      int terminals) {}

  /** One verdict of terminal risk sensing. */
  public record RiskRow(String at, String stage, String outcome, String reason, String detail) {}

  /**
   * One terminal with its attestation and risk state.
   *
   * @param mayTransact "yes", or the refusal and why
   * @param attestationFailures attestation tokens refused or blocked, in all
   * @param risk the latest verdicts, newest first
   */
  public record TerminalRow(String id, String suite, String state, String stateReason, String enrolledAt, String stateChangedAt,
      String mayTransact, long attestationFailures, List<RiskRow> risk, List<HistoryRow> history, boolean blockable) {}

  /** A merchant's terminals. @param riskSensing whether terminal risk sensing runs in this process */
  public record TerminalsView(String merchantId, String legalName, List<TerminalRow> terminals, boolean riskSensing) {}
}

package io.iotpay.ledger.audit;

/**
 * The stored audit log does not verify: a leaf is missing or changed, or the latest checkpoint does
 * not match the leaves. Thrown at start-up, where running on would sign a history that was rewritten.
 */
public class AuditIntegrityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient VerificationReport.Failure failure;

  public AuditIntegrityException(VerificationReport.Failure failure) {
    super("audit log does not verify: " + failure.describe());
    this.failure = failure;
  }

  /** The first entry that does not verify; never null. */
  public VerificationReport.Failure failure() {
    return failure;
  }
}

package io.iotpay.platform.decision;

/**
 * The issuer's answer was lost (or its ledger did not commit), or the audit log could not record a
 * decision or a lifecycle step. Nothing is half done from the caller's view: every step sent to the
 * issuer uses request ids derived from the idempotency key, so calling
 * again with the same intent completes it without paying twice.
 */
public final class DecisionStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DecisionStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

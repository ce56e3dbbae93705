package io.iotpay.platform.decision;

/**
 * The ledger or the audit log could not record a decision or a lifecycle step. Nothing is half
 * done from the caller's view: every step uses ids derived from the idempotency key, so calling
 * again with the same intent completes it without paying twice.
 */
public final class DecisionStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DecisionStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

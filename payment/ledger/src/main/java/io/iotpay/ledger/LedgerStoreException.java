package io.iotpay.ledger;

/**
 * The store refused or lost a batch (I/O error, connection lost, constraint violated). The batch was
 * rolled back in the store and in memory, so none of its transfers happened; the caller may retry
 * with the same ids.
 */
public final class LedgerStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LedgerStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.iotpay.ledger;

/** The ledger was closed before this submission was applied; nothing of it happened. */
public final class LedgerClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public LedgerClosedException(String message) {
    super(message);
  }
}

package io.iotpay.ledger;

import io.iotpay.foundation.InvalidInputException;

/**
 * A ledger call was refused because its input was malformed (a missing field, a submission larger
 * than the ledger's bound, an out-of-range currency code). Nothing was changed. Refusals that depend
 * on the ledger's state (unknown account, limit exceeded, …) are {@link TransferResult}s instead.
 */
public final class LedgerInputException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public LedgerInputException(String message) {
    super(message);
  }
}

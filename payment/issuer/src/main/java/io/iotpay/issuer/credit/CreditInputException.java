package io.iotpay.issuer.credit;

import io.iotpay.foundation.InvalidInputException;

/** Wallet facts, a stored rating or a scoring setting was rejected; nothing was scored or stored. */
public final class CreditInputException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public CreditInputException(String message) {
    super(message);
  }
}

package io.iotpay.foundation.money;

import io.iotpay.foundation.InvalidInputException;

/** An amount that cannot be made: overflow, mixed currencies, unparseable text, unknown currency. */
public final class MoneyException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public MoneyException(String message) {
    super("money: " + message);
  }
}

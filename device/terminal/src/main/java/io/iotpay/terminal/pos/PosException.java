package io.iotpay.terminal.pos;

import io.iotpay.foundation.InvalidInputException;

/** Bad input to the POS kernel: a configuration out of bounds, an amount it cannot charge, card data it cannot use. */
public final class PosException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public PosException(String message) {
    super(message);
  }

  public PosException(String message, Throwable cause) {
    super(message, cause);
  }
}

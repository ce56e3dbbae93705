package io.iotpay.platform.mandate;

import io.iotpay.foundation.InvalidInputException;

/** A mandate, merchant or mandate operation was refused as bad input; the message says what and where. */
public final class MandateException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public MandateException(String message) {
    super(message);
  }
}

package io.iotpay.platform.decision;

import io.iotpay.foundation.InvalidInputException;

/** A payment intent, decision encoding or lifecycle request was refused; the message says what and where. */
public final class DecisionInputException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public DecisionInputException(String message) {
    super(message);
  }
}

package io.iotpay.platform.state;

import io.iotpay.foundation.InvalidInputException;

/** A device identifier, location or observation from outside was rejected; the message says which and why. */
public final class StateInputException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public StateInputException(String message) {
    super(message);
  }
}

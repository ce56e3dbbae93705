package io.iotpay.platform.state;

import io.iotpay.foundation.InvalidInputException;

/** A location, observation or state setting from outside was rejected; the message says which and why (a bad device id is a DeviceIdException). */
public final class StateInputException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public StateInputException(String message) {
    super(message);
  }
}

package io.iotpay.platform.identity;

import io.iotpay.foundation.InvalidInputException;

/** A device identifier from outside was rejected; the message says what was wrong and at which position. */
public final class DeviceIdException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /** @param message what was wrong and where; never null */
  public DeviceIdException(String message) {
    super(message);
  }
}

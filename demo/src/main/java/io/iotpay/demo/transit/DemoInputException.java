package io.iotpay.demo.transit;

import io.iotpay.foundation.InvalidInputException;

/** A transit demo setting out of its range; the message names the option and its bound. */
public final class DemoInputException extends InvalidInputException {
  public DemoInputException(String message) {
    super(message);
  }
}

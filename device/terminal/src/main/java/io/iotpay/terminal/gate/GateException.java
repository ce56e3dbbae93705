package io.iotpay.terminal.gate;

import io.iotpay.foundation.InvalidInputException;

/**
 * Bad input reaching the gate: a card response that does not parse, a malformed journal line, a
 * fare table or configuration that does not hold together. The message names what and where.
 */
public class GateException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public GateException(String message) {
    super(message);
  }

  public GateException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.iotpay.ledger.witness;

import io.iotpay.foundation.InvalidInputException;

/**
 * Witness input that was refused: a witness directory that is missing, not owner-only, or holds a
 * malformed file; a suite or key that does not fit. The message names the file and line.
 */
public class WitnessInputException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public WitnessInputException(String message) {
    super(message);
  }

  public WitnessInputException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.iotpay.foundation;

/**
 * Input from outside the process (a card, a terminal, a file, an operator) was rejected. The
 * message says what was wrong and where; nothing was changed by the rejected call.
 *
 * <p>Subclasses name the layer that rejected it (codec, crypto, ledger, …). Callers at the edge
 * (CLI, HTTP, device gateways) turn it into their wire error; the CLI exits with status 2.
 */
public class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}

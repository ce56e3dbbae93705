package io.iotpay.console;

/**
 * A console request refused with nothing changed: its message is shown to the operator on a page with
 * the status (400 bad input, 404 unknown, 409 not possible in the current state).
 */
public class ConsoleInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  /** A bad parameter: 400. */
  public ConsoleInputException(String message) {
    this(400, message);
  }

  /** @param status 400 bad input, 404 unknown, 409 not possible in the current state */
  public ConsoleInputException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status of the refusal page. */
  public int status() {
    return status;
  }
}

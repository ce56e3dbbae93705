package io.iotpay.foundation.card;

/**
 * The exchange with the card broke off: it left the field, or a command or response was lost on the
 * air. Whether the card executed the command is unknown; the caller must recover (for a gate:
 * GET TRANS PROVE at the next tap), never assume either way.
 */
public class CardGoneException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CardGoneException(String message) {
    super(message);
  }

  public CardGoneException(String message, Throwable cause) {
    super(message, cause);
  }
}

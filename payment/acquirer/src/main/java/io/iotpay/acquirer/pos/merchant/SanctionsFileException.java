package io.iotpay.acquirer.pos.merchant;

import io.iotpay.foundation.InvalidInputException;

/** The sanctions/deny list file is malformed or over a bound; the message names the line, never an entry. */
public final class SanctionsFileException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public SanctionsFileException(String message) {
    super(message);
  }
}

package io.iotpay.protocol.party;

import io.iotpay.foundation.InvalidInputException;

/** A party's data directory holds a file that is missing, malformed or unsafe; the message names the file and key. */
public final class PartyConfigException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public PartyConfigException(String message) {
    super(message);
  }

  public PartyConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}

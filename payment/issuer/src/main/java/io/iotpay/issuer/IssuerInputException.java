package io.iotpay.issuer;

import io.iotpay.foundation.InvalidInputException;

/** A request, script result or file the issuer cannot accept; the message says what and where. */
public class IssuerInputException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public IssuerInputException(String message) {
    super(message);
  }
}

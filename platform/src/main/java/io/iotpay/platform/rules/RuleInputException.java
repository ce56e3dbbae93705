package io.iotpay.platform.rules;

import io.iotpay.foundation.InvalidInputException;

/** A rule definition or a device event was rejected; the message names the rule or event and the field. */
public final class RuleInputException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public RuleInputException(String message) {
    super(message);
  }

  public RuleInputException(String message, Throwable cause) {
    super(message, cause);
  }
}

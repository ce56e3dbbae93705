package io.iotpay.protocol;

import io.iotpay.foundation.InvalidInputException;

/** A message, record or file between parties that breaks its format; the message names the field. */
public class ProtocolException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }

  /** As {@link #ProtocolException(String)}, keeping the lower-level {@code cause} (may be null). */
  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}

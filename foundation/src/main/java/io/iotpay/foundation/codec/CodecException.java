package io.iotpay.foundation.codec;

import io.iotpay.foundation.InvalidInputException;

/** Bytes or text that do not follow their format; the message names the offset or position. */
public class CodecException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public CodecException(String message) {
    super(message);
  }
}

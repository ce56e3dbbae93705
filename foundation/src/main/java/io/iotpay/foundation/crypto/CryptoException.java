package io.iotpay.foundation.crypto;

import io.iotpay.foundation.InvalidInputException;

/** A key, algorithm name, signature or cryptogram that was rejected; the message says which. */
public class CryptoException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public CryptoException(String message) {
    super(message);
  }

  public CryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.iotpay.foundation.crypto.oda;

import io.iotpay.foundation.crypto.CryptoException;

/**
 * ODA input rejected before any verification ran: a CA key whose checksum does not match, a
 * terminal value of the wrong length, an issuing request outside EMV's bounds. Card data that fails
 * a check is not an exception: {@link OdaVerifier} answers it with an {@link OdaResult.Refused}.
 */
public final class OdaException extends CryptoException {
  private static final long serialVersionUID = 1L;

  public OdaException(String message) {
    super(message);
  }

  public OdaException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.iotpay.foundation.crypto;

/** A certificate failed its check: signature chain, validity period or basic constraints. */
public final class CertificateCheckException extends CryptoException {
  private static final long serialVersionUID = 1L;

  public CertificateCheckException(String message) {
    super(message);
  }

  public CertificateCheckException(String message, Throwable cause) {
    super(message, cause);
  }
}

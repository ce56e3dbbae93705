package io.iotpay.platform.mandate;

/** The mandate table could not be read or written; the registry's memory was left unchanged, so the call may be retried. */
public final class MandateStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MandateStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.iotpay.switching;

/** The switch's database refused a read or write; nothing of the failed step was recorded. */
public final class SwitchStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SwitchStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

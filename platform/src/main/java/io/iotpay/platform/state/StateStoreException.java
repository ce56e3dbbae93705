package io.iotpay.platform.state;

/**
 * The clone suspicion table could not be written; the registry's memory was left unchanged, so the
 * call may be retried. The cause is the store's {@link java.sql.SQLException}.
 */
public final class StateStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StateStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.iotpay.platform.decision;

/**
 * The outcome of a hold, capture or release is unknown: the issuer did not answer, answered
 * unreadable bytes, or said it could not decide now. Nothing may be assumed either way; the same call
 * with the same request id completes it exactly once.
 */
public final class AuthoriserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was asked and what went wrong; never null
   * @param cause the lower-level failure; may be null
   */
  public AuthoriserException(String message, Throwable cause) {
    super(message, cause);
  }
}

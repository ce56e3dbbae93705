package io.iotpay.phone.pos;

/** The SDK cannot do what was asked (not enrolled, a secure element that refuses, a damaged file); nothing was paid. */
public final class SdkException extends RuntimeException {
  public SdkException(String message) {
    super(message);
  }

  public SdkException(String message, Throwable cause) {
    super(message, cause);
  }
}

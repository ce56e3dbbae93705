package io.iotpay.switching.online;

/** The online switch's database failed (the statement that failed is named; no card data). */
public final class OnlineStoreException extends RuntimeException {
  OnlineStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

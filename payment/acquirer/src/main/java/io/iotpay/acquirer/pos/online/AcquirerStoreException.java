package io.iotpay.acquirer.pos.online;

/** The acquirer host's database failed; what was being done is in the message (never a PAN). */
public final class AcquirerStoreException extends RuntimeException {
  AcquirerStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

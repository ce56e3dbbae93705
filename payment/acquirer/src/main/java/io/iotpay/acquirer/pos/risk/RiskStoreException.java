package io.iotpay.acquirer.pos.risk;

/** The risk store failed; what was being done is in the message. The caller refuses (fail closed). */
public final class RiskStoreException extends RuntimeException {
  RiskStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

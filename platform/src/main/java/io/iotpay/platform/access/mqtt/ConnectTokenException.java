package io.iotpay.platform.access.mqtt;

import io.iotpay.foundation.InvalidInputException;

/** A device's MQTT CONNECT was refused; {@link #reason()} says why. Nothing was changed. */
public final class ConnectTokenException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /** Why a connect was refused. */
  public enum Reason {
    /** The client id is not a well-formed device id (CONNACK 0x85, the only reason that gets it). */
    BAD_CLIENT_ID,
    /** The CONNECT has no password (no connect token). */
    NO_TOKEN,
    /** The token is not a well-formed connect token (binary or text form). */
    MALFORMED,
    /** The token is longer than {@link ConnectToken#TOKEN_BYTES_MAX}. */
    OVERSIZED,
    /** The token names another device than the client id. */
    WRONG_DEVICE,
    UNKNOWN_DEVICE,
    DEVICE_SUSPENDED,
    DEVICE_REVOKED,
    /** Signed with the other suite's algorithm than the device's registered one. */
    SUITE_MISMATCH,
    BAD_SIGNATURE,
    /** The issued-at time is further from the broker's clock than the allowed skew. */
    EXPIRED,
    /** The token is not newer than the last one this broker accepted for the device (a replay). */
    REPLAYED,
    /** TLS client certificate refused by the identity service. */
    CERTIFICATE_REFUSED
  }

  private final Reason reason;

  public ConnectTokenException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public ConnectTokenException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  /** Never null. */
  public Reason reason() {
    return reason;
  }
}

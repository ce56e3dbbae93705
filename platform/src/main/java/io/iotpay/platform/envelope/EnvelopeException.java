package io.iotpay.platform.envelope;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.protocol.cose.CoseException;

/**
 * A device message was refused. {@link #reason()} is the machine-readable cause (recorded with the
 * decision and mapped to the transport's reason code); the message says what was wrong and where.
 * Nothing was paid and the device's counter did not move.
 */
public final class EnvelopeException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /** Why a message was refused. */
  public enum Reason {
    /** Not a well-formed envelope: bad CBOR, wrong structure, missing or wrong-typed field. */
    MALFORMED,
    /** Larger than the configured bound. */
    OVERSIZED,
    /** The device id is not registered. */
    UNKNOWN_DEVICE,
    /** The device is suspended. */
    DEVICE_SUSPENDED,
    /** The device (its certificate) is revoked. */
    DEVICE_REVOKED,
    /** The message's algorithm is not that of the device's registered suite. */
    SUITE_MISMATCH,
    /** The signature does not verify under the registered device key. */
    BAD_SIGNATURE,
    /** The counter is not greater than the last accepted one and the message is not its exact duplicate. */
    REPLAYED_COUNTER,
    /** An exact duplicate of a message still being processed (no answer to repeat yet). */
    DUPLICATE_IN_PROGRESS,
    /** An encrypted payload could not be decrypted (wrong key or tampered ciphertext). */
    DECRYPTION_FAILED,
    /** The payload is encrypted but no payload key is known for the device. */
    NO_PAYLOAD_KEY,
    /** Signed by another device than the one the transport channel (topic, URI, certificate) belongs to. */
    CHANNEL_MISMATCH
  }

  private final Reason reason;

  public EnvelopeException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public EnvelopeException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  /**
   * The codec's refusal as this layer's: same reason name, same message; the codec's exception is
   * kept as the cause.
   */
  static EnvelopeException of(CoseException refused) {
    // Every codec reason has a same-named envelope reason; EnvelopeExceptionTest checks all of them.
    return new EnvelopeException(Reason.valueOf(refused.reason().name()), refused.detail(), refused);
  }

  /** Never null. */
  public Reason reason() {
    return reason;
  }
}

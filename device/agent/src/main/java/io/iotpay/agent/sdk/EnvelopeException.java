package io.iotpay.agent.sdk;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.protocol.cose.CoseException;

/**
 * The SDK refused something it received (a platform answer) or was asked to send. {@link #reason()}
 * is machine-readable; the message says what and where. A refused answer must not be acted on: the
 * device retries the same sealed message (same counter), which the platform answers idempotently.
 */
public final class EnvelopeException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    /** Not a well-formed COSE_Sign1 / COSE_Encrypt0 as docs/envelope.md defines it. */
    MALFORMED,
    /** Larger than the SDK's bound. */
    OVERSIZED,
    /** The answer's algorithm is not the device's suite's. */
    SUITE_MISMATCH,
    /** The signature does not verify under the platform's trusted answer key. */
    BAD_SIGNATURE,
    /** A valid answer, but not to the message the device is waiting for (other counter or key id). */
    NOT_THE_ANSWER,
    /** An encrypted payload whose tag does not verify. */
    DECRYPTION_FAILED,
    /** Encryption was asked for (or received) but the device has no payload key. */
    NO_PAYLOAD_KEY
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

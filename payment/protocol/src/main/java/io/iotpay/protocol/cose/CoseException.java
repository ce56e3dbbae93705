package io.iotpay.protocol.cose;

import io.iotpay.protocol.ProtocolException;

/**
 * A COSE/CBOR structure was refused by the codec. {@link #reason()} is the machine-readable cause;
 * {@link #detail()} says what was wrong and where (offsets into the input). The message is
 * {@code "<REASON>: <detail>"}.
 *
 * <p>Callers that speak a richer refusal vocabulary (the platform's envelope service, the device
 * SDK) translate the reason one to one and keep the detail, so their messages stay the same.
 */
public final class CoseException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Why the codec refused its input. */
  public enum Reason {
    /** Not a well-formed COSE_Sign1 / COSE_Encrypt0: bad CBOR, wrong structure, missing or wrong-typed field. */
    MALFORMED,
    /** A COSE_Encrypt0 names another suite's content algorithm. */
    SUITE_MISMATCH,
    /** A raw signature has the wrong length or r/s out of range (it cannot verify). */
    BAD_SIGNATURE,
    /** The AEAD tag does not verify (wrong key or tampered ciphertext). */
    DECRYPTION_FAILED,
    /** The payload key is missing or not {@value PayloadCipher#KEY_BYTES} bytes. */
    NO_PAYLOAD_KEY
  }

  private final Reason reason;
  private final String detail;

  /**
   * @param reason never null
   * @param detail what was wrong and where; never null
   */
  public CoseException(Reason reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
    this.detail = detail;
  }

  /**
   * @param reason never null
   * @param detail what was wrong and where; never null
   * @param cause the lower-level failure; may be null
   */
  public CoseException(Reason reason, String detail, Throwable cause) {
    super(reason + ": " + detail, cause);
    this.reason = reason;
    this.detail = detail;
  }

  /** The machine-readable cause; never null. */
  public Reason reason() {
    return reason;
  }

  /** The message without the reason prefix; never null. */
  public String detail() {
    return detail;
  }
}

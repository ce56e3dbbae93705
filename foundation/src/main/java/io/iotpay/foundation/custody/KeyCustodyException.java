package io.iotpay.foundation.custody;

import io.iotpay.foundation.crypto.CryptoException;

/**
 * A custody refused an operation; {@link #reason()} says why, the message says what (never key
 * bytes, PINs or PANs). Nothing was changed by the refused call.
 */
public final class KeyCustodyException extends CryptoException {
  private static final long serialVersionUID = 1L;

  /** Why an operation was refused. */
  public enum Reason {
    /** No key with that label and version (or its suite or usage differ from the ref's). */
    UNKNOWN_KEY,
    /** The key's usage does not permit the operation. */
    WRONG_USAGE,
    /** The key version was retired. */
    RETIRED,
    /** The operation makes new protection and the ref is not the label's current version. */
    NOT_CURRENT,
    /** The store does not open under this master key. */
    WRONG_MASTER_KEY,
    /** The store file failed its authentication tag or its format checks. */
    TAMPERED,
    /** The store's directory or file is readable by others than its owner. */
    BAD_PERMISSIONS,
    /** The implementation (e.g. a token without the mechanism) cannot perform the operation. */
    UNSUPPORTED,
    /** An argument is malformed (length, range, label). */
    BAD_INPUT,
    /** A limit was reached (keys per store). */
    LIMIT,
    /** The store or token could not be read or written. */
    IO
  }

  private final Reason reason;

  public KeyCustodyException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public KeyCustodyException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

package io.iotpay.platform.identity;

import io.iotpay.foundation.InvalidInputException;

/** A device identity operation was refused; {@link #reason()} says why in machine-readable form. */
public final class IdentityException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    /** An identifier, CSR or certificate that cannot be parsed or has a wrong shape. */
    MALFORMED,
    /** The CSR's signature does not verify under the key it carries, or uses another suite's algorithm. */
    CSR_INVALID,
    /** The device id is already registered. */
    ALREADY_REGISTERED,
    /** No device with this id, and no JIT path applies. */
    UNKNOWN_DEVICE,
    /** The certificate's issuer is not a registered manufacturer CA of the suite. */
    UNREGISTERED_MANUFACTURER,
    /** The certificate fails its chain, validity or algorithm check. */
    CERTIFICATE_INVALID,
    /** The presented certificate is not the one registered for the device. */
    CERTIFICATE_MISMATCH,
    /** The device is suspended. */
    SUSPENDED,
    /** The device is revoked (final). */
    REVOKED,
    /** A status change the device's current status does not allow (e.g. resume a revoked device). */
    ILLEGAL_TRANSITION
  }

  private final Reason reason;

  public IdentityException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public IdentityException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  /** Never null. */
  public Reason reason() {
    return reason;
  }
}

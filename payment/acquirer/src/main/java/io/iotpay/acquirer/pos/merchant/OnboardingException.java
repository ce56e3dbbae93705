package io.iotpay.acquirer.pos.merchant;

import io.iotpay.foundation.InvalidInputException;

/**
 * A request the onboarding service refuses; nothing was changed. The {@link Reason} is the stable
 * code edges (HTTP, CLI) put on the wire; the message names the field or state, never an owner's
 * identity number or a settlement account number.
 */
public final class OnboardingException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /** Why a request was refused. */
  public enum Reason {
    /** A field is missing, too long, of the wrong form, or holds control or bidi-override characters. */
    INVALID_FIELD,
    /** No merchant with this id. */
    UNKNOWN_MERCHANT,
    /** No terminal with this id. */
    UNKNOWN_TERMINAL,
    /** The merchant's or terminal's current state does not allow the change asked for. */
    ILLEGAL_TRANSITION,
    /** A registration request id used before with different content. */
    REQUEST_ID_REUSED,
    /** Terminals are enrolled only for an activated merchant. */
    MERCHANT_NOT_ACTIVE,
    /** The merchant has {@link OnboardingConfig#terminalsPerMerchantMax()} terminals already. */
    TERMINAL_LIMIT,
    /** The CSR is not PKCS#10 DER, is signed with another suite's algorithm or does not verify. */
    CSR_INVALID
  }

  private final Reason reason;

  public OnboardingException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public OnboardingException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Never null. */
  public Reason reason() {
    return reason;
  }
}

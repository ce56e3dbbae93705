package io.iotpay.platform.mandate;

/** The outcome of checking a payment against the device's mandate. */
public sealed interface MandateCheck {
  /**
   * The mandate covers the payment.
   *
   * @param confirmationRequired whether the amount is above the user's confirmation threshold
   */
  record Covered(Mandate mandate, Merchant merchant, boolean confirmationRequired) implements MandateCheck {}

  /**
   * It does not.
   *
   * @param mandate the device's mandate, or null when it has none
   * @param detail what exactly, for people (never a secret)
   */
  record Refused(Mandate mandate, MandateRefusal reason, String detail) implements MandateCheck {}
}

package io.iotpay.platform.rules;

/** Who confirms a rule's payments. */
public enum ConfirmationPolicy {
  /** The user confirms in their app above the mandate's confirmation threshold. */
  MANDATE_THRESHOLD,
  /** The user confirms on the device (the event's confirmation field is {@code true}); otherwise in the app above the threshold. */
  DEVICE_CONFIRMED,
  /** The user confirms every payment in their app. */
  USER_ALWAYS
}

package io.iotpay.platform.mandate;

/** A mandate's life: ACTIVE ⇄ SUSPENDED, either → REVOKED (final). None touches the payment account. */
public enum MandateStatus {
  ACTIVE,
  SUSPENDED,
  REVOKED
}

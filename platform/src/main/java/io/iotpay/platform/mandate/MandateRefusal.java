package io.iotpay.platform.mandate;

/** Why a mandate does not cover a payment; the code is what the decision records. */
public enum MandateRefusal {
  NO_MANDATE,
  MANDATE_SUSPENDED,
  MANDATE_REVOKED,
  UNKNOWN_MERCHANT,
  MERCHANT_NOT_ALLOWED,
  CURRENCY_MISMATCH,
  AMOUNT_NOT_POSITIVE,
  OVER_PER_PAYMENT_LIMIT,
  OVER_DAILY_LIMIT,
  OVER_MONTHLY_LIMIT
}

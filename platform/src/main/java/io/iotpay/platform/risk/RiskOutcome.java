package io.iotpay.platform.risk;

/** What risk says about a payment; ordered from mildest to strictest. */
public enum RiskOutcome {
  APPROVE,
  ASK_USER,
  DECLINE;

  /** The stricter of the two. */
  public RiskOutcome max(RiskOutcome other) {
    return compareTo(other) >= 0 ? this : other;
  }
}

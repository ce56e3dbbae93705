package io.iotpay.platform.risk;

/**
 * The risk signals and the outcome each forces: one table, reviewed in one place. A payment's
 * outcome is the strictest outcome among the signals that fired.
 */
public enum RiskSignal {
  /** The platform has never heard from the device: nothing to base trust on. */
  DEVICE_UNKNOWN(RiskOutcome.DECLINE),
  /** Offline past {@code offlineTooLongMs}: the request may come from a stolen or stale device. */
  OFFLINE_TOO_LONG(RiskOutcome.ASK_USER),
  /** The device reported tampering: its chip's answers cannot be trusted. */
  TAMPERED(RiskOutcome.DECLINE),
  /** The device is farther from the merchant's place than {@code merchantDistanceMetresMax}. */
  FAR_FROM_MERCHANT(RiskOutcome.ASK_USER),
  /** The merchant has a place but the device never reported its position. */
  LOCATION_UNKNOWN(RiskOutcome.ASK_USER),
  /** More approved payments in the velocity window than {@code velocityCountMax}. */
  VELOCITY_COUNT(RiskOutcome.ASK_USER),
  /** More approved money in the velocity window than {@code velocityAmountMinorMax}. */
  VELOCITY_AMOUNT(RiskOutcome.ASK_USER),
  /** The payment's counter is below one of a payment already decided for the device: a replay or a clone. */
  COUNTER_REGRESSION(RiskOutcome.DECLINE),
  /** Two devices appear to share one identity (interleaved sessions or counters, impossible travel). */
  CLONE_SUSPECTED(RiskOutcome.DECLINE);

  private final RiskOutcome outcome;

  RiskSignal(RiskOutcome outcome) {
    this.outcome = outcome;
  }

  public RiskOutcome outcome() {
    return outcome;
  }
}

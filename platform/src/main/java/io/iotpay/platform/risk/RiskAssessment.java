package io.iotpay.platform.risk;

import java.util.List;

/**
 * Risk's answer for one payment.
 *
 * @param outcome the strictest outcome among {@code reasons}; APPROVE when there are none
 * @param reasons every signal that fired, in {@link RiskSignal} order; never null
 */
public record RiskAssessment(RiskOutcome outcome, List<RiskReason> reasons) {
  public RiskAssessment {
    reasons = List.copyOf(reasons);
  }

  /** Whether this signal fired. */
  public boolean has(RiskSignal signal) {
    return reasons.stream().anyMatch(r -> r.signal() == signal);
  }
}

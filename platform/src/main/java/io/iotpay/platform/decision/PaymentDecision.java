package io.iotpay.platform.decision;

import io.iotpay.foundation.money.Money;
import java.time.Instant;
import java.util.List;

/**
 * A recorded decision. The first decision for a key has version 0; when it was {@link DecisionOutcome#ASK_USER},
 * the user's answer is recorded as version 1 (approved or declined). Both are audit leaves.
 *
 * @param key never null
 * @param version 0 or 1
 * @param intent the intent decided, never null
 * @param outcome never null
 * @param reasons every reason, never null (empty for a plain approval)
 * @param mandateId the mandate it was checked against, or null when the device had none
 * @param holdTransferId the ledger hold's transfer id when approved, else 0
 * @param decidedAt business time, never null
 * @param auditIndex the audit leaf holding {@link DecisionCodec#encode this decision}; not part of the encoding
 */
public record PaymentDecision(
    IdempotencyKey key, int version, PaymentIntent intent, DecisionOutcome outcome, List<DecisionReason> reasons,
    String mandateId, long holdTransferId, Instant decidedAt, long auditIndex) {
  public PaymentDecision {
    reasons = List.copyOf(reasons);
  }

  public Money amount() {
    return intent.amount();
  }

  /** Whether a reason with this code was recorded. */
  public boolean hasReason(String code) {
    return reasons.stream().anyMatch(r -> r.code().equals(code));
  }

  PaymentDecision withAuditIndex(long index) {
    return new PaymentDecision(key, version, intent, outcome, reasons, mandateId, holdTransferId, decidedAt, index);
  }
}

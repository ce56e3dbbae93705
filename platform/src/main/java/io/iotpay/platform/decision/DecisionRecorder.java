package io.iotpay.platform.decision;

import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.platform.mandate.MandateCheck;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Makes decisions durable: each decision's audit leaf ({@link DecisionCodec}), its row and (for an
 * approval) the payment row in one transaction, many decisions in one; a payment's new state on
 * capture or void. Failures become {@link DecisionStoreException} ("retry"), and nothing of the
 * transaction stays.
 */
final class DecisionRecorder {
  private final DecisionStore store;
  private final AuditLog auditLog;

  /** Migrates the platform's tables ({@code db/platform}) on {@code database}, the store the audit log was opened on. */
  DecisionRecorder(Database database, AuditLog auditLog) {
    this.store = new DecisionStore(Objects.requireNonNull(database, "database"));
    this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
  }

  DecisionStore store() {
    return store;
  }

  /** The payment row an approval opens (HELD); null for any other outcome. */
  static Payment paymentOf(PaymentDecision decision, MandateCheck check) {
    if (decision.outcome() != DecisionOutcome.APPROVED) {
      return null;
    }
    MandateCheck.Covered covered = (MandateCheck.Covered) check;
    return new Payment(decision.key(), decision.holdTransferId(), covered.mandate().accountId(),
        covered.merchant().settlementAccountId(), decision.amount(), PaymentState.HELD);
  }

  /** The audit leaf, the decision row and the payment row (if any) in one transaction; returns the leaf index. */
  long store(PaymentDecision decision, Payment payment) {
    List<Payment> payments = new ArrayList<>(1);
    payments.add(payment);
    return storeAll(List.of(decision), payments);
  }

  /** Every leaf and row of a batch in one transaction; returns the first leaf's index (the rest follow in order). */
  long storeAll(List<PaymentDecision> batch, List<Payment> batchPayments) {
    List<byte[]> entries = new ArrayList<>(batch.size());
    for (PaymentDecision decision : batch) {
      entries.add(DecisionCodec.encode(decision));
    }
    try (Connection tx = store.database().connection()) {
      tx.setAutoCommit(false);
      try {
        long first = auditLog.append(tx, entries);
        DecisionStore.insertAll(tx, batch, first, entries, batchPayments);
        tx.commit();
        auditLog.committed();
        return first;
      } catch (SQLException | RuntimeException e) {
        tx.rollback();
        auditLog.rolledBack();
        throw e;
      } finally {
        tx.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new DecisionStoreException("cannot record a batch of " + batch.size() + " decisions", e);
    }
  }

  /** A captured, voided or expired payment's new state. */
  void storeState(Payment closed) {
    try {
      store.updatePaymentState(closed);
    } catch (SQLException e) {
      throw new DecisionStoreException("cannot store " + closed.state() + " of payment " + closed.key() + "; retry", e);
    }
  }
}

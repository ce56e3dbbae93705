package io.iotpay.platform.decision;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.TreeHasher;
import io.iotpay.platform.mandate.MandateId;
import io.iotpay.platform.mandate.MandateRegistry;
import io.iotpay.platform.risk.RiskEngine;
import java.security.MessageDigest;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the stored decisions and payments back into a {@link DecisionBook} on start, checking every
 * decision row against the audit leaf it claims, so a restart keeps "same key, same decision". Mandate
 * usage and velocity are not stored: they are counted again from the approved payments that still count.
 */
final class DecisionReload {
  private static final Logger LOG = LoggerFactory.getLogger(DecisionReload.class);

  private DecisionReload() {}

  /**
   * @throws DecisionStoreException when the stored decisions cannot be read
   * @throws AssertionError when a stored decision is not the audit leaf it claims (a corrupt store)
   */
  static void into(DecisionBook book, DecisionStore store, AuditLog auditLog, BusinessClock clock, MandateRegistry mandates,
      RiskEngine risk) {
    TreeHasher hasher = TreeHasher.of(auditLog.suite());
    try {
      for (DecisionStore.StoredDecision row : store.decisions()) {
        Assert.that(row.auditIndex() < auditLog.size()
            && MessageDigest.isEqual(hasher.leafHash(row.entry()), auditLog.leafHash(row.auditIndex())),
            "stored decision at audit index {} is not that audit leaf", row.auditIndex());
        PaymentDecision decision = DecisionCodec.decode(row.entry(), row.auditIndex());
        Assert.that(book.versions(decision.key()).size() == decision.version(), "decision {} version {} stored out of order",
            decision.key(), decision.version());
        book.reloaded(decision);
        risk.recordDecided(decision.intent().deviceId(), decision.key().counter());
      }
      for (Payment payment : store.payments()) {
        book.reloaded(payment);
        if (payment.state() == PaymentState.HELD || payment.state() == PaymentState.CAPTURED) {
          countAgain(book, payment, clock, mandates, risk);
        }
      }
    } catch (SQLException e) {
      throw new DecisionStoreException("cannot read the stored decisions", e);
    }
    LOG.info("Payment decisions reloaded [keys={}, payments={}]", book.keys(), book.payments());
  }

  private static void countAgain(DecisionBook book, Payment payment, BusinessClock clock, MandateRegistry mandates, RiskEngine risk) {
    PaymentDecision approval = book.latest(payment.key());
    Assert.that(approval.outcome() == DecisionOutcome.APPROVED, "payment {} stored without an approval", payment.key());
    MandateId mandateId = new MandateId(approval.mandateId());
    if (mandates.find(mandateId).isPresent()) {
      mandates.recordUsage(mandateId, payment.key().text(), payment.amount(), clock.rule().businessDateOf(approval.decidedAt()));
    }
    risk.recordApproved(payment.key().deviceId(), payment.key().text(), payment.amount().amountMinor(), approval.decidedAt());
  }
}

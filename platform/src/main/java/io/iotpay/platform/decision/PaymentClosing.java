package io.iotpay.platform.decision;

import io.iotpay.foundation.Assert;
import io.iotpay.platform.mandate.MandateRegistry;
import io.iotpay.platform.risk.RiskEngine;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes approved payments: captures the hold when the goods or service were delivered, releases it
 * (and the mandate usage and velocity it counted) when they were not. Idempotent: a closed payment is
 * returned as it is.
 */
final class PaymentClosing {
  private static final Logger LOG = LoggerFactory.getLogger(PaymentClosing.class);

  private final DecisionBook book;
  private final IssuerHolds holds;
  private final DecisionRecorder recorder;
  private final MandateRegistry mandates;
  private final RiskEngine risk;

  PaymentClosing(DecisionBook book, IssuerHolds holds, DecisionRecorder recorder, MandateRegistry mandates, RiskEngine risk) {
    this.book = Objects.requireNonNull(book, "book");
    this.holds = Objects.requireNonNull(holds, "holds");
    this.recorder = Objects.requireNonNull(recorder, "recorder");
    this.mandates = Objects.requireNonNull(mandates, "mandates");
    this.risk = Objects.requireNonNull(risk, "risk");
  }

  /** @see PaymentDecisionService#capture */
  Payment capture(IdempotencyKey key) {
    synchronized (book) {
      Payment payment = requirePayment(key);
      return switch (payment.state()) {
        case CAPTURED, EXPIRED -> payment;
        case VOIDED -> throw new DecisionInputException("payment " + key + " was voided and cannot be captured");
        case HELD -> close(payment, holds.capture(payment), PaymentState.CAPTURED);
      };
    }
  }

  /** @see PaymentDecisionService#voidPayment */
  Payment voidPayment(IdempotencyKey key) {
    synchronized (book) {
      Payment payment = requirePayment(key);
      return switch (payment.state()) {
        case VOIDED, EXPIRED -> payment;
        case CAPTURED -> throw new DecisionInputException("payment " + key + " was captured and cannot be voided");
        case HELD -> close(payment, holds.release(payment), PaymentState.VOIDED);
      };
    }
  }

  private Payment close(Payment payment, AuthoriserResult result, PaymentState target) {
    PaymentState state = switch (result.status()) {
      case APPROVED -> target;
      case HOLD_EXPIRED -> PaymentState.EXPIRED;
      // Any other refusal means the platform's payment record and the issuer's book disagree: a bug, not bad input.
      case INSUFFICIENT_FUNDS, UNKNOWN_ACCOUNT, UNKNOWN_HOLD, HOLD_CLOSED, ALREADY_DONE_DIFFERENTLY, REFUSED ->
          throw Assert.unreachable("issuer refused {} of payment {}: {} {}", target, payment.key(), result.status(), result.detail());
    };
    Payment closed = payment.withState(state);
    recorder.storeState(closed);
    if (state != PaymentState.CAPTURED) {
      mandates.releaseUsage(payment.key().text());
      risk.releaseApproved(payment.key().deviceId(), payment.key().text());
    }
    LOG.info("Payment closed [key={}, state={}, amountMinor={}]", payment.key(), state, payment.amount().amountMinor());
    book.closed(closed);
    return closed;
  }

  private Payment requirePayment(IdempotencyKey key) {
    return book.payment(key).orElseThrow(() -> new DecisionInputException("no approved payment " + key));
  }
}

package io.iotpay.platform.decision;

import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.platform.mandate.MandateCheck;
import io.iotpay.platform.mandate.MandateRegistry;
import io.iotpay.platform.mandate.Merchant;
import io.iotpay.platform.mandate.MerchantDirectory;
import io.iotpay.platform.risk.RiskAssessment;
import io.iotpay.platform.risk.RiskEngine;
import io.iotpay.platform.risk.RiskOutcome;
import io.iotpay.platform.risk.RiskReason;
import io.iotpay.platform.risk.RiskRequest;
import io.iotpay.platform.state.GeoPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Judges a payment intent on the device's mandate and its risk, before any money moves: APPROVED here
 * means "hold, then approve". Also turns the issuer's answer to a hold into the final outcome. Reads the
 * mandates and risk, changes nothing.
 */
final class DecisionJudge {
  /** The judged decision and the mandate check it rests on (the hold's accounts come from it). */
  record Judged(PaymentDecision decision, MandateCheck check) {}

  private final BusinessClock clock;
  private final MandateRegistry mandates;
  private final MerchantDirectory merchants;
  private final RiskEngine risk;

  DecisionJudge(BusinessClock clock, MandateRegistry mandates, MerchantDirectory merchants, RiskEngine risk) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.mandates = Objects.requireNonNull(mandates, "mandates");
    this.merchants = Objects.requireNonNull(merchants, "merchants");
    this.risk = Objects.requireNonNull(risk, "risk");
  }

  Judged judge(PaymentIntent intent) {
    MandateCheck check = mandates.check(intent.deviceId(), intent.merchantId(), intent.amount());
    GeoPoint merchantPlace = merchants.find(intent.merchantId()).map(Merchant::location).orElse(null);
    RiskAssessment assessment = risk.assess(new RiskRequest(intent.deviceId(), intent.key().counter(), intent.amount(), merchantPlace));
    return new Judged(judge(intent, check, assessment), check);
  }

  private PaymentDecision judge(PaymentIntent intent, MandateCheck check, RiskAssessment assessment) {
    List<DecisionReason> reasons = new ArrayList<>();
    String mandateId = null;
    boolean covered = false;
    boolean askUser = assessment.outcome() == RiskOutcome.ASK_USER;
    switch (check) {
      case MandateCheck.Refused refused -> {
        mandateId = refused.mandate() == null ? null : refused.mandate().id().value();
        reasons.add(new DecisionReason(refused.reason().name(), refused.detail()));
      }
      case MandateCheck.Covered ok -> {
        mandateId = ok.mandate().id().value();
        covered = true;
        askUser |= confirmationReasons(intent, ok, reasons);
      }
    }
    for (RiskReason reason : assessment.reasons()) {
      reasons.add(new DecisionReason(reason.signal().name(), reason.detail()));
    }
    DecisionOutcome outcome = !covered || assessment.outcome() == RiskOutcome.DECLINE
        ? DecisionOutcome.DECLINED
        : askUser ? DecisionOutcome.ASK_USER : DecisionOutcome.APPROVED;
    return new PaymentDecision(intent.key(), 0, intent, outcome, reasons, mandateId, 0, clock.now(), -1);
  }

  /** Adds the confirmation reasons; true when the user must confirm in their app. */
  private static boolean confirmationReasons(PaymentIntent intent, MandateCheck.Covered ok, List<DecisionReason> reasons) {
    if (intent.userConfirmationRequired()) {
      reasons.add(new DecisionReason("RULE_REQUIRES_USER", "the rule asks the user to approve every payment of this kind"));
      return true;
    }
    if (!ok.confirmationRequired()) {
      return false;
    }
    if (intent.confirmedOnDevice()) {
      reasons.add(new DecisionReason("CONFIRMED_ON_DEVICE", intent.amount() + " above threshold "
          + ok.mandate().terms().confirmationThreshold() + ", confirmed by the user on the device"));
      return false;
    }
    reasons.add(new DecisionReason("CONFIRMATION_THRESHOLD", intent.amount() + " above threshold " + ok.mandate().terms().confirmationThreshold()));
    return true;
  }

  /** The decision once the issuer answered its hold: approved with the hold's id, or declined naming the refusal. */
  static PaymentDecision holdOutcome(PaymentDecision decision, MandateCheck.Covered ok, AuthoriserResult result) {
    IdempotencyKey key = decision.key();
    if (result.approved()) {
      return new PaymentDecision(key, decision.version(), decision.intent(), DecisionOutcome.APPROVED, decision.reasons(),
          decision.mandateId(), result.holdId(), decision.decidedAt(), -1);
    }
    List<DecisionReason> reasons = new ArrayList<>(decision.reasons());
    reasons.add(result.status() == AuthoriserResult.Status.INSUFFICIENT_FUNDS
        ? new DecisionReason("INSUFFICIENT_FUNDS", "account " + ok.mandate().accountId() + " cannot cover " + decision.amount())
        : new DecisionReason("ISSUER_REFUSED", "the issuer refused the hold: " + result.status() + " " + result.detail()));
    return new PaymentDecision(decision.key(), decision.version(), decision.intent(), DecisionOutcome.DECLINED, reasons,
        decision.mandateId(), 0, decision.decidedAt(), -1);
  }
}

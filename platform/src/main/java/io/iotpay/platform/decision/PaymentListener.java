package io.iotpay.platform.decision;

/**
 * Told about decisions and payment lifecycle steps (e.g. the rule engine, to know when an order is
 * no longer in progress). Runs on the deciding thread after the decision is recorded; keep it short.
 */
public interface PaymentListener {
  /** A decision was recorded (each version once). */
  void decided(PaymentDecision decision);

  /** An approved payment reached a final state. */
  void closed(PaymentDecision decision, Payment payment);
}

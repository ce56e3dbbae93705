package io.iotpay.platform.decision;

/** An approved payment's life in the ledger: HELD → CAPTURED (delivered) | VOIDED (not delivered) | EXPIRED (hold timed out). */
public enum PaymentState {
  HELD,
  CAPTURED,
  VOIDED,
  EXPIRED;

  public boolean isFinal() {
    return this != HELD;
  }
}

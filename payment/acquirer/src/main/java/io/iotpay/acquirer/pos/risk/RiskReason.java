package io.iotpay.acquirer.pos.risk;

/** Why terminal risk sensing decided as it did; recorded with every verdict. */
public enum RiskReason {
  OK(RiskOutcome.APPROVE),
  MALFORMED_TOKEN(RiskOutcome.REFUSE),
  TERMINAL_NOT_ALLOWED(RiskOutcome.REFUSE),
  /** The token names another terminal than the one presenting it. */
  TOKEN_OF_ANOTHER_TERMINAL(RiskOutcome.REFUSE),
  BAD_SIGNATURE(RiskOutcome.REFUSE),
  /** The nonce was never issued to this terminal, has expired, or was used already (a replay). */
  NONCE_NOT_FRESH(RiskOutcome.REFUSE),
  COUNTER_NOT_INCREASING(RiskOutcome.REFUSE),
  /** The app integrity digest is not on the acquirer's allow-list of SDK builds (a tampered SDK). */
  UNKNOWN_SDK_BUILD(RiskOutcome.BLOCK),
  /** The device reports itself rooted, debugged, emulated or with an unlocked bootloader. */
  DEVICE_COMPROMISED(RiskOutcome.BLOCK),
  /** The phone moved faster than the configured speed since its last attestation. */
  IMPOSSIBLE_TRAVEL(RiskOutcome.BLOCK),
  /** No unused attestation approval for the terminal at payment time. */
  NO_FRESH_ATTESTATION(RiskOutcome.REFUSE),
  /** The merchant's payments in the window exceed the velocity limit. */
  VELOCITY(RiskOutcome.STEP_UP),
  /** The refund would take the merchant's refunds of the day above its sales of the day. */
  REFUNDS_ABOVE_SALES(RiskOutcome.BLOCK);

  private final RiskOutcome outcome;

  RiskReason(RiskOutcome outcome) {
    this.outcome = outcome;
  }

  public RiskOutcome outcome() {
    return outcome;
  }
}

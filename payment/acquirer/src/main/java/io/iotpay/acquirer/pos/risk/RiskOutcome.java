package io.iotpay.acquirer.pos.risk;

/** What terminal risk sensing decided. */
public enum RiskOutcome {
  /** The payment may go ahead. */
  APPROVE,
  /** This attempt is refused (the token proves nothing, or was used before); the terminal stays as it is. */
  REFUSE,
  /** Refused until the merchant steps up (re-authenticates in the acquiring app); the terminal stays active. */
  STEP_UP,
  /** The terminal is blocked (through the onboarding service, audited there): it cannot transact again. */
  BLOCK
}

package io.iotpay.platform.decision;

/** The platform's answer to a payment intent. Codes are the audit encoding's. */
public enum DecisionOutcome {
  /** A hold was placed on the user's account; captured on delivery, voided otherwise. */
  APPROVED(1),
  /** Nothing was held; the reasons say why. */
  DECLINED(2),
  /** The user must approve in their app; {@link PaymentDecisionService#answer} records their answer. */
  ASK_USER(3);

  private final int code;

  DecisionOutcome(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** @throws DecisionInputException for an unknown code */
  public static DecisionOutcome ofCode(int code) {
    for (DecisionOutcome outcome : values()) {
      if (outcome.code == code) {
        return outcome;
      }
    }
    throw new DecisionInputException("decision outcome code " + code + " is unknown (known: 1, 2, 3)");
  }
}

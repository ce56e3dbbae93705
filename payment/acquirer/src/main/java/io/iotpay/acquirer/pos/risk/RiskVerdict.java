package io.iotpay.acquirer.pos.risk;

/** One decision of terminal risk sensing. @param detail one line, no card data */
public record RiskVerdict(RiskOutcome outcome, RiskReason reason, String detail) {
  static RiskVerdict of(RiskReason reason, String detail) {
    return new RiskVerdict(reason.outcome(), reason, detail);
  }

  public boolean approved() {
    return outcome == RiskOutcome.APPROVE;
  }
}

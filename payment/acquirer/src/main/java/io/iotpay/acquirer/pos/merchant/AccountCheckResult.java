package io.iotpay.acquirer.pos.merchant;

/**
 * The answer of a {@link SettlementAccountCheck}.
 *
 * @param verdict PASS (the credit was accepted), FAIL (the bank refused it), UNDECIDED (no answer)
 * @param reason one line for the reviewer, without the account number
 */
public record AccountCheckResult(Verdict verdict, String reason) {
  public AccountCheckResult {
    io.iotpay.foundation.Assert.notNull(verdict, "verdict");
    io.iotpay.foundation.Assert.notNull(reason, "reason");
  }
}

package io.iotpay.acquirer.pos.merchant;

/**
 * The penny test: ask the settlement account's bank whether it holds the account, open. The
 * implementation is {@code acquirer.pos.online.IsoSettlementAccountCheck}, an account verification
 * over ISO 8583 (acquirer → switch → issuer); {@link InMemorySettlementAccountCheck} serves the
 * onboarding unit tests only.
 */
public interface SettlementAccountCheck {
  /**
   * @param account never null
   * @return never null; PASS when the bank confirmed the account, FAIL when it refused it, UNDECIDED
   *     when the bank could not be asked or did not answer
   */
  AccountCheckResult check(SettlementAccount account);
}

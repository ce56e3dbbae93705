package io.iotpay.acquirer.pos.merchant;

/**
 * The penny test: credit a tiny amount to a settlement account through its bank and report whether
 * the bank accepted it. The implementation over ISO 8583 (acquirer → switch → issuer) comes with the
 * parties; {@link InMemorySettlementAccountCheck} stands in for tests and the demo.
 */
public interface SettlementAccountCheck {
  /**
   * @param account never null
   * @return never null; UNDECIDED when the bank could not be asked or did not answer
   */
  AccountCheckResult check(SettlementAccount account);
}

package io.iotpay.acquirer.pos.merchant;

/**
 * The check the authorisation path calls before anything reaches the scheme: a blocked terminal or
 * a suspended merchant's terminal cannot transact.
 */
@FunctionalInterface
public interface TerminalAuthority {
  /**
   * @param terminalId never null
   * @return never null: {@link TransactPermission.Allowed} or a {@link TransactPermission.Refused} with its reason
   * @throws OnboardingStoreException when the store cannot be read (the caller declines: fail closed)
   */
  TransactPermission mayTransact(TerminalId terminalId);
}

package io.iotpay.acquirer.pos.merchant;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A penny test against an in-memory list of open accounts, for unit tests of onboarding only (the
 * review, the HTTP API, the console): no bank is asked. An account it knows passes, an unknown one
 * fails, and every account of a bank marked unreachable is UNDECIDED. The parties and the demo use
 * {@code acquirer.pos.online.IsoSettlementAccountCheck}, which asks the account's real bank.
 */
public final class InMemorySettlementAccountCheck implements SettlementAccountCheck {
  private final Set<String> openAccounts = ConcurrentHashMap.newKeySet();
  private final Set<String> unreachableBanks = ConcurrentHashMap.newKeySet();

  /** Makes the account pass from now on. @return this */
  public InMemorySettlementAccountCheck open(String bankId, String accountNumber) {
    openAccounts.add(bankId + "/" + SettlementAccount.normalise(accountNumber));
    return this;
  }

  /** Makes every account of the bank UNDECIDED from now on. @return this */
  public InMemorySettlementAccountCheck unreachable(String bankId) {
    unreachableBanks.add(bankId);
    return this;
  }

  @Override
  public AccountCheckResult check(SettlementAccount account) {
    if (unreachableBanks.contains(account.bankId())) {
      return new AccountCheckResult(Verdict.UNDECIDED, "bank " + account.bankId() + " did not answer the penny test");
    }
    if (openAccounts.contains(account.bankId() + "/" + account.accountNumber())) {
      return new AccountCheckResult(Verdict.PASS, "bank " + account.bankId() + " confirmed the account " + account.masked());
    }
    return new AccountCheckResult(Verdict.FAIL, "bank " + account.bankId() + " has no such account " + account.masked());
  }
}

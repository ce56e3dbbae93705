package io.iotpay.ledger;

/** An account's live balances; owned and mutated by the writer thread only. */
final class AccountState {
  final Account account;
  long debitsPendingMinor;
  long debitsPostedMinor;
  long creditsPendingMinor;
  long creditsPostedMinor;
  /** The last balances published to readers (the committed state). */
  AccountBalance published;
  /** Set while this account is in the current batch's touched list. */
  boolean touched;
  /** Set while this account is in the state's list of accounts changed since the last snapshot written. */
  boolean changedSinceSnapshot;

  AccountState(Account account) {
    this.account = account;
    this.published = new AccountBalance(account, 0, 0, 0, 0);
  }

  AccountBalance snapshot() {
    return new AccountBalance(account, debitsPendingMinor, debitsPostedMinor, creditsPendingMinor, creditsPostedMinor);
  }
}

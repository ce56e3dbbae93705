package io.iotpay.ledger;

/**
 * An account's balances as of the last committed batch that touched it. Immutable: readers hold it
 * without locks while the writer publishes newer ones.
 *
 * @param account the account, never null
 * @param debitsPendingMinor held (pending) debits, minor units
 * @param debitsPostedMinor posted debits, minor units
 * @param creditsPendingMinor held (pending) credits, minor units
 * @param creditsPostedMinor posted credits, minor units
 */
public record AccountBalance(
    Account account,
    long debitsPendingMinor,
    long debitsPostedMinor,
    long creditsPendingMinor,
    long creditsPostedMinor) {

  /** Credits posted minus debits posted (a liability or income account's natural balance). */
  public long creditBalanceMinor() {
    return creditsPostedMinor - debitsPostedMinor;
  }

  /** Debits posted minus credits posted (an asset or expense account's natural balance). */
  public long debitBalanceMinor() {
    return debitsPostedMinor - creditsPostedMinor;
  }
}

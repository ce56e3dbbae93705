package io.iotpay.ledger;

/**
 * Balance limits of an account, checked on every transfer that raises its debits or credits
 * (TigerBeetle's account flags). At most one may be set.
 *
 * @param debitsMustNotExceedCredits debits pending + debits posted may not exceed credits posted
 *     (a customer's funds account: it cannot go overdrawn)
 * @param creditsMustNotExceedDebits credits pending + credits posted may not exceed debits posted
 *     (a credit line: it cannot be repaid beyond what was drawn)
 */
public record AccountFlags(boolean debitsMustNotExceedCredits, boolean creditsMustNotExceedDebits) {
  public static final AccountFlags NONE = new AccountFlags(false, false);
  public static final AccountFlags DEBITS_MUST_NOT_EXCEED_CREDITS = new AccountFlags(true, false);
  public static final AccountFlags CREDITS_MUST_NOT_EXCEED_DEBITS = new AccountFlags(false, true);

  /** The flags as stored: bit 0 debitsMustNotExceedCredits, bit 1 creditsMustNotExceedDebits. */
  public int bits() {
    return (debitsMustNotExceedCredits ? 1 : 0) | (creditsMustNotExceedDebits ? 2 : 0);
  }

  /** @throws LedgerInputException for bits other than 0..3 */
  public static AccountFlags ofBits(int bits) {
    if ((bits & ~3) != 0) {
      throw new LedgerInputException("account flags " + bits + " have unknown bits (known: 1, 2)");
    }
    return new AccountFlags((bits & 1) != 0, (bits & 2) != 0);
  }
}

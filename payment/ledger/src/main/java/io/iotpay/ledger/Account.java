package io.iotpay.ledger;

import io.iotpay.foundation.money.CurrencyUnit;

/**
 * An account: belongs to one book (one party's books: an issuer, an acquirer, the switch, a
 * merchant) and holds one currency. Immutable once created; its balances live in the ledger.
 *
 * @param id caller-chosen, positive, unique in the ledger
 * @param bookId the book (party) it belongs to, positive
 * @param currency never null
 * @param flags balance limits, never null
 */
public record Account(long id, long bookId, CurrencyUnit currency, AccountFlags flags) {
  /** @throws LedgerInputException when currency or flags is null */
  public Account {
    if (currency == null) {
      throw new LedgerInputException("account " + id + ": currency is missing");
    }
    if (flags == null) {
      throw new LedgerInputException("account " + id + ": flags are missing (use AccountFlags.NONE)");
    }
  }

  /** An account without balance limits. */
  public static Account of(long id, long bookId, CurrencyUnit currency) {
    return new Account(id, bookId, currency, AccountFlags.NONE);
  }
}

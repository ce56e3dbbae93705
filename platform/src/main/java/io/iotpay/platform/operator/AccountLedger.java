package io.iotpay.platform.operator;

import java.util.Optional;

/**
 * The issuer's ledger as the operator API sees it: open accounts, fund them, read their balances.
 * The node wires its ledger behind this (the platform reaches the ledger itself only through the
 * issuer's link). Money only moves by double entry: a deposit debits the node's cash-in account of
 * the currency, so the books still balance. Thread-safe.
 */
public interface AccountLedger {
  /** Account ids the API accepts: 1..{@value}, the paying range of the node's account tokens. */
  long ACCOUNT_ID_MAX = 99_999_999_999L;

  /** What opening an account did. */
  enum Opening {
    /** Created now, or an identical account existed already. */
    OPENED,
    /** An account with this id exists with another currency or kind. */
    EXISTS_DIFFERENTLY
  }

  /** What a deposit did. */
  enum Deposit {
    /** Posted now, or the same deposit (id and amount) was posted before. */
    POSTED,
    /** This deposit id was used for another amount. */
    CONFLICT,
    /** No such account, or not of this currency. */
    UNKNOWN_ACCOUNT
  }

  /**
   * An account's balances, minor units.
   *
   * @param availableMinor what it may still pay: credits posted − debits posted − debits pending
   */
  record Balances(String currency, long creditsPostedMinor, long debitsPostedMinor, long debitsPendingMinor, long creditsPendingMinor,
      long availableMinor) {}

  /**
   * Opens an account.
   *
   * @param accountId 1..{@link #ACCOUNT_ID_MAX}
   * @param currency an ISO 4217 alpha code the ledger knows
   * @param customerFunds true: it may never be overdrawn (a user's funds); false: it may (a merchant's settlement account)
   */
  Opening open(long accountId, String currency, boolean customerFunds);

  /** The account's balances; empty when there is no such account. */
  Optional<Balances> balances(long accountId);

  /**
   * Posts {@code amountMinor} from the cash-in account of the account's currency to it, once per
   * {@code depositId}.
   *
   * @param depositId 1..64 of {@code A-Z a-z 0-9 - _ .}, chosen by the caller (a retry uses the same)
   * @param amountMinor positive
   */
  Deposit deposit(long accountId, String depositId, long amountMinor);
}

package io.iotpay.ledger;

/**
 * The outcome of one submitted transfer (like TigerBeetle's CreateTransferResult). Anything but
 * {@link #OK} changed nothing: no balance, no row, no audit leaf.
 */
public enum TransferResult {
  /** Applied and durable, or an identical transfer with this id was applied before (idempotent retry). */
  OK,
  /** Another transfer of its linked chain was refused, so this one was not applied either. */
  LINKED_EVENT_FAILED,
  /** The submission's last transfer is linked: the chain has no end, so none of it was applied. */
  LINKED_EVENT_CHAIN_OPEN,
  ID_MUST_BE_POSITIVE,
  AMOUNT_MUST_BE_POSITIVE,
  ACCOUNTS_MUST_BE_DIFFERENT,
  DEBIT_ACCOUNT_NOT_FOUND,
  CREDIT_ACCOUNT_NOT_FOUND,
  ACCOUNTS_MUST_HAVE_SAME_BOOK,
  ACCOUNTS_MUST_HAVE_SAME_CURRENCY,
  PENDING_ID_MUST_BE_ZERO,
  PENDING_ID_MUST_BE_POSITIVE,
  PENDING_ID_MUST_DIFFER_FROM_ID,
  TIMEOUT_RESERVED_FOR_PENDING_TRANSFER,
  TIMEOUT_OUT_OF_RANGE,
  PENDING_TRANSFER_NOT_FOUND,
  PENDING_TRANSFER_NOT_PENDING,
  PENDING_TRANSFER_ALREADY_POSTED,
  PENDING_TRANSFER_ALREADY_VOIDED,
  PENDING_TRANSFER_EXPIRED,
  PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID,
  PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID,
  PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT,
  EXCEEDS_PENDING_TRANSFER_AMOUNT,
  /** The debit account's debits (pending + posted) would pass {@code Long.MAX_VALUE}. */
  OVERFLOWS_DEBITS,
  /** The credit account's credits (pending + posted) would pass {@code Long.MAX_VALUE}. */
  OVERFLOWS_CREDITS,
  /** The debit account has {@code debitsMustNotExceedCredits} and this would break it. */
  EXCEEDS_CREDITS,
  /** The credit account has {@code creditsMustNotExceedDebits} and this would break it. */
  EXCEEDS_DEBITS,
  /** A new hold would pass {@code LedgerConfig.holdsOpenMax} holds open at once (all are kept in memory). */
  HOLDS_OPEN_LIMIT_REACHED,
  /** The id was used by a transfer of another kind. */
  EXISTS_WITH_DIFFERENT_KIND,
  EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID,
  EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID,
  EXISTS_WITH_DIFFERENT_AMOUNT,
  EXISTS_WITH_DIFFERENT_PENDING_ID,
  EXISTS_WITH_DIFFERENT_TIMEOUT
}

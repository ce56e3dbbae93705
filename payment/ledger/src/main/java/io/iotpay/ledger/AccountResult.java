package io.iotpay.ledger;

/** The outcome of creating one account; anything but {@link #OK} changed nothing. */
public enum AccountResult {
  /** Created, or an identical account with this id already existed (idempotent retry). */
  OK,
  ID_MUST_BE_POSITIVE,
  BOOK_ID_MUST_BE_POSITIVE,
  FLAGS_ARE_MUTUALLY_EXCLUSIVE,
  EXISTS_WITH_DIFFERENT_BOOK_ID,
  EXISTS_WITH_DIFFERENT_CURRENCY,
  EXISTS_WITH_DIFFERENT_FLAGS
}

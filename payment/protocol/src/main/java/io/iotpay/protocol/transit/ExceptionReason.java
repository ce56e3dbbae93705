package io.iotpay.protocol.transit;

/**
 * Why an issuer raises an exception (a chargeback) against a cleared transit record
 * (docs/clearing-files.md §11). Only the issuer's own verdicts on the record: a fare it could not
 * debit from the rider (arrears) is owed, not an exception.
 */
public enum ExceptionReason {
  /** The PAN is not one of the issuer's cards, or its PAN sequence differs. */
  UNKNOWN_CARD,
  /** The record names another suite than the card's. */
  SUITE_MISMATCH,
  /** The cryptogram input is not the layout of a transit TC. */
  MALFORMED,
  /** The TAC does not verify under the card's key. */
  BAD_TAC,
  /** The TAC verifies, but the record's fare or other fields disagree with what it covers. */
  AMOUNT_MISMATCH,
  /** The TAC verifies but covers another acceptor (operator or terminal) than the one presenting the record. */
  ACCEPTOR_MISMATCH,
  /** The card failed offline data authentication (a copied or forged card). */
  COUNTERFEIT
}

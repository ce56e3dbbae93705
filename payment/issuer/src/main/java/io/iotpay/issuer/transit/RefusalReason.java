package io.iotpay.issuer.transit;

/** Why clearing did not debit a record. */
public enum RefusalReason {
  /** The PAN is not one of this issuer's cards, or its PAN sequence differs. */
  UNKNOWN_CARD,
  /** The record names another suite than the card's. */
  SUITE_MISMATCH,
  /** The card transaction (PAN, PSN, ATC) was cleared before, or appears twice in the file. */
  DUPLICATE,
  /** The cryptogram input is not the layout of a transit TC. */
  MALFORMED,
  /** The TAC does not verify under the card's key. */
  BAD_TAC,
  /** The TAC verifies but the record's fare, quota, ATC, kind or currency disagrees with what it covers. */
  AMOUNT_MISMATCH,
  /**
   * The TAC verifies but covers another acceptor: another operator than the one presenting the
   * record (an operator uploading another operator's records), or another terminal.
   */
  ACCEPTOR_MISMATCH,
  /** The rider's account could not be debited: the fare goes to arrears and the card on the deny list. */
  INSUFFICIENT_FUNDS
}

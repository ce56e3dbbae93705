package io.iotpay.ledger;

/** What a submitted transfer does (TigerBeetle's pending / post_pending / void_pending flags). */
public enum TransferKind {
  /** Moves money at once: debits and credits posted. */
  SINGLE_PHASE,
  /** Holds money: debits and credits pending, until posted, voided or expired. */
  PENDING,
  /** Posts a pending transfer in full or in part; the rest of the hold is released. */
  POST_PENDING,
  /** Releases a pending transfer's whole hold. */
  VOID_PENDING
}

package io.iotpay.issuer.wallet;

/**
 * Which of the cardholder's accounts paid a completed online part (docs/wallet.md §2.7): the
 * online account is tried first; the linked bank account only when the online account cannot pay
 * the whole part. One source pays the whole part, never a share of it.
 */
public enum OnlinePartSource {
  /** The card's online account at the issuer. */
  ONLINE_ACCOUNT,
  /** The cardholder's bank account linked to the card (a deposit account at this issuer). */
  LINKED_ACCOUNT
}

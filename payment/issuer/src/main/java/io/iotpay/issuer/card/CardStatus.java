package io.iotpay.issuer.card;

/** Where a card stands at its issuer. */
public enum CardStatus {
  /** PAN chosen, keys derivable, card not yet personalised. */
  ISSUED,
  /** Personalised; the metro service is not enabled (quota 0 on the card). */
  PERSONALISED,
  /** The rider applied and was approved; the quota push is under way. */
  ENABLING,
  /** The quota is on the card. */
  ENABLED,
  /** On the deny list: an account that could not be debited. */
  DENIED
}

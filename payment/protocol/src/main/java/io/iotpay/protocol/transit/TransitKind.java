package io.iotpay.protocol.transit;

/** What a gate transaction was. Only exits move money; an entry only locks quota on the card. */
public enum TransitKind {
  /** Tap-in: the card locked the maximum fare (DF63) from its quota. */
  ENTRY,
  /** Tap-out: the card deducted the real fare and released the rest of the lock. */
  EXIT,
  /** No tap-out within the time limit: the next tap charged the maximum fare (the lock). */
  EXIT_INCOMPLETE
}

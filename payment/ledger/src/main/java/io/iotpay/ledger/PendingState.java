package io.iotpay.ledger;

/** A hold and what became of it; owned and mutated by the writer thread only. */
final class PendingState {
  enum Status {
    PENDING,
    POSTED,
    VOIDED,
    EXPIRED
  }

  final LedgerEntry entry;
  /** Business time at which the hold expires; {@code Long.MAX_VALUE} when it never does. */
  final long expiresAtMs;
  Status status = Status.PENDING;

  PendingState(LedgerEntry entry, long expiresAtMs) {
    this.entry = entry;
    this.expiresAtMs = expiresAtMs;
  }
}

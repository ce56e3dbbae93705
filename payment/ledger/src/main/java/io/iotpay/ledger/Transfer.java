package io.iotpay.ledger;

/**
 * A transfer submitted to the ledger. Immutable once applied; its {@code id} is chosen by the caller
 * so that a retry after a timeout or crash is recognised: the same id with the same content returns
 * {@link TransferResult#OK} again without applying it twice, the same id with other content is
 * refused with an {@code EXISTS_WITH_DIFFERENT_*} result naming the field.
 *
 * <p>Ids are positive {@code long}s, one id space for all kinds (a post or void has its own id and
 * names the pending transfer in {@code pendingId}). 64 bits suffice for one ledger; callers that own
 * 128-bit identifiers keep a mapping.
 *
 * @param id caller-chosen, positive
 * @param debitAccountId account debited; for a post or void 0 (meaning the pending transfer's) or equal
 *     to the pending transfer's
 * @param creditAccountId account credited; same rule as {@code debitAccountId}
 * @param amountMinor minor units, positive; for a post at most the pending amount; for a void 0 or the
 *     pending amount
 * @param pendingId for a post or void, the pending transfer's id; otherwise 0
 * @param timeoutMs for a pending transfer, business-time milliseconds until the hold expires (0 = never);
 *     otherwise 0
 * @param kind never null
 * @param linked when true, this transfer succeeds or fails together with the next one in the same
 *     submission (TigerBeetle's linked flag: a chain ends at the first transfer without it)
 */
public record Transfer(
    long id,
    long debitAccountId,
    long creditAccountId,
    long amountMinor,
    long pendingId,
    long timeoutMs,
    TransferKind kind,
    boolean linked) {

  /** @throws LedgerInputException when kind is null */
  public Transfer {
    if (kind == null) {
      throw new LedgerInputException("transfer " + id + ": kind is missing");
    }
  }

  /** A transfer that posts at once. */
  public static Transfer single(long id, long debitAccountId, long creditAccountId, long amountMinor) {
    return new Transfer(id, debitAccountId, creditAccountId, amountMinor, 0, 0, TransferKind.SINGLE_PHASE, false);
  }

  /** A hold, expiring {@code timeoutMs} after it is applied (0 = never). */
  public static Transfer pending(long id, long debitAccountId, long creditAccountId, long amountMinor, long timeoutMs) {
    return new Transfer(id, debitAccountId, creditAccountId, amountMinor, 0, timeoutMs, TransferKind.PENDING, false);
  }

  /** Posts {@code amountMinor} of pending transfer {@code pendingId} and releases the rest. */
  public static Transfer post(long id, long pendingId, long amountMinor) {
    return new Transfer(id, 0, 0, amountMinor, pendingId, 0, TransferKind.POST_PENDING, false);
  }

  /** Releases the whole hold of pending transfer {@code pendingId}. */
  public static Transfer voidPending(long id, long pendingId) {
    return new Transfer(id, 0, 0, 0, pendingId, 0, TransferKind.VOID_PENDING, false);
  }

  /** This transfer, linked to the next one of its submission. */
  public Transfer asLinked() {
    return new Transfer(id, debitAccountId, creditAccountId, amountMinor, pendingId, timeoutMs, kind, true);
  }
}

package io.iotpay.ledger;

import io.iotpay.foundation.money.CurrencyUnit;
import java.nio.ByteBuffer;

/**
 * One immutable entry of the ledger, as stored (one row of {@code ledger_entry}) and as given to the
 * audit log. Accounts, amounts and the book are resolved: a post or void carries the pending
 * transfer's accounts, a void the amount it released, an expiry the hold it released.
 *
 * @param seq position in the ledger's history, from 1, without gaps
 * @param kind never null
 * @param transferId the caller's transfer id; 0 for an {@link EntryKind#EXPIRE_PENDING} entry
 * @param debitAccountId account debited (for post, void, expiry: the pending transfer's)
 * @param creditAccountId account credited
 * @param amountMinor amount moved (pending, single) or posted (post) or released (void, expiry)
 * @param pendingId the pending transfer resolved (post, void, expiry); otherwise 0
 * @param timeoutMs the hold's timeout (pending); otherwise 0
 * @param linked whether the transfer was linked to the next one of its submission
 * @param bookId the book of both accounts
 * @param currency the currency of both accounts, never null
 * @param appliedAtMs business time of the batch that applied it, epoch milliseconds
 * @param auditIndex the index of its leaf in the audit log
 */
public record LedgerEntry(
    long seq,
    EntryKind kind,
    long transferId,
    long debitAccountId,
    long creditAccountId,
    long amountMinor,
    long pendingId,
    long timeoutMs,
    boolean linked,
    long bookId,
    CurrencyUnit currency,
    long appliedAtMs,
    long auditIndex) {

  /** Version byte that opens every canonical encoding; bumped if the layout ever changes. */
  public static final byte CANONICAL_VERSION = 1;

  /** Length of a version-1 canonical encoding in bytes. */
  public static final int CANONICAL_LENGTH = 1 + 8 + 1 + 8 * 6 + 1 + 8 + 2 + 8;

  /**
   * The entry's audit leaf, version 1: fixed-length big-endian fields in this order, so any
   * implementation can rebuild it from a row without a library:
   *
   * <pre>
   * offset size field
   *      0    1 version (1)
   *      1    8 seq
   *      9    1 kind code (EntryKind.code)
   *     10    8 transferId (0 for an expiry)
   *     18    8 debitAccountId
   *     26    8 creditAccountId
   *     34    8 amountMinor
   *     42    8 pendingId
   *     50    8 timeoutMs
   *     58    1 linked (0 or 1)
   *     59    8 bookId
   *     67    2 currency (ISO 4217 numeric)
   *     69    8 appliedAtMs
   *     77      (length)
   * </pre>
   *
   * The audit index is not part of it: it is where the leaf sits, not what it says.
   */
  public byte[] canonicalBytes() {
    ByteBuffer out = ByteBuffer.allocate(CANONICAL_LENGTH);
    out.put(CANONICAL_VERSION)
        .putLong(seq)
        .put((byte) kind.code())
        .putLong(transferId)
        .putLong(debitAccountId)
        .putLong(creditAccountId)
        .putLong(amountMinor)
        .putLong(pendingId)
        .putLong(timeoutMs)
        .put((byte) (linked ? 1 : 0))
        .putLong(bookId)
        .putShort((short) currency.numericCode())
        .putLong(appliedAtMs);
    return out.array();
  }

  LedgerEntry withAuditIndex(long index) {
    return new LedgerEntry(seq, kind, transferId, debitAccountId, creditAccountId, amountMinor, pendingId,
        timeoutMs, linked, bookId, currency, appliedAtMs, index);
  }
}

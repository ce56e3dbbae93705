package io.iotpay.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The ledger's state as of entry {@code seq}. A full snapshot ({@code baseSeq} 0) has the balances of
 * every account whose balances are not all zero (accounts absent here were at zero); an incremental
 * one has the balances of the accounts that changed since the snapshot at {@code baseSeq} (zeros
 * included; accounts absent here are as in the base). Both have every hold still open. Start-up loads
 * the newest chain (a full snapshot and the increments on top of it) whose hashes verify and replays
 * only the entries after its last {@code seq}.
 *
 * @param seq the last entry the snapshot includes, at least 1
 * @param baseSeq 0 for a full snapshot; otherwise the seq of the snapshot this one is on top of
 * @param balances in account id order; none all zero in a full snapshot
 * @param holds the PENDING entries of the holds open at {@code seq}, in seq order
 */
record LedgerSnapshot(long seq, long baseSeq, List<Balance> balances, List<LedgerEntry> holds) {
  /** Version byte that opens the hashed form of a full snapshot; bumped if the layout ever changes. */
  static final byte HASH_VERSION = 1;
  /** Version byte that opens the hashed form of an incremental snapshot. */
  static final byte HASH_VERSION_INCREMENTAL = 2;

  /** One account's balances in a snapshot. */
  record Balance(long accountId, long debitsPendingMinor, long debitsPostedMinor, long creditsPendingMinor,
      long creditsPostedMinor) {}

  LedgerSnapshot {
    if (baseSeq < 0 || baseSeq >= seq) {
      throw new IllegalArgumentException("base snapshot " + baseSeq + " is not before " + seq);
    }
    balances = List.copyOf(balances);
    holds = List.copyOf(holds);
  }

  boolean incremental() {
    return baseSeq != 0;
  }

  /**
   * SHA-256 over: version, seq (for an incremental snapshot then its base's seq and hash, so it
   * verifies only on top of that base), the canonical bytes of entry {@code seq} (ties the snapshot to this
   * history: a snapshot of another history, or of an edited last entry, does not verify), the balance
   * count, each balance (id and four amounts, 8 bytes big-endian each), the hold count and each
   * hold's seq.
   */
  byte[] hash(LedgerEntry last, byte[] baseHash) {
    if (incremental() != (baseHash != null)) {
      throw new IllegalArgumentException("a base hash goes with an incremental snapshot, and only with one");
    }
    MessageDigest digest = sha256();
    ByteBuffer buffer = ByteBuffer.allocate(64);
    digest.update("iotpay-ledger-snapshot".getBytes(StandardCharsets.US_ASCII));
    digest.update(incremental() ? HASH_VERSION_INCREMENTAL : HASH_VERSION);
    digest.update(buffer.clear().putLong(seq).flip());
    if (incremental()) {
      digest.update(buffer.clear().putLong(baseSeq).flip());
      digest.update(baseHash);
    }
    digest.update(last.canonicalBytes());
    digest.update(buffer.clear().putLong(balances.size()).flip());
    for (Balance b : balances) {
      digest.update(buffer.clear().putLong(b.accountId()).putLong(b.debitsPendingMinor()).putLong(b.debitsPostedMinor())
          .putLong(b.creditsPendingMinor()).putLong(b.creditsPostedMinor()).flip());
    }
    digest.update(buffer.clear().putLong(holds.size()).flip());
    for (LedgerEntry hold : holds) {
      digest.update(buffer.clear().putLong(hold.seq()).flip());
    }
    return digest.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}

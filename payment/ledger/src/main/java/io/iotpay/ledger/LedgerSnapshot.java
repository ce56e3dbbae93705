package io.iotpay.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The ledger's state as of entry {@code seq}: the balances of every account whose balances are not
 * all zero (accounts absent here were at zero) and the holds still open. Start-up loads the newest
 * snapshot whose hash verifies and replays only the entries after {@code seq}.
 *
 * @param seq the last entry the snapshot includes, at least 1
 * @param balances in account id order, none all zero
 * @param holds the PENDING entries of the holds open at {@code seq}, in seq order
 */
record LedgerSnapshot(long seq, List<Balance> balances, List<LedgerEntry> holds) {
  /** Version byte that opens the hashed form; bumped if the layout ever changes. */
  static final byte HASH_VERSION = 1;

  /** One account's balances in a snapshot. */
  record Balance(long accountId, long debitsPendingMinor, long debitsPostedMinor, long creditsPendingMinor,
      long creditsPostedMinor) {}

  LedgerSnapshot {
    balances = List.copyOf(balances);
    holds = List.copyOf(holds);
  }

  /**
   * SHA-256 over: version, seq, the canonical bytes of entry {@code seq} (ties the snapshot to this
   * history: a snapshot of another history, or of an edited last entry, does not verify), the balance
   * count, each balance (id and four amounts, 8 bytes big-endian each), the hold count and each
   * hold's seq.
   */
  byte[] hash(LedgerEntry last) {
    MessageDigest digest = sha256();
    ByteBuffer buffer = ByteBuffer.allocate(64);
    digest.update("iotpay-ledger-snapshot".getBytes(StandardCharsets.US_ASCII));
    digest.update(HASH_VERSION);
    digest.update(buffer.clear().putLong(seq).flip());
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

package io.iotpay.foundation.codec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Positive 63-bit ids derived from a purpose-tagged text (ledger transfer ids that a retry after a
 * crash derives again, so the ledger applies each step once): the first 8 bytes of the text's
 * SHA-256 (UTF-8), big-endian, sign bit cleared, 0 mapped to 1. Not a security use: SHA-256 only
 * spreads texts over the id space; a collision needs about 3·10^9 ids (birthday bound). Thread-safe.
 */
public final class PositiveIds {
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(PositiveIds::sha256);

  private PositiveIds() {}

  /** The id of {@code text}; never 0 or negative. */
  public static long of(String text) {
    byte[] hash = SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8));
    long id = 0;
    for (int i = 0; i < 8; i++) {
      id = (id << 8) | (hash[i] & 0xFF);
    }
    id &= Long.MAX_VALUE;
    return id == 0 ? 1 : id;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}

package io.iotpay.platform.decision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Ledger transfer ids derived from the idempotency key, so a retry after a crash or timeout submits
 * the same ids and the ledger applies each step once (TigerBeetle's client-chosen ids). 63 bits of
 * SHA-256 over a purpose-tagged key: a collision needs about 3·10^9 payments (birthday bound), and a
 * collision is refused by the ledger as EXISTS_WITH_DIFFERENT_*, never applied twice.
 */
final class TransferIds {
  private TransferIds() {}

  static long hold(IdempotencyKey key) {
    return derive("hold", key);
  }

  static long capture(IdempotencyKey key) {
    return derive("capture", key);
  }

  static long release(IdempotencyKey key) {
    return derive("void", key);
  }

  private static long derive(String purpose, IdempotencyKey key) {
    byte[] digest = sha256(("iotpay-payment/1/" + purpose + "/" + key.text()).getBytes(StandardCharsets.UTF_8));
    long id = 0;
    for (int i = 0; i < 8; i++) {
      id = (id << 8) | (digest[i] & 0xFF);
    }
    id &= Long.MAX_VALUE;
    return id == 0 ? 1 : id;
  }

  private static byte[] sha256(byte[] input) {
    try {
      // Not a security use: only spreading keys over the id space, so the JDK's digest is fine.
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}

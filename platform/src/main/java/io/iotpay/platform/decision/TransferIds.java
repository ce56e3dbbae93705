package io.iotpay.platform.decision;

import io.iotpay.foundation.codec.PositiveIds;

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
    return PositiveIds.of("iotpay-payment/1/" + purpose + "/" + key.text());
  }
}

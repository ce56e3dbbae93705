package io.iotpay.foundation.crypto;

import java.util.Locale;

/** Block cipher modes iotpay uses. Neither pads: callers pad explicitly where a format says so. */
public enum CipherMode {
  /** Electronic code book: one block at a time, no IV. */
  ECB,
  /** Cipher block chaining with an IV of one block (zeros when none is given). */
  CBC;

  /**
   * Parses {@code ECB} or {@code CBC} (any case).
   *
   * @throws CryptoException naming the unknown mode
   */
  public static CipherMode byName(String name) {
    String normalised = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
    return switch (normalised) {
      case "ECB" -> ECB;
      case "CBC" -> CBC;
      default -> throw new CryptoException("unknown cipher mode '" + name + "' (expected ECB or CBC)");
    };
  }
}

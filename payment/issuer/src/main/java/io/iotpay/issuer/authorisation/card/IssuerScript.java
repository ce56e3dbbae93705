package io.iotpay.issuer.authorisation.card;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.Hex;

/**
 * An issuer script command queued for a card's next online transaction (EMV Book 3 §10.10): sent
 * in response field 55 inside template 71 (before the final GENERATE AC) or 72 (after it), as tag 86
 * with the secure-messaging MAC of docs/emv-card-apdus.md §8.
 *
 * @param template 0x71 or 0x72
 * @param headerHex CLA INS P1 P2, 8 hex digits
 * @param data the command data, at most {@value #DATA_BYTES_MAX} bytes
 */
public record IssuerScript(int template, String headerHex, byte[] data) {
  /** Command data bound (our scripts are short: the host's field 55 is 255 bytes in all). */
  public static final int DATA_BYTES_MAX = 64;

  public IssuerScript {
    Assert.that(template == 0x71 || template == 0x72, "script template {} is not 71 or 72", template);
    Assert.that(headerHex != null && Hex.decode(headerHex).length == 4, "script header is 4 bytes");
    Assert.that(data != null && data.length <= DATA_BYTES_MAX, "script data of at most {} bytes", DATA_BYTES_MAX);
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  /** APPLICATION BLOCK (84 1E), after the final GENERATE AC. */
  public static IssuerScript applicationBlock() {
    return new IssuerScript(0x72, "841E0000", new byte[0]);
  }

  /** PUT DATA of the upper consecutive offline limit 9F23 (04 DA 9F 23), before the final GENERATE AC. */
  public static IssuerScript upperConsecutiveOfflineLimit(int limit) {
    Assert.that(limit >= 0 && limit <= 255, "9F23 is one byte");
    return new IssuerScript(0x71, "04DA9F23", new byte[] {(byte) limit});
  }
}

package io.iotpay.card.gp;

import javacard.framework.Shareable;

/**
 * What a supplementary security domain offers the domain that created it, and no other: taking its
 * key set (the issuer's PUT KEY, deciphered and KCV-checked by the creating domain).
 */
public interface KeyReceiver extends Shareable {

  /**
   * Replaces the key set.
   *
   * @param replacedVersion the version being replaced: this domain's current one (0 when it has none)
   * @param newVersion 1..127, not the current one
   * @param keys ENC || MAC || DEK, 48 bytes at {@code off}
   * @throws javacard.framework.ISOException 6A88 for a replaced version not on the card, 6A80 for
   *     a bad new version
   */
  void receiveKeys(byte replacedVersion, byte newVersion, byte[] keys, short off);
}

package io.iotpay.foundation.crypto.oda;

import io.iotpay.foundation.Assert;

/** What {@link OdaVerifier} concluded about one card. */
public sealed interface OdaResult {

  /** True when the chain and (if asked) the dynamic signature verified. */
  default boolean ok() {
    return this instanceof Verified;
  }

  /**
   * Everything verified.
   *
   * @param iccPublicKey the card's public key, recovered from its certificate
   * @param iccDynamicData the ICC dynamic data the card signed (empty when only the chain was
   *     checked); for EMV its first byte is the length of the ICC dynamic number that follows
   */
  record Verified(OdaPublicKey iccPublicKey, byte[] iccDynamicData) implements OdaResult {
    public Verified {
      Assert.notNull(iccPublicKey, "iccPublicKey");
      iccDynamicData = iccDynamicData.clone();
    }

    @Override
    public byte[] iccDynamicData() {
      return iccDynamicData.clone();
    }
  }

  /**
   * A check failed; nothing after it ran.
   *
   * @param reason which check
   * @param detail one line with the values that failed (never a key or a full PAN)
   */
  record Refused(OdaReason reason, String detail) implements OdaResult {
    public Refused {
      Assert.notNull(reason, "reason");
      Assert.notNull(detail, "detail");
    }
  }
}

package io.iotpay.switching.online;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.CryptoException;
import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.PinBlock;
import java.util.Map;
import java.util.Optional;

/**
 * The switch's zone PIN keys (docs/pin-and-dukpt.md, "The flow"): one shared with each acquirer and
 * one with each issuer, held in the switch's key custody. A PIN block arrives under the acquirer's
 * zone key and leaves under the issuer's; the PIN is deciphered and re-enciphered inside the custody
 * only, and a block that does not decipher under the acquirer's key is refused, not passed on.
 */
public final class PinZones {
  private final KeyCustody custody;
  private final Map<PartyId, String> acquirerKeyLabels;
  private final Map<PartyId, String> issuerKeyLabels;

  /**
   * @param custody the switch's key custody; not closed here
   * @param acquirerKeyLabels custody label of the zone PIN key shared with each acquirer
   * @param issuerKeyLabels custody label of the zone PIN key shared with each issuer
   */
  public PinZones(KeyCustody custody, Map<PartyId, String> acquirerKeyLabels, Map<PartyId, String> issuerKeyLabels) {
    this.custody = Assert.notNull(custody, "custody");
    this.acquirerKeyLabels = Map.copyOf(acquirerKeyLabels);
    this.issuerKeyLabels = Map.copyOf(issuerKeyLabels);
  }

  /**
   * The request's PIN block under the issuer's zone PIN key, or empty when it cannot be translated
   * (no zone key for one of the two parties, a KSN on a zone block, or a block that does not
   * decipher under the acquirer's key). Changes nothing.
   */
  Optional<PinBlock> translate(PartyId acquirer, PartyId issuer, CardTransaction t) {
    String from = acquirerKeyLabels.get(acquirer);
    String to = issuerKeyLabels.get(issuer);
    if (from == null || to == null || t.pinBlock().ksn() != null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new PinBlock(custody.translatePinBlock(custody.current(from), custody.current(to),
          t.pinBlock().value(), t.pan().digits())));
    } catch (CryptoException e) {
      return Optional.empty();
    }
  }
}

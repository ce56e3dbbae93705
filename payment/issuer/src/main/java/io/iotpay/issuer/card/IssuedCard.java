package io.iotpay.issuer.card;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.Pan;

/**
 * A card the issuer has created, ready to be installed on a secure element.
 *
 * @param pan its PAN
 * @param panSequence its PAN sequence number
 * @param suite its suite
 * @param installParameters the GP install parameters for the applet ({@code Li AID ‖ Lc control ‖
 *     La applet data}, docs/card-apdus.md §2); they carry the card's SCP02 static keys, so they go
 *     only to the card's installer
 */
public record IssuedCard(Pan pan, int panSequence, AlgorithmSuite suite, byte[] installParameters) {
  @Override
  public byte[] installParameters() {
    return installParameters.clone();
  }

  @Override
  public String toString() {
    return "IssuedCard[" + pan + "/" + panSequence + ", " + suite + "]";
  }
}

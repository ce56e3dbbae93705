package io.iotpay.issuer.card;

import io.iotpay.foundation.crypto.SecretKeyBytes;

/**
 * One suite's issuer master keys, as loaded at start-up (they go into the sealed {@link IssuerKeys} store at once
 * and this record is not kept).
 *
 * @param imkAc issuer master key for application cryptograms (TAC/ARQC), 16 bytes
 * @param imkMac issuer master key for the card's MAC sub-key (Push PUT DATA MACs), 16 bytes
 * @param kmc master key of the cards' SCP02 static keys (GlobalPlatform "KMC"), 16 bytes
 */
public record IssuerMasterKeys(SecretKeyBytes imkAc, SecretKeyBytes imkMac, SecretKeyBytes kmc) {
  @Override
  public String toString() {
    return "IssuerMasterKeys[***]";
  }
}

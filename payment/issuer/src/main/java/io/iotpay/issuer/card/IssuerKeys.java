package io.iotpay.issuer.card;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.Pan;
import java.util.EnumMap;
import java.util.Map;

/**
 * The issuer's master keys of each suite, wrapped at rest in its {@link KeyVault}, and the card
 * keys derived from them. A real issuer keeps them in an HSM. Thread-safe.
 */
public final class IssuerKeys {
  private final KeyVault vault;

  /**
   * @param masters the issuer master keys of each suite it issues (copied into the vault)
   * @param storageMasterKey the key that wraps keys at rest (16 bytes; AES)
   * @throws IssuerInputException when a suite's master keys are missing
   */
  public IssuerKeys(PartyId issuer, Map<AlgorithmSuite, IssuerMasterKeys> masters, SecretKeyBytes storageMasterKey) {
    this.vault = new KeyVault(AlgorithmSuite.INTERNATIONAL, storageMasterKey);
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      IssuerMasterKeys keys = masters.get(suite);
      if (keys == null) {
        throw new IssuerInputException("issuer " + issuer + ": no master keys for suite " + suite);
      }
      vault.put(suite + "/IMK-AC", keys.imkAc());
      vault.put(suite + "/IMK-MAC", keys.imkMac());
      vault.put(suite + "/KMC", keys.kmc());
    }
  }

  /** The card's keys (AC, MAC, SCP02 static keys), derived from the suite's masters. */
  public CardKeys cardKeys(AlgorithmSuite suite, Pan pan, int panSequence) {
    IssuerMasterKeys masters = new IssuerMasterKeys(vault.get(suite + "/IMK-AC"), vault.get(suite + "/IMK-MAC"),
        vault.get(suite + "/KMC"));
    return CardKeys.derive(suite, masters, pan, panSequence);
  }

  /** The suite's IMK-AC, unwrapped: clearing holds it for one file only. */
  public SecretKeyBytes imkAc(AlgorithmSuite suite) {
    return vault.get(suite + "/IMK-AC");
  }

  /** Every suite's IMK-AC, unwrapped, for one clearing file's TAC verifier. */
  public Map<AlgorithmSuite, SecretKeyBytes> imkAcBySuite() {
    Map<AlgorithmSuite, SecretKeyBytes> imkAc = new EnumMap<>(AlgorithmSuite.class);
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      imkAc.put(suite, imkAc(suite));
    }
    return imkAc;
  }

  /** A card's AC key alone (clearing needs only it): option A from IMK-AC. */
  public static SecretKeyBytes acKey(AlgorithmSuite suite, SecretKeyBytes imkAc, Pan pan, int panSequence) {
    return EmvKeyDerivation.cardMasterKey(suite, imkAc, pan.digits(), String.format("%02d", panSequence));
  }

  /** The masters of both suites as the constructor takes them. */
  public static Map<AlgorithmSuite, IssuerMasterKeys> bySuite(IssuerMasterKeys international, IssuerMasterKeys national) {
    Map<AlgorithmSuite, IssuerMasterKeys> map = new EnumMap<>(AlgorithmSuite.class);
    map.put(AlgorithmSuite.INTERNATIONAL, international);
    map.put(AlgorithmSuite.NATIONAL, national);
    return map;
  }
}

package io.iotpay.issuer.card;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.BlockCipherAlgorithm;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.Scp02;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.Pan;

/**
 * One card's keys, derived on demand from the issuer master keys and never stored.
 *
 * <ul>
 *   <li>AC key and MAC sub-key: EMV Book 2 Annex A1.4.1 option A ({@link EmvKeyDerivation#cardMasterKey})
 *       from IMK-AC and IMK-MAC with the PAN and PAN sequence number.
 *   <li>SCP02 static keys: the usual "KMC" diversification of EMV CPS-style personalisation:
 *       {@code K = E_KMC(KDD[4..10) ‖ F0 ‖ i ‖ KDD[4..10) ‖ 0F ‖ i)}, i = 01 ENC, 02 MAC, 03 DEK,
 *       with 3DES (two blocks, odd parity) or SM4 (one block). The key diversification data (KDD,
 *       10 bytes) is {@code 00 00 ‖} option A's Y (PAN ‖ PSN, 8 BCD bytes), so it is unique per card.
 * </ul>
 *
 * @param suite the card's suite
 * @param ac the AC/TAC master key
 * @param macSub the MAC sub-key (Push PUT DATA)
 * @param scp the SCP02 static keys
 * @param diversificationData the 10-byte KDD the card returns in INITIALIZE UPDATE
 */
public record CardKeys(AlgorithmSuite suite, SecretKeyBytes ac, SecretKeyBytes macSub, Scp02.StaticKeys scp,
    byte[] diversificationData) {
  /** Bytes of the key diversification data. */
  public static final int KDD_BYTES = 10;

  static CardKeys derive(AlgorithmSuite suite, IssuerMasterKeys masters, Pan pan, int panSequence) {
    String psn = String.format("%02d", panSequence);
    SecretKeyBytes ac = EmvKeyDerivation.cardMasterKey(suite, masters.imkAc(), pan.digits(), psn);
    SecretKeyBytes macSub = EmvKeyDerivation.cardMasterKey(suite, masters.imkMac(), pan.digits(), psn);
    byte[] kdd = diversificationData(pan, panSequence);
    Scp02.StaticKeys scp = new Scp02.StaticKeys(
        kmcKey(suite, masters.kmc(), kdd, 1), kmcKey(suite, masters.kmc(), kdd, 2), kmcKey(suite, masters.kmc(), kdd, 3));
    return new CardKeys(suite, ac, macSub, scp, kdd);
  }

  /** {@code 00 00 ‖ Y}, Y = rightmost 16 digits of PAN ‖ PSN as BCD. */
  static byte[] diversificationData(Pan pan, int panSequence) {
    String digits = pan.digits() + String.format("%02d", panSequence);
    String y = digits.substring(digits.length() - 16);
    byte[] kdd = new byte[KDD_BYTES];
    for (int i = 0; i < 8; i++) {
      kdd[2 + i] = (byte) (((y.charAt(2 * i) - '0') << 4) | (y.charAt(2 * i + 1) - '0'));
    }
    return kdd;
  }

  private static SecretKeyBytes kmcKey(AlgorithmSuite suite, SecretKeyBytes kmc, byte[] kdd, int index) {
    byte[] input = new byte[16];
    System.arraycopy(kdd, 4, input, 0, 6);
    input[6] = (byte) 0xF0;
    input[7] = (byte) index;
    System.arraycopy(kdd, 4, input, 8, 6);
    input[14] = 0x0F;
    input[15] = (byte) index;
    BlockCipherAlgorithm cipher = suite.cardBlockCipher();
    return new SecretKeyBytes(cipher.encrypt(io.iotpay.foundation.crypto.CipherMode.ECB, kmc, null, input));
  }

  @Override
  public byte[] diversificationData() {
    return diversificationData.clone();
  }

  @Override
  public String toString() {
    return "CardKeys[" + suite + ", ***]";
  }
}

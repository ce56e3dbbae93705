package io.iotpay.foundation.crypto;

import java.util.Arrays;

/**
 * Diversification of a GlobalPlatform master key (the issuer's KMC for a security domain) into one
 * card's ENC, MAC and DEK keys, from the key diversification data (KDD: the first 10 bytes of the
 * card's INITIALIZE UPDATE response), and the key check values personalisation compares.
 *
 * <p><b>INTERNATIONAL (two-key 3DES, the SCP02 card world)</b>, for key number n (ENC 1, MAC 2,
 * DEK 3):
 *
 * <ul>
 *   <li>{@link Method#EMV} (EMV Card Personalization Specification, "EMV CPS" / GP "EMV" method):
 *       the six bytes KDD[4..9], then {@code F0 0n}; the six bytes again, then {@code 0F 0n}; the
 *       card key is 3DES-ECB(KMC) of those 16 bytes.
 *   <li>{@link Method#VISA2} (Visa GlobalPlatform 2.1.1 Card Implementation Requirements): KDD[0..1]
 *       || KDD[4..7] || {@code F0 0n}, then KDD[0..1] || KDD[4..7] || {@code 0F 0n}; 3DES-ECB(KMC)
 *       of those 16 bytes.
 * </ul>
 *
 * <p><b>NATIONAL</b> (iotpay's analogue, SM4 keys): the same 16 diversification bytes are one SM4
 * block, and the card key is SM4(KMC) of it, as {@link EmvKeyDerivation} does for PBOC card keys.
 *
 * <p><b>Key check values</b> ({@link #keyCheckValue}): 3DES keys, the first 3 bytes of E(K, 00 × 8);
 * AES keys, the first 3 bytes of E(K, 01 × 16) as GlobalPlatform defines it for AES (Card
 * Specification v2.2 Amendment D); SM4 keys follow the AES rule (iotpay's choice: both are 128-bit
 * block ciphers and SCP03-style key sets then check alike). This differs from {@link
 * BlockCipherAlgorithm#keyCheckValue} (all-zero block for every cipher, the HSM convention).
 */
public final class KeyDiversification {
  /** Bytes of a key check value. */
  public static final int KCV_BYTES = 3;

  private KeyDiversification() {}

  /** How the KDD becomes diversification data. */
  public enum Method {
    EMV,
    VISA2
  }

  /** Which card key; the number goes into the diversification data. */
  public enum KeyPurpose {
    ENC(1),
    MAC(2),
    DEK(3);

    private final int number;

    KeyPurpose(int number) {
      this.number = number;
    }

    public int number() {
      return number;
    }
  }

  /** One card's diversified static keys. */
  public record CardKeys(SecretKeyBytes enc, SecretKeyBytes mac, SecretKeyBytes dek) {}

  /**
   * One diversified card key.
   *
   * @throws CryptoException for a KDD that is not 10 bytes or a master key that does not fit the
   *     suite's card cipher (two-key 3DES or SM4)
   */
  public static SecretKeyBytes diversify(
      AlgorithmSuite suite, Method method, SecretKeyBytes masterKey, byte[] kdd, KeyPurpose purpose) {
    byte[] data = diversificationData(method, kdd, purpose);
    return new SecretKeyBytes(suite.cardBlockCipher().encrypt(CipherMode.ECB, masterKey, null, data));
  }

  /** All three card keys. */
  public static CardKeys diversifyAll(AlgorithmSuite suite, Method method, SecretKeyBytes masterKey, byte[] kdd) {
    return new CardKeys(
        diversify(suite, method, masterKey, kdd, KeyPurpose.ENC),
        diversify(suite, method, masterKey, kdd, KeyPurpose.MAC),
        diversify(suite, method, masterKey, kdd, KeyPurpose.DEK));
  }

  /** The 16 bytes the master key enciphers. */
  static byte[] diversificationData(Method method, byte[] kdd, KeyPurpose purpose) {
    if (kdd == null || kdd.length != Scp03.KEY_DIVERSIFICATION_DATA_BYTES) {
      throw new CryptoException("key diversification data must be " + Scp03.KEY_DIVERSIFICATION_DATA_BYTES + " bytes");
    }
    byte[] half =
        switch (method) {
          case EMV -> Arrays.copyOfRange(kdd, 4, 10);
          case VISA2 -> new byte[] {kdd[0], kdd[1], kdd[4], kdd[5], kdd[6], kdd[7]};
        };
    byte[] data = new byte[16];
    System.arraycopy(half, 0, data, 0, 6);
    data[6] = (byte) 0xF0;
    data[7] = (byte) purpose.number();
    System.arraycopy(half, 0, data, 8, 6);
    data[14] = 0x0F;
    data[15] = (byte) purpose.number();
    return data;
  }

  /**
   * The GlobalPlatform key check value (see the class comment for each cipher).
   *
   * @throws CryptoException for a key that does not fit {@code cipher}
   */
  public static byte[] keyCheckValue(BlockCipherAlgorithm cipher, SecretKeyBytes key) {
    byte[] block = new byte[cipher.blockSizeBytes()];
    switch (cipher) {
      case TDES -> {
        // all zeros
      }
      case AES, SM4 -> Arrays.fill(block, (byte) 0x01);
    }
    return Arrays.copyOf(cipher.encryptBlock(key, block), KCV_BYTES);
  }
}

package io.iotpay.foundation.crypto;

/**
 * The two algorithm families iotpay speaks. Every key, certificate, card and message names its
 * suite, and this is the one place that maps a suite to its algorithms: no caller names an
 * algorithm string.
 */
public enum AlgorithmSuite {
  /** 3DES and AES MACs, SHA-256, ECDSA P-256. */
  INTERNATIONAL(
      DigestAlgorithm.SHA_256,
      SignatureAlgorithm.ECDSA_P256_SHA256,
      BlockCipherAlgorithm.AES,
      BlockCipherAlgorithm.TDES,
      MacAlgorithm.AES_CMAC,
      MacAlgorithm.ISO9797_1_M3,
      KeyAgreementAlgorithm.ECDH_P256),
  /** SM4 MACs, SM3, SM2 (the Chinese national commercial algorithms). */
  NATIONAL(
      DigestAlgorithm.SM3,
      SignatureAlgorithm.SM2_SM3,
      BlockCipherAlgorithm.SM4,
      BlockCipherAlgorithm.SM4,
      MacAlgorithm.SM4_CMAC,
      MacAlgorithm.PBOC_SM4,
      KeyAgreementAlgorithm.SM2_KEY_EXCHANGE);

  private final DigestAlgorithm digest;
  private final SignatureAlgorithm signature;
  private final BlockCipherAlgorithm blockCipher;
  private final BlockCipherAlgorithm cardBlockCipher;
  private final MacAlgorithm mac;
  private final MacAlgorithm cardMac;
  private final KeyAgreementAlgorithm keyAgreement;

  AlgorithmSuite(
      DigestAlgorithm digest,
      SignatureAlgorithm signature,
      BlockCipherAlgorithm blockCipher,
      BlockCipherAlgorithm cardBlockCipher,
      MacAlgorithm mac,
      MacAlgorithm cardMac,
      KeyAgreementAlgorithm keyAgreement) {
    this.digest = digest;
    this.signature = signature;
    this.blockCipher = blockCipher;
    this.cardBlockCipher = cardBlockCipher;
    this.mac = mac;
    this.cardMac = cardMac;
    this.keyAgreement = keyAgreement;
  }

  /** Host-side block cipher: AES or SM4. */
  public BlockCipherAlgorithm blockCipher() {
    return blockCipher;
  }

  /**
   * Block cipher of card keys (EMV/PBOC key derivation, session keys, SCP02): two-key 3DES or
   * SM4.
   */
  public BlockCipherAlgorithm cardBlockCipher() {
    return cardBlockCipher;
  }

  /** Host-side MAC: AES-CMAC or SM4-CMAC. */
  public MacAlgorithm mac() {
    return mac;
  }

  /** MAC cards compute: the ISO/IEC 9797-1 retail MAC or the PBOC SM4 MAC. */
  public MacAlgorithm cardMac() {
    return cardMac;
  }

  /** Key agreement: ECDH P-256 or the SM2 key exchange. */
  public KeyAgreementAlgorithm keyAgreement() {
    return keyAgreement;
  }

  /** The curve of this suite's keys ({@code secp256r1} or {@code sm2p256v1}). */
  public String curveName() {
    return signature.curveName();
  }

  public DigestAlgorithm digest() {
    return digest;
  }

  public SignatureAlgorithm signature() {
    return signature;
  }

  /**
   * Parses a suite name (any case).
   *
   * @throws CryptoException naming the unknown suite
   */
  public static AlgorithmSuite byName(String name) {
    for (AlgorithmSuite suite : values()) {
      if (suite.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return suite;
      }
    }
    throw new CryptoException("unknown suite '" + name + "' (expected INTERNATIONAL or NATIONAL)");
  }
}

package io.iotpay.foundation.crypto;

/**
 * The two algorithm families iotpay speaks. Every key, certificate, card and message names its
 * suite, and this is the one place that maps a suite to its algorithms: no caller names an
 * algorithm string.
 */
public enum AlgorithmSuite {
  /** 3DES and AES MACs, SHA-256, ECDSA P-256. */
  INTERNATIONAL(DigestAlgorithm.SHA_256, SignatureAlgorithm.ECDSA_P256_SHA256),
  /** SM4 MACs, SM3, SM2 (the Chinese national commercial algorithms). */
  NATIONAL(DigestAlgorithm.SM3, SignatureAlgorithm.SM2_SM3);

  private final DigestAlgorithm digest;
  private final SignatureAlgorithm signature;

  AlgorithmSuite(DigestAlgorithm digest, SignatureAlgorithm signature) {
    this.digest = digest;
    this.signature = signature;
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

package io.iotpay.foundation.crypto.oda;

/** The bounds every ODA input is checked against before any arithmetic runs. */
public final class OdaLimits {
  /** Largest RSA modulus: 1984 bits, the largest CA key EMV Book 2 section 5.1 allows (N_CA ≤ 248). */
  public static final int RSA_MODULUS_BYTES_MAX = 248;
  /**
   * Smallest RSA modulus accepted: 512 bits. Below it an ICC certificate (N_I − 42 bytes of key)
   * has no room, and no scheme has issued such keys; it also keeps recovery from running on junk.
   */
  public static final int RSA_MODULUS_BYTES_MIN = 64;
  /** RSA public exponent at most 3 bytes (Book 2: 3 or 2^16 + 1). */
  public static final int RSA_EXPONENT_BYTES_MAX = 3;
  /**
   * Static data to be authenticated: the AFL records marked for ODA plus the AIP. Eight full
   * 254-byte records fit; real cards sign one to three.
   */
  public static final int STATIC_DATA_BYTES_MAX = 2048;
  /** Terminal dynamic data (the DDOL or fDDA data); Book 3 caps a DOL's data far below this. */
  public static final int TERMINAL_DATA_BYTES_MAX = 256;
  /** Application PAN (5A): at most 19 digits, 10 bytes of cn. */
  public static final int PAN_BYTES_MAX = 10;
  /** Keys one terminal trusts (all schemes, both suites). */
  public static final int TRUSTED_CA_KEYS_MAX = 256;
  /** Entries of one CA revocation list. */
  public static final int REVOKED_CERTIFICATES_MAX = 100_000;

  private OdaLimits() {}
}

package io.iotpay.foundation.crypto;

import java.util.Locale;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SM3Digest;

/** Hash functions of the two suites. Both produce 32 bytes. */
public enum DigestAlgorithm {
  SHA_256("SHA-256"),
  SM3("SM3");

  private final String displayName;

  DigestAlgorithm(String displayName) {
    this.displayName = displayName;
  }

  /** The name operators type ({@code SHA-256}, {@code SM3}). */
  public String displayName() {
    return displayName;
  }

  /** Output length in bytes. */
  public int lengthBytes() {
    return 32;
  }

  /** The digest of the concatenation of {@code parts}. */
  public byte[] digest(byte[]... parts) {
    Digest digest = newBcDigest();
    for (byte[] part : parts) {
      digest.update(part, 0, part.length);
    }
    byte[] out = new byte[digest.getDigestSize()];
    digest.doFinal(out, 0);
    return out;
  }

  /**
   * A fresh, reusable digest engine; not thread-safe. SHA-256 is the JDK's (hardware-accelerated
   * where the CPU has SHA extensions), SM3 BouncyCastle's.
   */
  public Digest newBcDigest() {
    return switch (this) {
      case SHA_256 -> new JdkDigest("SHA-256");
      case SM3 -> new SM3Digest();
    };
  }

  /**
   * Parses an operator's name ({@code SHA-256}, {@code SHA256}, {@code SM3}; any case).
   *
   * @throws CryptoException naming the unknown algorithm and the accepted ones
   */
  public static DigestAlgorithm byName(String name) {
    String normalised = name == null ? "" : name.trim().toUpperCase(Locale.ROOT).replace("_", "-");
    return switch (normalised) {
      case "SHA-256", "SHA256" -> SHA_256;
      case "SM3" -> SM3;
      default -> throw new CryptoException("unknown digest algorithm '" + name + "' (expected SHA-256 or SM3)");
    };
  }
}

package io.iotpay.foundation.crypto;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.Digest;

/**
 * The JDK's own SHA-256 behind BouncyCastle's {@link Digest} interface. HotSpot compiles the JDK's
 * SHA-256 to the CPU's SHA extensions where they exist, several times faster than a pure-Java
 * engine, and hashing is the audit log's hot path. Not thread-safe, like every engine.
 */
final class JdkDigest implements Digest {
  private final MessageDigest digest;
  private final String name;

  JdkDigest(String jdkName) {
    try {
      this.digest = MessageDigest.getInstance(jdkName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no " + jdkName + ", which every Java SE platform must provide", e);
    }
    this.name = jdkName;
  }

  @Override
  public String getAlgorithmName() {
    return name;
  }

  @Override
  public int getDigestSize() {
    return digest.getDigestLength();
  }

  @Override
  public void update(byte in) {
    digest.update(in);
  }

  @Override
  public void update(byte[] in, int offset, int length) {
    digest.update(in, offset, length);
  }

  @Override
  public int doFinal(byte[] out, int offset) {
    try {
      return digest.digest(out, offset, digest.getDigestLength());
    } catch (DigestException e) {
      throw new IllegalArgumentException("output buffer too short for " + name + " at offset " + offset, e);
    }
  }

  @Override
  public void reset() {
    digest.reset();
  }
}

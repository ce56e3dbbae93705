package io.iotpay.acquirer.pos.merchant;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * HMAC (SHA-256 or SM3 by suite) under the acquirer's matching key: identity numbers are stored and
 * compared as this hash, so the database alone does not reveal them and cannot be searched by
 * guessing without the key.
 */
public final class KeyedHash {
  /** Shortest key, bytes: a 256-bit key for a 256-bit hash. */
  public static final int KEY_BYTES_MIN = 32;

  private final AlgorithmSuite suite;
  private final byte[] key;

  /** @param key at least {@value #KEY_BYTES_MIN} bytes; copied */
  public KeyedHash(AlgorithmSuite suite, byte[] key) {
    Assert.notNull(suite, "suite");
    Assert.that(key != null && key.length >= KEY_BYTES_MIN, "matching key must have at least {} bytes", KEY_BYTES_MIN);
    this.suite = suite;
    this.key = key.clone();
  }

  /** The hash of {@code domain} and {@code value} (domain-separated: a licence never matches an identity). */
  public byte[] of(String domain, String value) {
    HMac mac = new HMac(suite.digest().newBcDigest());
    mac.init(new KeyParameter(key));
    byte[] input = (domain + "\u0000" + value).getBytes(StandardCharsets.UTF_8);
    mac.update(input, 0, input.length);
    byte[] out = new byte[mac.getMacSize()];
    mac.doFinal(out, 0);
    Arrays.fill(input, (byte) 0);
    return out;
  }

  @Override
  public String toString() {
    return "KeyedHash[suite=" + suite + ", key=***]";
  }
}

package io.iotpay.foundation.crypto;

import io.iotpay.foundation.Assert;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * Seals a stored record that must carry a secret (a queued message holding a full PAN): the
 * suite's host block cipher (AES or SM4) in CBC from a random IV over the record padded by ISO/IEC
 * 9797-1 method 2, then the suite's CMAC under a second key over IV and ciphertext
 * (encrypt-then-MAC). {@link #open} checks the MAC in constant time before it decrypts anything.
 */
public final class RecordSeal {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final AlgorithmSuite suite;
  private final SecretKeyBytes sealKey;
  private final SecretKeyBytes macKey;

  /** Two distinct 16-byte keys of {@code suite}. */
  public RecordSeal(AlgorithmSuite suite, SecretKeyBytes sealKey, SecretKeyBytes macKey) {
    this.suite = Assert.notNull(suite, "suite");
    this.sealKey = Assert.notNull(sealKey, "sealKey");
    this.macKey = Assert.notNull(macKey, "macKey");
    Assert.that(!sealKey.equals(macKey), "the seal and MAC keys must differ");
  }

  /** IV, ciphertext (padding method 2) and a MAC over both. */
  public byte[] seal(byte[] plain) {
    int block = suite.blockCipher().blockSizeBytes();
    byte[] iv = new byte[block];
    RANDOM.nextBytes(iv);
    byte[] cipher = suite.blockCipher().encrypt(CipherMode.CBC, sealKey, iv, MacPadding.METHOD_2.pad(plain, block));
    byte[] body = concat(iv, cipher);
    return concat(body, suite.mac().mac(macKey, body, null));
  }

  /** The plain bytes, or empty when the MAC does not verify (a damaged or foreign record). */
  public Optional<byte[]> open(byte[] sealed) {
    int block = suite.blockCipher().blockSizeBytes();
    int macBytes = suite.mac().macLengthBytes();
    if (sealed == null || sealed.length < 2 * block + macBytes || (sealed.length - macBytes) % block != 0) {
      return Optional.empty();
    }
    byte[] body = Arrays.copyOf(sealed, sealed.length - macBytes);
    byte[] mac = Arrays.copyOfRange(sealed, body.length, sealed.length);
    if (!MessageDigest.isEqual(mac, suite.mac().mac(macKey, body, null))) {
      return Optional.empty();
    }
    byte[] padded = suite.blockCipher().decrypt(CipherMode.CBC, sealKey, Arrays.copyOf(body, block),
        Arrays.copyOfRange(body, block, body.length));
    int end = padded.length - 1;
    while (end >= 0 && padded[end] == 0) {
      end--;
    }
    return end >= 0 && padded[end] == (byte) 0x80 ? Optional.of(Arrays.copyOf(padded, end)) : Optional.empty();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Override
  public String toString() {
    return "RecordSeal[" + suite + "]"; // never the keys
  }
}

package io.iotpay.issuer.card;

import io.iotpay.foundation.codec.Bytes;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.CipherMode;
import io.iotpay.foundation.crypto.CryptoException;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issuer keys at rest: each key is held only wrapped under a master key given at start-up
 * (encrypt-then-MAC: CBC with a random IV under an encryption key, then CMAC over name, IV and
 * ciphertext under a MAC key; both keys derived from the master by encrypting two constant blocks).
 * The wrapping cipher is the host cipher of {@code wrapSuite} (AES or SM4). Keys are unwrapped per
 * use and never logged; {@link #toString()} names only the entries.
 */
public final class KeyVault {
  private final AlgorithmSuite wrapSuite;
  private final SecretKeyBytes encKey;
  private final SecretKeyBytes macKey;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, byte[]> wrapped = new ConcurrentHashMap<>();

  /**
   * @param wrapSuite which host cipher wraps (AES for INTERNATIONAL, SM4 for NATIONAL)
   * @param masterKey 16 bytes, never null; not retained
   * @throws CryptoException for a master key the cipher refuses
   */
  public KeyVault(AlgorithmSuite wrapSuite, SecretKeyBytes masterKey) {
    this.wrapSuite = wrapSuite;
    int block = wrapSuite.blockCipher().blockSizeBytes();
    byte[] one = new byte[block];
    byte[] two = new byte[block];
    Arrays.fill(one, (byte) 0x01);
    Arrays.fill(two, (byte) 0x02);
    // Distinct keys for secrecy and integrity, so neither use can leak the other.
    this.encKey = new SecretKeyBytes(wrapSuite.blockCipher().encryptBlock(masterKey, one));
    this.macKey = new SecretKeyBytes(wrapSuite.blockCipher().encryptBlock(masterKey, two));
  }

  /** Stores {@code key} wrapped under {@code name}, replacing any earlier key of that name. */
  public void put(String name, SecretKeyBytes key) {
    int block = wrapSuite.blockCipher().blockSizeBytes();
    byte[] plain = key.value();
    // ISO 9797-1 padding method 2 so any key length (8..32) round-trips.
    byte[] padded = Arrays.copyOf(plain, (plain.length / block + 1) * block);
    padded[plain.length] = (byte) 0x80;
    byte[] iv = new byte[block];
    random.nextBytes(iv);
    byte[] cipherText = wrapSuite.blockCipher().encrypt(CipherMode.CBC, encKey, iv, padded);
    Arrays.fill(padded, (byte) 0);
    Arrays.fill(plain, (byte) 0);
    byte[] body = Bytes.concat(iv, cipherText);
    wrapped.put(name, Bytes.concat(body, tag(name, body)));
  }

  /**
   * The key stored under {@code name}, unwrapped.
   *
   * @throws CryptoException when no such key exists or its wrapped form fails its integrity check
   */
  public SecretKeyBytes get(String name) {
    byte[] stored = wrapped.get(name);
    if (stored == null) {
      throw new CryptoException("key vault: no key named '" + name + "'");
    }
    int tagBytes = wrapSuite.mac().macLengthBytes();
    byte[] body = Arrays.copyOf(stored, stored.length - tagBytes);
    byte[] tag = Arrays.copyOfRange(stored, stored.length - tagBytes, stored.length);
    if (!MessageDigest.isEqual(tag(name, body), tag)) {
      throw new CryptoException("key vault: key '" + name + "' fails its integrity check");
    }
    int block = wrapSuite.blockCipher().blockSizeBytes();
    byte[] padded = wrapSuite.blockCipher().decrypt(CipherMode.CBC, encKey,
        Arrays.copyOf(body, block), Arrays.copyOfRange(body, block, body.length));
    int end = padded.length - 1;
    while (end > 0 && padded[end] == 0) {
      end--;
    }
    if (padded[end] != (byte) 0x80) {
      throw new CryptoException("key vault: key '" + name + "' has bad padding");
    }
    SecretKeyBytes key = new SecretKeyBytes(Arrays.copyOf(padded, end));
    Arrays.fill(padded, (byte) 0);
    return key;
  }

  /** The wrapped (at-rest) form of a key, e.g. for a backup; never the key itself. Null when absent. */
  public byte[] wrappedForm(String name) {
    byte[] stored = wrapped.get(name);
    return stored == null ? null : stored.clone();
  }

  /**
   * Loads a key in its wrapped form (e.g. from a backup made with {@link #wrappedForm}); it is
   * checked when first used.
   *
   * @throws CryptoException when the wrapped form is too short to be one
   */
  public void putWrapped(String name, byte[] wrappedForm) {
    int block = wrapSuite.blockCipher().blockSizeBytes();
    if (wrappedForm == null || wrappedForm.length < 2 * block + wrapSuite.mac().macLengthBytes()) {
      throw new CryptoException("key vault: wrapped form of '" + name + "' is too short");
    }
    wrapped.put(name, wrappedForm.clone());
  }

  @Override
  public String toString() {
    return "KeyVault[" + wrapSuite + ", keys=" + wrapped.keySet() + "]";
  }

  private byte[] tag(String name, byte[] body) {
    return wrapSuite.mac().mac(macKey, Bytes.concat(name.getBytes(StandardCharsets.UTF_8), body), null);
  }
}

package io.iotpay.switching.online;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.CipherMode;
import io.iotpay.foundation.crypto.MacPadding;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.Pan;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The switch's keys for what it stores: a key for the PAN hash the log and the limits use (so a
 * card is recognised without its number being kept), and a key that seals queued advices (they
 * must carry the full PAN to the issuer, so the queue holds them encrypted and MACed).
 * Host-side algorithms of the suite: AES or SM4 (CBC, random IV) and AES-CMAC or SM4-CMAC.
 */
public final class StoreKeys {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final AlgorithmSuite suite;
  private final SecretKeyBytes panHashKey;
  private final SecretKeyBytes sealKey;
  private final SecretKeyBytes sealMacKey;

  /** Three distinct 16-byte keys. */
  public StoreKeys(AlgorithmSuite suite, SecretKeyBytes panHashKey, SecretKeyBytes sealKey, SecretKeyBytes sealMacKey) {
    this.suite = Assert.notNull(suite, "suite");
    this.panHashKey = Assert.notNull(panHashKey, "panHashKey");
    this.sealKey = Assert.notNull(sealKey, "sealKey");
    this.sealMacKey = Assert.notNull(sealMacKey, "sealMacKey");
    Assert.that(!panHashKey.equals(sealKey) && !sealKey.equals(sealMacKey) && !panHashKey.equals(sealMacKey),
        "store keys must be distinct");
  }

  /** The keyed hash of a PAN, 32 hex characters: the same card always gives the same value. */
  public String panHash(Pan pan) {
    byte[] mac = suite.mac().mac(panHashKey, pan.digits().getBytes(StandardCharsets.US_ASCII), null);
    return HexFormat.of().formatHex(mac);
  }

  /** IV, ciphertext (padding method 2) and a MAC over both. */
  byte[] seal(byte[] plain) {
    int block = suite.blockCipher().blockSizeBytes();
    byte[] iv = new byte[block];
    RANDOM.nextBytes(iv);
    byte[] cipher = suite.blockCipher().encrypt(CipherMode.CBC, sealKey, iv, MacPadding.METHOD_2.pad(plain, block));
    byte[] body = concat(iv, cipher);
    return concat(body, suite.mac().mac(sealMacKey, body, null));
  }

  /** The plain bytes, or empty when the MAC does not verify (a damaged or foreign row). */
  Optional<byte[]> open(byte[] sealed) {
    int block = suite.blockCipher().blockSizeBytes();
    int macBytes = suite.mac().macLengthBytes();
    if (sealed.length < 2 * block + macBytes || (sealed.length - macBytes) % block != 0) {
      return Optional.empty();
    }
    byte[] body = Arrays.copyOf(sealed, sealed.length - macBytes);
    byte[] mac = Arrays.copyOfRange(sealed, body.length, sealed.length);
    if (!MessageDigest.isEqual(mac, suite.mac().mac(sealMacKey, body, null))) {
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
    return "StoreKeys[" + suite + "]";
  }
}

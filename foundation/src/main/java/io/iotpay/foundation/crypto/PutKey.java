package io.iotpay.foundation.crypto;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The key data of a GlobalPlatform PUT KEY command: new keys, each enciphered under the DEK, with
 * its key check value. This is how a security domain receives the keys of the domain or application
 * below it.
 *
 * <ul>
 *   <li><b>SCP02</b> (GP Card Specification 2.2 11.8.2.3, INTERNATIONAL, two-key 3DES): each key is
 *       {@code 80 | 10 | 3DES-ECB(session DEK, key) | 03 | KCV}; the KCV is that of {@link
 *       KeyDiversification#keyCheckValue} (zero block).
 *   <li><b>SCP03</b> (Amendment D 7.x, AES): each key is {@code 88 | 1 + n | n | AES-CBC(static DEK,
 *       zero ICV, key) | 03 | KCV} with n = 16 or 32 key bytes and the AES KCV (block of 01).
 *   <li><b>SM4 analogue</b> (NATIONAL, ours): the SCP03 layout with SM4 and the key type {@link
 *       #KEY_TYPE_SM4}; GlobalPlatform assigns no SM4 key type that we found, so the value is ours.
 * </ul>
 *
 * <p>The field starts with the new key version number; {@link #parse} (the card's side, for
 * simulators) deciphers the keys and checks each KCV.
 */
public final class PutKey {
  public static final int KEY_TYPE_DES = 0x80;
  public static final int KEY_TYPE_AES = 0x88;

  /** iotpay's key type for SM4 keys (see the class comment). */
  public static final int KEY_TYPE_SM4 = 0xC8;

  /** PUT KEY carries at most three keys (ENC, MAC, DEK) in one command. */
  public static final int KEYS_MAX = 3;

  private PutKey() {}

  /** Which secure channel's layout and DEK. */
  public enum Protocol {
    SCP02,
    SCP03
  }

  /**
   * The PUT KEY data field for {@code keys} under {@code dek} (SCP02: the session DEK; SCP03: the
   * static DEK).
   *
   * @param keyVersion the new key version number, 1..127
   * @throws CryptoException for a protocol the suite does not have (NATIONAL has only the SCP03
   *     layout), a key or DEK of the wrong length, or 0 or more than 3 keys
   */
  public static byte[] dataField(
      AlgorithmSuite suite, Protocol protocol, SecretKeyBytes dek, int keyVersion, List<SecretKeyBytes> keys) {
    if (keyVersion < 1 || keyVersion > 0x7F) {
      throw new CryptoException("PUT KEY: key version " + keyVersion + " is outside 1..127");
    }
    if (keys == null || keys.isEmpty() || keys.size() > KEYS_MAX) {
      throw new CryptoException("PUT KEY: 1 to " + KEYS_MAX + " keys");
    }
    BlockCipherAlgorithm cipher = cipher(suite, protocol);
    byte[] out = new byte[1 + keys.size() * (3 + 1 + 32 + 4)];
    out[0] = (byte) keyVersion;
    int at = 1;
    for (SecretKeyBytes key : keys) {
      byte[] block = keyBlock(cipher, protocol, dek, key);
      System.arraycopy(block, 0, out, at, block.length);
      at += block.length;
    }
    return Arrays.copyOf(out, at);
  }

  private static byte[] keyBlock(BlockCipherAlgorithm cipher, Protocol protocol, SecretKeyBytes dek, SecretKeyBytes key) {
    checkKeyLength(cipher, key);
    byte[] encrypted =
        switch (protocol) {
          case SCP02 -> cipher.encrypt(CipherMode.ECB, dek, null, key.unsafeBytes());
          case SCP03 -> cipher.encrypt(CipherMode.CBC, dek, null, key.unsafeBytes());
        };
    byte[] kcv = KeyDiversification.keyCheckValue(cipher, key);
    int header = protocol == Protocol.SCP02 ? 2 : 3;
    byte[] out = new byte[header + encrypted.length + 1 + kcv.length];
    out[0] = (byte) keyType(cipher);
    out[1] = (byte) (protocol == Protocol.SCP02 ? encrypted.length : encrypted.length + 1);
    if (protocol == Protocol.SCP03) {
      out[2] = (byte) encrypted.length;
    }
    System.arraycopy(encrypted, 0, out, header, encrypted.length);
    out[header + encrypted.length] = (byte) kcv.length;
    System.arraycopy(kcv, 0, out, header + encrypted.length + 1, kcv.length);
    return out;
  }

  /** The keys a PUT KEY carried, deciphered and checked; the card's side. */
  public record Received(int keyVersion, List<SecretKeyBytes> keys) {}

  /**
   * Deciphers a PUT KEY data field and checks every key's type, lengths and KCV.
   *
   * @throws CryptoException naming the first defect (a truncated field, a wrong type or length, a
   *     KCV that does not match, more than 3 keys or trailing bytes)
   */
  public static Received parse(AlgorithmSuite suite, Protocol protocol, SecretKeyBytes dek, byte[] field) {
    BlockCipherAlgorithm cipher = cipher(suite, protocol);
    if (field == null || field.length < 1) {
      throw new CryptoException("PUT KEY: empty data field");
    }
    int keyVersion = field[0] & 0xFF;
    List<SecretKeyBytes> keys = new ArrayList<>();
    int at = 1;
    while (at < field.length) {
      if (keys.size() == KEYS_MAX) {
        throw new CryptoException("PUT KEY: more than " + KEYS_MAX + " keys");
      }
      at = parseKey(cipher, protocol, dek, field, at, keys);
    }
    if (keys.isEmpty()) {
      throw new CryptoException("PUT KEY: no key after the key version");
    }
    return new Received(keyVersion, List.copyOf(keys));
  }

  /** Parses one key block at {@code at}; returns the offset after it. */
  private static int parseKey(
      BlockCipherAlgorithm cipher, Protocol protocol, SecretKeyBytes dek, byte[] field, int at, List<SecretKeyBytes> keys) {
    int header = protocol == Protocol.SCP02 ? 2 : 3;
    require(field.length >= at + header, "key block header is truncated", at);
    require((field[at] & 0xFF) == keyType(cipher), "key type is not " + Integer.toHexString(keyType(cipher)), at);
    int length = protocol == Protocol.SCP02 ? field[at + 1] & 0xFF : field[at + 2] & 0xFF;
    if (protocol == Protocol.SCP03) {
      require((field[at + 1] & 0xFF) == length + 1, "key data length does not match the component length", at);
    }
    require(length == 16 || (length == 32 && cipher == BlockCipherAlgorithm.AES), "key of " + length + " bytes", at);
    int kcvAt = at + header + length;
    require(field.length >= kcvAt + 1 + KeyDiversification.KCV_BYTES, "key block is truncated", at);
    require((field[kcvAt] & 0xFF) == KeyDiversification.KCV_BYTES, "KCV length is not 3", at);
    byte[] encrypted = Arrays.copyOfRange(field, at + header, kcvAt);
    byte[] clear =
        switch (protocol) {
          case SCP02 -> cipher.decrypt(CipherMode.ECB, dek, null, encrypted);
          case SCP03 -> cipher.decrypt(CipherMode.CBC, dek, null, encrypted);
        };
    SecretKeyBytes key = new SecretKeyBytes(clear);
    Arrays.fill(clear, (byte) 0);
    byte[] kcv = Arrays.copyOfRange(field, kcvAt + 1, kcvAt + 1 + KeyDiversification.KCV_BYTES);
    require(MessageDigest.isEqual(KeyDiversification.keyCheckValue(cipher, key), kcv), "KCV does not match the key", at);
    keys.add(key);
    return kcvAt + 1 + KeyDiversification.KCV_BYTES;
  }

  private static void require(boolean condition, String what, int offset) {
    if (!condition) {
      throw new CryptoException("PUT KEY: " + what + " (key block at offset " + offset + ")");
    }
  }

  private static BlockCipherAlgorithm cipher(AlgorithmSuite suite, Protocol protocol) {
    return switch (suite) {
      case INTERNATIONAL ->
          switch (protocol) {
            case SCP02 -> BlockCipherAlgorithm.TDES;
            case SCP03 -> BlockCipherAlgorithm.AES;
          };
      case NATIONAL ->
          switch (protocol) {
            case SCP02 -> throw new CryptoException("PUT KEY: NATIONAL keys use the SCP03 layout (SM4)");
            case SCP03 -> BlockCipherAlgorithm.SM4;
          };
    };
  }

  private static int keyType(BlockCipherAlgorithm cipher) {
    return switch (cipher) {
      case TDES -> KEY_TYPE_DES;
      case AES -> KEY_TYPE_AES;
      case SM4 -> KEY_TYPE_SM4;
    };
  }

  private static void checkKeyLength(BlockCipherAlgorithm cipher, SecretKeyBytes key) {
    boolean fits = key.lengthBytes() == 16 || (cipher == BlockCipherAlgorithm.AES && key.lengthBytes() == 32);
    if (!fits) {
      throw new CryptoException("PUT KEY: a " + cipher.displayName() + " key of " + key.lengthBytes()
          + " bytes (16, or 32 for AES; AES-192 would need padding, which iotpay does not send)");
    }
  }
}

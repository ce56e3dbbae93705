package io.iotpay.foundation.crypto;

import io.iotpay.foundation.codec.Hex;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Raw symmetric key material. The bytes are copied in and out so no caller can change a key
 * another holds, and {@link #toString()} prints only the length: a key must never reach a log.
 *
 * @param value the key bytes; never null (the record keeps its own copy)
 */
public record SecretKeyBytes(byte[] value) {
  /** Keys longer than this are rejected before any algorithm looks at them. */
  public static final int LENGTH_BYTES_MAX = 32;

  /**
   * @throws CryptoException when {@code value} is null, empty or longer than {@link
   *     #LENGTH_BYTES_MAX}
   */
  public SecretKeyBytes {
    if (value == null || value.length == 0) {
      throw new CryptoException("key: empty (expected 8 to 32 bytes)");
    }
    if (value.length > LENGTH_BYTES_MAX) {
      throw new CryptoException("key: " + value.length + " bytes is longer than " + LENGTH_BYTES_MAX);
    }
    value = value.clone();
  }

  /**
   * The key from hex text.
   *
   * @throws io.iotpay.foundation.codec.CodecException when the text is not hex
   * @throws CryptoException when the length is not acceptable
   */
  public static SecretKeyBytes fromHex(String hex) {
    return new SecretKeyBytes(Hex.decode(hex));
  }

  /** A copy of the key bytes; never null. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  /** Key length in bytes. */
  public int lengthBytes() {
    return value.length;
  }

  /** The first {@code lengthBytes} bytes as a key (e.g. the left half of a 3DES key). */
  SecretKeyBytes left(int lengthBytes) {
    return new SecretKeyBytes(Arrays.copyOf(value, lengthBytes));
  }

  /** Bytes {@code from} to the end as a key (e.g. the right half of a 3DES key). */
  SecretKeyBytes right(int from) {
    return new SecretKeyBytes(Arrays.copyOfRange(value, from, value.length));
  }

  /** Package-private view without a copy, for engines that copy it themselves. */
  byte[] unsafeBytes() {
    return value;
  }

  @Override
  public boolean equals(Object other) {
    // Constant time: comparing keys must not leak how many leading bytes matched.
    return other instanceof SecretKeyBytes that && MessageDigest.isEqual(value, that.value);
  }

  @Override
  public int hashCode() {
    // Deliberately weak: a hash of key bytes would be a partial disclosure.
    return value.length;
  }

  @Override
  public String toString() {
    return "SecretKeyBytes[" + value.length + " bytes]";
  }
}

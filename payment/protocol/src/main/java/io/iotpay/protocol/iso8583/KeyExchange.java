package io.iotpay.protocol.iso8583;

import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.FIELD_INVALID;

import io.iotpay.foundation.codec.Hex;
import java.util.Arrays;

/**
 * Field 48 of an 0800/101: a new zone authentication key encrypted under the zone master key
 * (ECB, 16 bytes) and its key check value (3 bytes), as 38 upper-case hex characters. Neither part
 * reveals the key; {@link #toString()} shows the check value only, as key ceremonies do.
 *
 * @param encryptedKey 16 bytes
 * @param checkValue 3 bytes
 */
public record KeyExchange(byte[] encryptedKey, byte[] checkValue) {
  public static final int ENCRYPTED_KEY_BYTES = 16;
  public static final int CHECK_VALUE_BYTES = 3;

  /** @throws Iso8583Exception FIELD_INVALID for other lengths */
  public KeyExchange {
    if (encryptedKey == null || encryptedKey.length != ENCRYPTED_KEY_BYTES
        || checkValue == null || checkValue.length != CHECK_VALUE_BYTES) {
      throw new Iso8583Exception(FIELD_INVALID, "field 48 key exchange needs a 16-byte key and a 3-byte check value");
    }
    encryptedKey = encryptedKey.clone();
    checkValue = checkValue.clone();
  }

  @Override
  public byte[] encryptedKey() {
    return encryptedKey.clone();
  }

  @Override
  public byte[] checkValue() {
    return checkValue.clone();
  }

  /** The 38 hex characters of field 48. */
  public String field48() {
    return Hex.encode(encryptedKey).toUpperCase(java.util.Locale.ROOT) + Hex.encode(checkValue).toUpperCase(java.util.Locale.ROOT);
  }

  /** Parses field 48. */
  public static KeyExchange parse(String field48) {
    int hexLength = 2 * (ENCRYPTED_KEY_BYTES + CHECK_VALUE_BYTES);
    if (field48 == null || field48.length() != hexLength || !field48.matches("[0-9A-F]+")) {
      throw new Iso8583Exception(FIELD_INVALID, "field 48 must be " + hexLength + " upper-case hex characters");
    }
    byte[] all = Hex.decode(field48);
    return new KeyExchange(Arrays.copyOf(all, ENCRYPTED_KEY_BYTES), Arrays.copyOfRange(all, ENCRYPTED_KEY_BYTES, all.length));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyExchange that && Arrays.equals(encryptedKey, that.encryptedKey)
        && Arrays.equals(checkValue, that.checkValue);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(checkValue);
  }

  @Override
  public String toString() {
    return "KeyExchange[kcv=" + Hex.encode(checkValue).toUpperCase(java.util.Locale.ROOT) + "]";
  }
}

package io.iotpay.foundation.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.BlockCipher;

/**
 * ISO 9564-1:2017 PIN blocks.
 *
 * <p><b>Format 4</b> (16 bytes, for a 128-bit block cipher): the plain PIN field is {@code 4 | N |
 * PIN digits | fill 'A' to 16 nibbles | 8 random bytes}; the PAN field is {@code M | PAN digits |
 * zeros}, M = PAN length − 12 (0 when shorter, and the PAN then left-padded with zeros to 12
 * digits). Encipherment (ISO 9564-1:2017 9.4.2): intermediate block A = E(K, PIN field); block B =
 * A ⊕ PAN field; the PIN block is E(K, B). Deciphering runs the steps backwards. INTERNATIONAL uses
 * AES; NATIONAL uses SM4 in the same construction (iotpay's choice: SM4 is the national 128-bit
 * block cipher, and format 4 is defined for any 128-bit block cipher, so no new format is needed;
 * see docs/pin-and-dukpt.md).
 *
 * <p><b>Formats 0 and 1</b> (8 bytes, two-key 3DES; for zones that still speak them): format 0 is
 * {@code 0 | N | PIN | fill F} ⊕ {@code 0000 | the 12 rightmost PAN digits without the check digit};
 * format 1 is {@code 1 | N | PIN | random fill}, no PAN.
 *
 * <p>A clear PIN lives only in a {@link ClearPin} (a {@code byte[]} wiped on {@link ClearPin#close});
 * intermediate blocks are wiped before each method returns. Deciphering failures carry one message
 * whatever the defect: a detailed reason would tell an attacker which bits of a forged block were
 * right. Messages never contain the PAN.
 */
public final class PinBlock {
  public static final int PIN_DIGITS_MIN = 4;
  public static final int PIN_DIGITS_MAX = 12;

  /** Longest PAN (ISO/IEC 7812). */
  public static final int PAN_DIGITS_MAX = 19;

  /** Shortest PAN format 0 accepts: 12 digits plus the check digit. */
  public static final int PAN_DIGITS_MIN_FORMAT_0 = 13;

  public static final int FORMAT_4_BYTES = 16;
  public static final int FORMAT_0_BYTES = 8;

  /** Random bytes in the second half of a format 4 PIN field. */
  static final int FORMAT_4_RANDOM_BYTES = 8;

  private static final String INVALID_BLOCK = "PIN block: does not decipher to a valid PIN field";

  private PinBlock() {}

  /**
   * A PIN in the clear, as decimal digit values in a {@code byte[]} that {@link #close} overwrites.
   * Never a {@code String}; {@link #toString} prints no digit. Not thread-safe.
   */
  public static final class ClearPin implements AutoCloseable {
    private final byte[] digits;
    private boolean wiped;

    private ClearPin(byte[] digits) {
      this.digits = digits;
    }

    /**
     * A copy of the PIN typed on a keypad; the caller should wipe its {@code char[]} afterwards.
     *
     * @throws CryptoException for fewer than 4 or more than 12 characters, or a non-digit (the
     *     message gives the position, never the character)
     */
    public static ClearPin fromChars(char[] pin) {
      if (pin == null || pin.length < PIN_DIGITS_MIN || pin.length > PIN_DIGITS_MAX) {
        throw new CryptoException("PIN: must be " + PIN_DIGITS_MIN + " to " + PIN_DIGITS_MAX + " digits");
      }
      byte[] digits = new byte[pin.length];
      for (int i = 0; i < pin.length; i++) {
        if (pin[i] < '0' || pin[i] > '9') {
          Arrays.fill(digits, (byte) 0);
          throw new CryptoException("PIN: character at position " + i + " is not a decimal digit");
        }
        digits[i] = (byte) (pin[i] - '0');
      }
      return new ClearPin(digits);
    }

    /** Number of digits. */
    public int length() {
      checkNotWiped();
      return digits.length;
    }

    /** True when both PINs have the same digits; constant time in the digits' values. */
    public boolean matches(ClearPin other) {
      checkNotWiped();
      other.checkNotWiped();
      byte[] mine = Arrays.copyOf(digits, PIN_DIGITS_MAX);
      byte[] theirs = Arrays.copyOf(other.digits, PIN_DIGITS_MAX);
      boolean same = MessageDigest.isEqual(mine, theirs) & digits.length == other.digits.length;
      Arrays.fill(mine, (byte) 0);
      Arrays.fill(theirs, (byte) 0);
      return same;
    }

    /** The digits as characters, into a fresh array the caller must wipe (for a keypad or HSM). */
    public char[] toChars() {
      checkNotWiped();
      char[] out = new char[digits.length];
      for (int i = 0; i < digits.length; i++) {
        out[i] = (char) ('0' + digits[i]);
      }
      return out;
    }

    int digit(int index) {
      checkNotWiped();
      return digits[index];
    }

    private void checkNotWiped() {
      if (wiped) {
        throw new CryptoException("PIN: already wiped");
      }
    }

    /** Overwrites the digits; the PIN cannot be used afterwards. */
    @Override
    public void close() {
      Arrays.fill(digits, (byte) 0);
      wiped = true;
    }

    @Override
    public String toString() {
      return wiped ? "ClearPin[wiped]" : "ClearPin[hidden]";
    }
  }

  // ---------------------------------------------------------------- format 4

  /**
   * Enciphers {@code pin} as an ISO 9564 format 4 PIN block under {@code key} (AES for
   * INTERNATIONAL, SM4 for NATIONAL), with 8 fill bytes from {@code random}.
   *
   * @param pan the account number, 1 to 19 digits
   * @throws CryptoException for a key that does not fit the suite, a malformed PAN or a wiped PIN
   */
  public static byte[] encipherFormat4(
      AlgorithmSuite suite, SecretKeyBytes key, ClearPin pin, String pan, SecureRandom random) {
    byte[] fill = new byte[FORMAT_4_RANDOM_BYTES];
    random.nextBytes(fill);
    try {
      return encipherFormat4(suite, key, pin, pan, fill);
    } finally {
      Arrays.fill(fill, (byte) 0);
    }
  }

  /** Format 4 with the given fill bytes (known-answer tests fix them). */
  static byte[] encipherFormat4(AlgorithmSuite suite, SecretKeyBytes key, ClearPin pin, String pan, byte[] fill) {
    byte[] panField = panFieldFormat4(pan);
    byte[] pinField = pinFieldFormat4(pin, fill);
    try {
      return encipherFields(suite, key, pinField, panField);
    } finally {
      Arrays.fill(pinField, (byte) 0);
    }
  }

  /**
   * Deciphers a format 4 PIN block; the caller closes the returned PIN.
   *
   * @throws CryptoException for a key that does not fit, a malformed PAN, a block that is not 16
   *     bytes, or a block that does not decipher to a valid PIN field (one message for every defect)
   */
  public static ClearPin decipherFormat4(AlgorithmSuite suite, SecretKeyBytes key, byte[] block, String pan) {
    byte[] pinField = decipherFields(suite, key, block, panFieldFormat4(pan));
    try {
      return parsePinFieldFormat4(pinField);
    } finally {
      Arrays.fill(pinField, (byte) 0);
    }
  }

  /**
   * True when the block holds {@code expected} (the issuer's check against its PIN store); the
   * comparison is constant time, and a block that does not decipher is simply false.
   *
   * @throws CryptoException for a key that does not fit or a malformed PAN (caller errors, not
   *     attacker input)
   */
  public static boolean verifyFormat4(
      AlgorithmSuite suite, SecretKeyBytes key, byte[] block, String pan, ClearPin expected) {
    expected.checkNotWiped();
    byte[] panField = panFieldFormat4(pan);
    suite.blockCipher().checkKey(key);
    if (block == null || block.length != FORMAT_4_BYTES) {
      return false;
    }
    byte[] pinField = decipherFields(suite, key, block, panField);
    try (ClearPin actual = parsePinFieldFormat4(pinField)) {
      return actual.matches(expected);
    } catch (CryptoException invalid) {
      return false;
    } finally {
      Arrays.fill(pinField, (byte) 0);
    }
  }

  /**
   * PIN translation: deciphers a format 4 block under {@code fromKey} and enciphers the same PIN
   * field under {@code toKey} (e.g. the acquirer moving a PIN from the terminal's DUKPT PIN key to
   * the zone PIN key). The PIN never leaves this method; the PIN field is checked before it is
   * re-enciphered, so a forged block is not laundered into a valid one.
   *
   * @throws CryptoException as {@link #decipherFormat4}, or for a target key that does not fit
   */
  public static byte[] translateFormat4(
      AlgorithmSuite fromSuite, SecretKeyBytes fromKey, AlgorithmSuite toSuite, SecretKeyBytes toKey, byte[] block,
      String pan) {
    toSuite.blockCipher().checkKey(toKey);
    byte[] panField = panFieldFormat4(pan);
    byte[] pinField = decipherFields(fromSuite, fromKey, block, panField);
    try {
      parsePinFieldFormat4(pinField).close();
      return encipherFields(toSuite, toKey, pinField, panField);
    } finally {
      Arrays.fill(pinField, (byte) 0);
    }
  }

  private static byte[] encipherFields(AlgorithmSuite suite, SecretKeyBytes key, byte[] pinField, byte[] panField) {
    BlockCipher engine = suite.blockCipher().newEngine(key, true);
    byte[] intermediate = new byte[FORMAT_4_BYTES];
    byte[] out = new byte[FORMAT_4_BYTES];
    engine.processBlock(pinField, 0, intermediate, 0); // block A
    xorInto(intermediate, panField); // block B
    engine.processBlock(intermediate, 0, out, 0);
    Arrays.fill(intermediate, (byte) 0);
    return out;
  }

  private static byte[] decipherFields(AlgorithmSuite suite, SecretKeyBytes key, byte[] block, byte[] panField) {
    if (block == null || block.length != FORMAT_4_BYTES) {
      throw new CryptoException("PIN block: format 4 takes " + FORMAT_4_BYTES + " bytes");
    }
    BlockCipher engine = suite.blockCipher().newEngine(key, false);
    byte[] intermediate = new byte[FORMAT_4_BYTES];
    byte[] pinField = new byte[FORMAT_4_BYTES];
    engine.processBlock(block, 0, intermediate, 0); // block B
    xorInto(intermediate, panField); // block A
    engine.processBlock(intermediate, 0, pinField, 0);
    Arrays.fill(intermediate, (byte) 0);
    return pinField;
  }

  static byte[] pinFieldFormat4(ClearPin pin, byte[] fill) {
    if (fill.length != FORMAT_4_RANDOM_BYTES) {
      throw new CryptoException("PIN block: format 4 fill takes " + FORMAT_4_RANDOM_BYTES + " bytes");
    }
    byte[] field = new byte[FORMAT_4_BYTES];
    int length = pin.length();
    setNibble(field, 0, 4);
    setNibble(field, 1, length);
    for (int i = 0; i < 14; i++) {
      setNibble(field, 2 + i, i < length ? pin.digit(i) : 0xA);
    }
    System.arraycopy(fill, 0, field, 8, FORMAT_4_RANDOM_BYTES);
    return field;
  }

  private static ClearPin parsePinFieldFormat4(byte[] field) {
    int length = nibble(field, 1);
    boolean valid = nibble(field, 0) == 4 && length >= PIN_DIGITS_MIN && length <= PIN_DIGITS_MAX;
    if (!valid) {
      throw new CryptoException(INVALID_BLOCK);
    }
    byte[] digits = new byte[length];
    for (int i = 0; i < 14; i++) {
      int value = nibble(field, 2 + i);
      boolean ok = i < length ? value <= 9 : value == 0xA;
      if (!ok) {
        Arrays.fill(digits, (byte) 0);
        throw new CryptoException(INVALID_BLOCK);
      }
      if (i < length) {
        digits[i] = (byte) value;
      }
    }
    return new ClearPin(digits);
  }

  /**
   * The format 4 PAN field: M = length − 12 (0 when shorter), the PAN left-justified (left-padded
   * with zeros to 12 digits when shorter), zeros after.
   */
  static byte[] panFieldFormat4(String pan) {
    checkPan(pan, 1);
    byte[] field = new byte[FORMAT_4_BYTES];
    int length = pan.length();
    setNibble(field, 0, Math.max(0, length - 12));
    int pad = Math.max(0, 12 - length);
    for (int i = 0; i < length; i++) {
      setNibble(field, 1 + pad + i, pan.charAt(i) - '0');
    }
    return field;
  }

  // ---------------------------------------------------------------- formats 0 and 1

  /**
   * ISO 9564 format 0 under two-key 3DES.
   *
   * @param pan 13 to 19 digits
   * @throws CryptoException for a key that is not two-key 3DES, a malformed PAN or a wiped PIN
   */
  public static byte[] encipherFormat0(SecretKeyBytes tdesKey, ClearPin pin, String pan) {
    byte[] clear = clearFormat0(pin, pan);
    try {
      return BlockCipherAlgorithm.TDES.encrypt(CipherMode.ECB, tdesKey, null, clear);
    } finally {
      Arrays.fill(clear, (byte) 0);
    }
  }

  /**
   * Deciphers a format 0 block; the caller closes the PIN.
   *
   * @throws CryptoException for a wrong key, PAN or block length, or a block that does not
   *     decipher to a valid format 0 field
   */
  public static ClearPin decipherFormat0(SecretKeyBytes tdesKey, byte[] block, String pan) {
    byte[] panField = panFieldFormat0(pan);
    checkLength(block, FORMAT_0_BYTES);
    byte[] field = BlockCipherAlgorithm.TDES.decrypt(CipherMode.ECB, tdesKey, null, block);
    try {
      xorInto(field, panField);
      return parseShortField(field, 0);
    } finally {
      Arrays.fill(field, (byte) 0);
    }
  }

  /** The clear format 0 block (PIN field ⊕ PAN field). */
  static byte[] clearFormat0(ClearPin pin, String pan) {
    byte[] panField = panFieldFormat0(pan);
    byte[] field = new byte[FORMAT_0_BYTES];
    int length = pin.length();
    setNibble(field, 1, length);
    for (int i = 0; i < 14; i++) {
      setNibble(field, 2 + i, i < length ? pin.digit(i) : 0xF);
    }
    xorInto(field, panField);
    return field;
  }

  /**
   * ISO 9564 format 1 (no PAN; for zones where the PAN is not available) under two-key 3DES.
   *
   * @throws CryptoException for a key that is not two-key 3DES or a wiped PIN
   */
  public static byte[] encipherFormat1(SecretKeyBytes tdesKey, ClearPin pin, SecureRandom random) {
    byte[] field = new byte[FORMAT_0_BYTES];
    random.nextBytes(field);
    int length = pin.length();
    setNibble(field, 0, 1);
    setNibble(field, 1, length);
    for (int i = 0; i < length; i++) {
      setNibble(field, 2 + i, pin.digit(i));
    }
    try {
      return BlockCipherAlgorithm.TDES.encrypt(CipherMode.ECB, tdesKey, null, field);
    } finally {
      Arrays.fill(field, (byte) 0);
    }
  }

  /**
   * Deciphers a format 1 block; the caller closes the PIN.
   *
   * @throws CryptoException for a wrong key or block length, or an invalid field
   */
  public static ClearPin decipherFormat1(SecretKeyBytes tdesKey, byte[] block) {
    checkLength(block, FORMAT_0_BYTES);
    byte[] field = BlockCipherAlgorithm.TDES.decrypt(CipherMode.ECB, tdesKey, null, block);
    try {
      return parseShortField(field, 1);
    } finally {
      Arrays.fill(field, (byte) 0);
    }
  }

  /** Formats 0 (fill F) and 1 (any fill) after the PAN has been removed. */
  private static ClearPin parseShortField(byte[] field, int control) {
    int length = nibble(field, 1);
    if (nibble(field, 0) != control || length < PIN_DIGITS_MIN || length > PIN_DIGITS_MAX) {
      throw new CryptoException(INVALID_BLOCK);
    }
    byte[] digits = new byte[length];
    for (int i = 0; i < 14; i++) {
      int value = nibble(field, 2 + i);
      boolean ok = i < length ? value <= 9 : control == 1 || value == 0xF;
      if (!ok) {
        Arrays.fill(digits, (byte) 0);
        throw new CryptoException(INVALID_BLOCK);
      }
      if (i < length) {
        digits[i] = (byte) value;
      }
    }
    return new ClearPin(digits);
  }

  /** {@code 0000} and the 12 rightmost PAN digits excluding the check digit. */
  static byte[] panFieldFormat0(String pan) {
    checkPan(pan, PAN_DIGITS_MIN_FORMAT_0);
    byte[] field = new byte[FORMAT_0_BYTES];
    int from = pan.length() - 13;
    for (int i = 0; i < 12; i++) {
      setNibble(field, 4 + i, pan.charAt(from + i) - '0');
    }
    return field;
  }

  // ---------------------------------------------------------------- helpers

  private static void checkPan(String pan, int digitsMin) {
    if (pan == null || pan.length() < digitsMin || pan.length() > PAN_DIGITS_MAX) {
      throw new CryptoException("PAN: must be " + digitsMin + " to " + PAN_DIGITS_MAX + " digits");
    }
    for (int i = 0; i < pan.length(); i++) {
      char c = pan.charAt(i);
      if (c < '0' || c > '9') {
        throw new CryptoException("PAN: character at position " + i + " is not a decimal digit");
      }
    }
  }

  private static void checkLength(byte[] block, int length) {
    if (block == null || block.length != length) {
      throw new CryptoException("PIN block: expected " + length + " bytes");
    }
  }

  private static int nibble(byte[] data, int index) {
    int value = data[index / 2] & 0xFF;
    return index % 2 == 0 ? value >>> 4 : value & 0x0F;
  }

  private static void setNibble(byte[] data, int index, int value) {
    int at = index / 2;
    data[at] = index % 2 == 0 ? (byte) ((data[at] & 0x0F) | (value << 4)) : (byte) ((data[at] & 0xF0) | value);
  }

  private static void xorInto(byte[] target, byte[] mask) {
    for (int i = 0; i < target.length; i++) {
      target[i] ^= mask[i];
    }
  }
}

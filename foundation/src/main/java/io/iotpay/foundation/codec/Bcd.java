package io.iotpay.foundation.codec;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Objects;

/**
 * Binary-coded decimal in the EMV data formats (EMV Book 3 §4.3): n (right-justified digits,
 * left-padded with 0 nibbles) and cn (left-justified digits, right-padded with F nibbles), plus the
 * n12 amount (9F02, 9F03, 9F79), n6 dates YYMMDD (9A, 5F24) and times HHMMSS (9F21).
 *
 * <p>Every decoder checks every nibble and names the byte and nibble that is wrong.
 */
public final class Bcd {
  /** Digits of an EMV n12 amount. */
  public static final int AMOUNT_DIGITS = 12;
  /** Largest value of an n12 amount, in minor units. */
  public static final long AMOUNT_MINOR_MAX = 999_999_999_999L;
  /** Most digits a long can always hold (10^18 - 1 fits, 10^19 - 1 does not). */
  public static final int LONG_DIGITS_MAX = 18;

  private static final long[] POWERS_OF_TEN = powersOfTen();

  private Bcd() {}

  /**
   * Format n: {@code value} as {@code digits} BCD digits, left-padded with 0; (digits+1)/2 bytes.
   *
   * @param value non-negative, below 10^digits
   * @param digits 1..{@link #LONG_DIGITS_MAX}
   * @throws CodecException if the value is negative or needs more digits
   */
  public static byte[] encode(long value, int digits) {
    if (digits < 1 || digits > LONG_DIGITS_MAX) {
      throw new CodecException("bcd: digit count " + digits + " outside 1.." + LONG_DIGITS_MAX);
    }
    if (value < 0) {
      throw new CodecException("bcd: value " + value + " is negative; format n has no sign");
    }
    if (value >= POWERS_OF_TEN[digits]) {
      throw new CodecException("bcd: value " + value + " needs more than " + digits + " digits");
    }
    byte[] out = new byte[(digits + 1) / 2];
    long rest = value;
    for (int i = out.length - 1; i >= 0; i--) {
      int low = (int) (rest % 10);
      rest /= 10;
      int high = (int) (rest % 10);
      rest /= 10;
      out[i] = (byte) ((high << 4) | low);
    }
    return out;
  }

  /**
   * Format n: the number in these BCD bytes.
   *
   * @param bytes 1..9 bytes of decimal nibbles, not null
   * @throws CodecException naming the byte if a nibble is not 0..9, or if there are too many bytes
   */
  public static long decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length == 0 || bytes.length > LONG_DIGITS_MAX / 2) {
      throw new CodecException("bcd: " + bytes.length + " bytes; a number takes 1.." + LONG_DIGITS_MAX / 2);
    }
    long value = 0;
    for (int i = 0; i < bytes.length; i++) {
      value = value * 100 + digitPair(bytes, i);
    }
    return value;
  }

  /**
   * {@link #decode(byte[])} of {@code bytes[offset, offset + length)}, without copying the range
   * (clearing reads three numbers out of every record's cryptogram input).
   *
   * @throws CodecException if the range is empty, longer than a long holds, or a nibble is not 0..9
   * @throws IndexOutOfBoundsException if the range is outside {@code bytes}
   */
  public static long decode(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (length == 0 || length > LONG_DIGITS_MAX / 2) {
      throw new CodecException("bcd: " + length + " bytes; a number takes 1.." + LONG_DIGITS_MAX / 2);
    }
    long value = 0;
    for (int i = offset; i < offset + length; i++) {
      value = value * 100 + digitPair(bytes, i);
    }
    return value;
  }

  /**
   * EMV n12 amount (e.g. 9F02 Amount, Authorised): 6 bytes of minor units.
   *
   * @param amountMinor 0..{@link #AMOUNT_MINOR_MAX}
   * @throws CodecException if negative or above 12 digits
   */
  public static byte[] encodeAmount(long amountMinor) {
    if (amountMinor < 0) {
      throw new CodecException("bcd: amount " + amountMinor + " is negative; n12 amounts have no sign");
    }
    return encode(amountMinor, AMOUNT_DIGITS);
  }

  /**
   * Minor units from an EMV n12 amount.
   *
   * @param bytes exactly 6 bytes of decimal nibbles
   * @throws CodecException if not 6 bytes or a nibble is not decimal
   */
  public static long decodeAmount(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != AMOUNT_DIGITS / 2) {
      throw new CodecException("bcd: an n12 amount is 6 bytes, got " + bytes.length);
    }
    return decode(bytes);
  }

  /**
   * Format n digits as text, leading zeros kept (e.g. {@code "0156"} from {@code 01 56}).
   *
   * @throws CodecException naming the byte if a nibble is not 0..9
   */
  public static String decodeDigits(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    StringBuilder out = new StringBuilder(bytes.length * 2);
    for (int i = 0; i < bytes.length; i++) {
      int pair = digitPair(bytes, i);
      out.append((char) ('0' + pair / 10)).append((char) ('0' + pair % 10));
    }
    return out.toString();
  }

  /**
   * Format n bytes from decimal text; odd-length text gets a leading 0 nibble.
   *
   * @throws CodecException naming the position if a character is not 0..9
   */
  public static byte[] encodeDigits(String digits) {
    Objects.requireNonNull(digits, "digits");
    String even = (digits.length() & 1) == 0 ? digits : "0" + digits;
    byte[] out = new byte[even.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) ((digitAt(digits, even, 2 * i) << 4) | digitAt(digits, even, 2 * i + 1));
    }
    return out;
  }

  /**
   * Format cn (e.g. 5A PAN): the digits before the F padding.
   *
   * @throws CodecException naming the byte if a nibble is neither a digit nor trailing F padding
   */
  public static String decodeCompressed(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    StringBuilder out = new StringBuilder(bytes.length * 2);
    boolean padding = false;
    for (int i = 0; i < bytes.length * 2; i++) {
      int nibble = (i & 1) == 0 ? (bytes[i / 2] >>> 4) & 0x0F : bytes[i / 2] & 0x0F;
      if (nibble == 0x0F) {
        padding = true;
      } else if (padding || nibble > 9) {
        throw new CodecException(String.format("bcd: cn nibble %X in byte %d (%s) is %s", nibble, i / 2,
            (i & 1) == 0 ? "high" : "low", padding ? "after F padding" : "not a digit"));
      } else {
        out.append((char) ('0' + nibble));
      }
    }
    return out.toString();
  }

  /**
   * Format cn of {@code byteCount} bytes: digits left-justified, F-padded on the right.
   *
   * @throws CodecException if a character is not a digit or the digits do not fit
   */
  public static byte[] encodeCompressed(String digits, int byteCount) {
    Objects.requireNonNull(digits, "digits");
    if (digits.length() > 2 * byteCount) {
      throw new CodecException("bcd: " + digits.length() + " digits do not fit cn of " + byteCount + " bytes");
    }
    StringBuilder padded = new StringBuilder(digits);
    while (padded.length() < 2 * byteCount) {
      padded.append('F');
    }
    for (int i = 0; i < digits.length(); i++) {
      digitAt(digits, digits, i);
    }
    return Hex.decode(padded);
  }

  /**
   * n6 YYMMDD (9A Transaction Date, 5F24 Expiration Date). Years 1950..2049 as EMV interprets YY.
   *
   * @throws CodecException if the year is outside 1950..2049
   */
  public static byte[] encodeDate(LocalDate date) {
    int year = date.getYear();
    if (year < 1950 || year > 2049) {
      throw new CodecException("bcd: year " + year + " cannot be written as YY (1950..2049)");
    }
    return encode((year % 100) * 10_000L + date.getMonthValue() * 100L + date.getDayOfMonth(), 6);
  }

  /**
   * The date of n6 YYMMDD; YY 00..49 is 20YY, 50..99 is 19YY (EMV Book 3 §10.5 date handling).
   *
   * @throws CodecException if not 3 bytes, a nibble is not decimal or the date does not exist
   */
  public static LocalDate decodeDate(byte[] bytes) {
    int[] parts = threePairs(bytes, "date YYMMDD");
    int year = parts[0] < 50 ? 2000 + parts[0] : 1900 + parts[0];
    try {
      return LocalDate.of(year, parts[1], parts[2]);
    } catch (DateTimeException e) {
      throw new CodecException("bcd: date " + Hex.encode(bytes) + " does not exist: " + e.getMessage());
    }
  }

  /** n6 HHMMSS (9F21 Transaction Time), whole seconds. */
  public static byte[] encodeTime(LocalTime time) {
    return encode(time.getHour() * 10_000L + time.getMinute() * 100L + time.getSecond(), 6);
  }

  /**
   * The time of n6 HHMMSS.
   *
   * @throws CodecException if not 3 bytes, a nibble is not decimal or the time does not exist
   */
  public static LocalTime decodeTime(byte[] bytes) {
    int[] parts = threePairs(bytes, "time HHMMSS");
    try {
      return LocalTime.of(parts[0], parts[1], parts[2]);
    } catch (DateTimeException e) {
      throw new CodecException("bcd: time " + Hex.encode(bytes) + " does not exist: " + e.getMessage());
    }
  }

  private static int[] threePairs(byte[] bytes, String what) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != 3) {
      throw new CodecException("bcd: " + what + " is 3 bytes, got " + bytes.length);
    }
    return new int[] {digitPair(bytes, 0), digitPair(bytes, 1), digitPair(bytes, 2)};
  }

  /** The two decimal digits of byte {@code index} as 0..99. */
  private static int digitPair(byte[] bytes, int index) {
    int high = (bytes[index] >>> 4) & 0x0F;
    int low = bytes[index] & 0x0F;
    if (high > 9 || low > 9) {
      throw new CodecException(String.format("bcd: byte %d (%02X) has %s nibble %X, not a decimal digit",
          index, bytes[index] & 0xFF, high > 9 ? "high" : "low", high > 9 ? high : low));
    }
    return high * 10 + low;
  }

  private static int digitAt(String original, String text, int index) {
    char c = text.charAt(index);
    if (c < '0' || c > '9') {
      int position = index - (text.length() - original.length());
      throw new CodecException("bcd: '" + c + "' at position " + position + " is not a decimal digit");
    }
    return c - '0';
  }

  private static long[] powersOfTen() {
    long[] powers = new long[LONG_DIGITS_MAX + 1];
    powers[0] = 1;
    for (int i = 1; i < powers.length; i++) {
      powers[i] = powers[i - 1] * 10;
    }
    return powers;
  }
}

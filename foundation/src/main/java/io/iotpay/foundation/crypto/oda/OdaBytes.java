package io.iotpay.foundation.crypto.oda;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.YearMonth;

/** Byte helpers shared by the RSA and SM2 formats: SHA-1, cn/BCD fields, MMYY dates. */
final class OdaBytes {
  /** Byte that pads cn fields (issuer identifier, PAN) on the right: two F nibbles. */
  static final byte CN_PAD = (byte) 0xFF;

  private OdaBytes() {}

  /** SHA-1 of the concatenation: Book 2's hash algorithm indicator 01 (Annex B3.1). */
  static byte[] sha1(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  /** The nibbles of a cn field up to its first F (the digits); null when a nibble A..E appears or F is followed by a digit. */
  static String digits(byte[] cn, int offset, int length) {
    StringBuilder out = new StringBuilder(length * 2);
    boolean padding = false;
    for (int i = 0; i < length * 2; i++) {
      int nibble = (cn[offset + i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0x0F;
      if (nibble == 0x0F) {
        padding = true;
      } else if (nibble > 9 || padding) {
        return null;
      } else {
        out.append((char) ('0' + nibble));
      }
    }
    return out.toString();
  }

  /** A cn field of {@code length} bytes: the digits, then F nibbles. */
  static byte[] cn(String digits, int length) {
    byte[] out = new byte[length];
    java.util.Arrays.fill(out, CN_PAD);
    for (int i = 0; i < digits.length(); i++) {
      int nibble = digits.charAt(i) - '0';
      int shift = i % 2 == 0 ? 4 : 0;
      out[i / 2] = (byte) ((out[i / 2] & ~(0x0F << shift)) | (nibble << shift));
    }
    return out;
  }

  /** MMYY as two bytes of BCD (Book 2 tables 6 and 14). */
  static byte[] mmyy(YearMonth expiry) {
    int month = expiry.getMonthValue();
    int year = expiry.getYear() % 100;
    return new byte[] {(byte) ((month / 10) << 4 | month % 10), (byte) ((year / 10) << 4 | year % 10)};
  }

  /**
   * True when a certificate dated MMYY is still valid on {@code today}: it expires at the end of
   * month MM of year YY (Book 2 section 5.3 step 9), YY 00–49 meaning 20YY and 50–99 19YY. A field
   * that is not a month in BCD counts as expired (fail closed).
   */
  static boolean notExpired(byte[] data, int offset, LocalDate today) {
    int month = bcd(data[offset]);
    int year = bcd(data[offset + 1]);
    if (month < 1 || month > 12 || year < 0) {
      return false;
    }
    YearMonth expiry = YearMonth.of(year < 50 ? 2000 + year : 1900 + year, month);
    return !today.isAfter(expiry.atEndOfMonth());
  }

  private static int bcd(byte value) {
    int high = (value >> 4) & 0x0F;
    int low = value & 0x0F;
    return high > 9 || low > 9 ? -1 : high * 10 + low;
  }

  static byte[] slice(byte[] data, int from, int to) {
    return java.util.Arrays.copyOfRange(data, from, to);
  }

  static int unsigned(byte value) {
    return value & 0xFF;
  }
}

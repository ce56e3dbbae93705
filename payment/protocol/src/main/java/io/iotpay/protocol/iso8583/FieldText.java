package io.iotpay.protocol.iso8583;

import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.FIELD_INVALID;

/** Format checks for field values, each refusing with FIELD_INVALID naming the field (never its value). */
final class FieldText {
  private FieldText() {}

  /** Exactly {@code length} decimal digits. */
  static String digits(String field, String value, int length) {
    if (value == null || value.length() != length || !allDigits(value)) {
      throw new Iso8583Exception(FIELD_INVALID, field + " must be " + length + " digits");
    }
    return value;
  }

  /** 1..{@code lengthMax} decimal digits. */
  static String digitsUpTo(String field, String value, int lengthMax) {
    if (value == null || value.isEmpty() || value.length() > lengthMax || !allDigits(value)) {
      throw new Iso8583Exception(FIELD_INVALID, field + " must be 1.." + lengthMax + " digits");
    }
    return value;
  }

  /** Exactly {@code length} printable ASCII characters (0x20..0x7E). */
  static String printable(String field, String value, int length) {
    if (value == null || value.length() != length) {
      throw new Iso8583Exception(FIELD_INVALID, field + " must be " + length + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        throw new Iso8583Exception(FIELD_INVALID, field + " has a non-printable character at " + i);
      }
    }
    return value;
  }

  /** A number as {@code length} digits with leading zeros. */
  static String zeroPadded(long value, int length) {
    String text = Long.toString(value);
    return "0".repeat(Math.max(0, length - text.length())) + text;
  }

  /** {@code value} as an int, after {@link #digits} has checked it. */
  static int number(String field, String value, int length) {
    return Integer.parseInt(digits(field, value, length));
  }

  private static boolean allDigits(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}

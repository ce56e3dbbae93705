package io.iotpay.protocol.device;

import java.util.regex.Pattern;

/** The character classes of the device requests' and answers' text fields, compiled once: they are checked on every message. */
final class TextChars {
  static final Pattern TYPE = Pattern.compile("[a-z0-9-]*");
  static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9_.-]*");
  static final Pattern CODE = Pattern.compile("[A-Z0-9_]*");
  static final Pattern ID = Pattern.compile("[A-Za-z0-9-]*");
  static final Pattern LETTERS = Pattern.compile("[A-Z]*");
  static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7E]*");

  private TextChars() {}

  /** True when {@code value} is non-null, {@code min..max} characters long and all of {@code chars}. */
  static boolean within(String value, int min, int max, Pattern chars) {
    return value != null && value.length() >= min && value.length() <= max && chars.matcher(value).matches();
  }
}

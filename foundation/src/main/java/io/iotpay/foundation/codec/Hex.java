package io.iotpay.foundation.codec;

/** Hexadecimal text to bytes and back. Decoding accepts upper and lower case, no separators. */
public final class Hex {
  private static final char[] DIGITS = "0123456789ABCDEF".toCharArray();

  private Hex() {}

  /** Upper-case hex of {@code bytes}; never null. */
  public static String encode(byte[] bytes) {
    return encode(bytes, 0, bytes.length);
  }

  /** Upper-case hex of {@code length} bytes from {@code offset}. */
  public static String encode(byte[] bytes, int offset, int length) {
    char[] out = new char[length * 2];
    for (int i = 0; i < length; i++) {
      int b = bytes[offset + i] & 0xFF;
      out[2 * i] = DIGITS[b >>> 4];
      out[2 * i + 1] = DIGITS[b & 0x0F];
    }
    return new String(out);
  }

  /**
   * Bytes of the hex text.
   *
   * @throws CodecException if the text is null, has an odd length or a non-hex character (the
   *     message gives its position)
   */
  public static byte[] decode(CharSequence text) {
    if (text == null) {
      throw new CodecException("hex: input is null");
    }
    int length = text.length();
    if ((length & 1) != 0) {
      throw new CodecException("hex: odd length " + length + " (two digits per byte)");
    }
    byte[] out = new byte[length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) ((digit(text, 2 * i) << 4) | digit(text, 2 * i + 1));
    }
    return out;
  }

  private static int digit(CharSequence text, int index) {
    char c = text.charAt(index);
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    throw new CodecException("hex: '" + printable(c) + "' at position " + index + " is not a hex digit");
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c);
  }
}

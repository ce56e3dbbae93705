package io.iotpay.protocol.file;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A reusable ASCII line buffer: writers build each line in place instead of concatenating strings. */
final class LineBuilder {
  private static final byte[] HEX_DIGITS = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  private byte[] bytes = new byte[1024];
  private int length;

  void reset() {
    length = 0;
  }

  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  LineBuilder separator() {
    return put((byte) FieldCursor.SEPARATOR);
  }

  LineBuilder text(String text) {
    ensure(text.length());
    for (int i = 0; i < text.length(); i++) {
      bytes[length++] = (byte) text.charAt(i);
    }
    return this;
  }

  LineBuilder number(long value) {
    if (value == Long.MIN_VALUE) {
      return text(Long.toString(value));
    }
    ensure(20);
    if (value < 0) {
      bytes[length++] = '-';
      value = -value;
    }
    int start = length;
    do {
      bytes[length++] = (byte) ('0' + value % 10);
      value /= 10;
    } while (value != 0);
    reverse(start, length - 1);
    return this;
  }

  /** Exactly {@code digits} decimal digits, zero-padded (value must fit). */
  LineBuilder padded(long value, int digits) {
    ensure(digits);
    for (int i = digits - 1; i >= 0; i--) {
      bytes[length + i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    length += digits;
    return this;
  }

  LineBuilder hex(byte[] data) {
    ensure(data.length * 2);
    for (byte b : data) {
      bytes[length++] = HEX_DIGITS[(b >> 4) & 0x0F];
      bytes[length++] = HEX_DIGITS[b & 0x0F];
    }
    return this;
  }

  LineBuilder newline() {
    return put((byte) '\n');
  }

  private LineBuilder put(byte b) {
    ensure(1);
    bytes[length++] = b;
    return this;
  }

  private void reverse(int from, int to) {
    while (from < to) {
      byte swap = bytes[from];
      bytes[from++] = bytes[to];
      bytes[to--] = swap;
    }
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}

package io.iotpay.platform.envelope;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the CBOR (RFC 8949) subset COSE needs, always in preferred (shortest) form with definite
 * lengths, so what we sign is the deterministic encoding of §4.2.1.
 */
final class CborWriter {
  static final int MAJOR_UNSIGNED = 0;
  static final int MAJOR_NEGATIVE = 1;
  static final int MAJOR_BYTES = 2;
  static final int MAJOR_TEXT = 3;
  static final int MAJOR_ARRAY = 4;
  static final int MAJOR_MAP = 5;
  static final int MAJOR_TAG = 6;
  static final int MAJOR_SIMPLE = 7;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

  CborWriter integer(long value) {
    if (value >= 0) {
      head(MAJOR_UNSIGNED, value);
    } else {
      head(MAJOR_NEGATIVE, -1 - value);
    }
    return this;
  }

  CborWriter bytes(byte[] value) {
    head(MAJOR_BYTES, value.length);
    out.writeBytes(value);
    return this;
  }

  CborWriter text(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    head(MAJOR_TEXT, utf8.length);
    out.writeBytes(utf8);
    return this;
  }

  CborWriter array(int size) {
    head(MAJOR_ARRAY, size);
    return this;
  }

  CborWriter map(int pairs) {
    head(MAJOR_MAP, pairs);
    return this;
  }

  CborWriter tag(long tag) {
    head(MAJOR_TAG, tag);
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  /** The initial byte and argument (RFC 8949 §3), shortest form. {@code argument} is unsigned. */
  private void head(int major, long argument) {
    int type = major << 5;
    if (argument >= 0 && argument < 24) {
      out.write(type | (int) argument);
    } else if (argument >= 0 && argument <= 0xFF) {
      out.write(type | 24);
      out.write((int) argument);
    } else if (argument >= 0 && argument <= 0xFFFF) {
      out.write(type | 25);
      writeBigEndian(argument, 2);
    } else if (argument >= 0 && argument <= 0xFFFF_FFFFL) {
      out.write(type | 26);
      writeBigEndian(argument, 4);
    } else {
      out.write(type | 27);
      writeBigEndian(argument, 8);
    }
  }

  private void writeBigEndian(long value, int length) {
    for (int shift = (length - 1) * 8; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift) & 0xFF);
    }
  }
}

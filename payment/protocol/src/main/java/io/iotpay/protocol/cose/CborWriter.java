package io.iotpay.protocol.cose;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the CBOR (RFC 8949) subset COSE needs, always in preferred (shortest) form with definite
 * lengths, so what we sign is the deterministic encoding of §4.2.1.
 */
public final class CborWriter {
  /** Major type 0: unsigned integer (RFC 8949 §3.1). */
  public static final int MAJOR_UNSIGNED = 0;
  /** Major type 1: negative integer. */
  public static final int MAJOR_NEGATIVE = 1;
  /** Major type 2: byte string. */
  public static final int MAJOR_BYTES = 2;
  /** Major type 3: text string (UTF-8). */
  public static final int MAJOR_TEXT = 3;
  /** Major type 4: array. */
  public static final int MAJOR_ARRAY = 4;
  /** Major type 5: map. */
  public static final int MAJOR_MAP = 5;
  /** Major type 6: tag. */
  public static final int MAJOR_TAG = 6;
  /** Major type 7: simple values and floats. */
  public static final int MAJOR_SIMPLE = 7;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

  /** An empty writer. Not thread-safe; one writer builds one item sequence. */
  public CborWriter() {
    // Nothing to set up: the buffer grows as items are written.
  }

  /**
   * Appends an integer (major type 0 or 1) in its shortest form.
   *
   * @return this writer, never null
   */
  public CborWriter integer(long value) {
    if (value >= 0) {
      head(MAJOR_UNSIGNED, value);
    } else {
      head(MAJOR_NEGATIVE, -1 - value);
    }
    return this;
  }

  /**
   * Appends a definite-length byte string.
   *
   * @param value never null
   * @return this writer, never null
   * @throws NullPointerException when {@code value} is null (a programming error)
   */
  public CborWriter bytes(byte[] value) {
    head(MAJOR_BYTES, value.length);
    out.writeBytes(value);
    return this;
  }

  /**
   * Appends a definite-length UTF-8 text string.
   *
   * @param value never null
   * @return this writer, never null
   * @throws NullPointerException when {@code value} is null (a programming error)
   */
  public CborWriter text(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    head(MAJOR_TEXT, utf8.length);
    out.writeBytes(utf8);
    return this;
  }

  /**
   * Appends the head of an array of {@code size} items; the caller then writes exactly that many.
   *
   * @return this writer, never null
   */
  public CborWriter array(int size) {
    head(MAJOR_ARRAY, size);
    return this;
  }

  /**
   * Appends the head of a map of {@code pairs} pairs; the caller then writes 2 × pairs items, keys
   * in deterministic order (§4.2.1) when the map is signed.
   *
   * @return this writer, never null
   */
  public CborWriter map(int pairs) {
    head(MAJOR_MAP, pairs);
    return this;
  }

  /**
   * Appends a tag head; the caller then writes the one tagged item.
   *
   * @return this writer, never null
   */
  public CborWriter tag(long tag) {
    head(MAJOR_TAG, tag);
    return this;
  }

  /** The bytes written so far, a fresh copy; never null. */
  public byte[] toByteArray() {
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

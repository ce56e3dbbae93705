package io.iotpay.protocol.cose;

import io.iotpay.protocol.cose.CoseException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the CBOR subset COSE needs, one expected item at a time, from a bounded byte array. Never
 * recurses: unknown items are skipped with a counter of pending items. Indefinite lengths, floats
 * and integers beyond 63 bits are refused (COSE messages we accept never contain them). Every
 * failure is an {@link CoseException} with reason {@link Reason#MALFORMED} naming the offset.
 */
public final class CborReader {
  /** Most items one {@link #skip()} walks: bounds the work an adversarial header map can cause. */
  public static final int SKIP_ITEMS_MAX = 256;

  private final byte[] data;
  private final String what;
  private int position;

  /**
   * A reader positioned at the start of {@code data}. The array is read, never copied or changed;
   * the caller must not change it while reading.
   *
   * @param data the encoded items; never null
   * @param what names the structure in refusal messages (e.g. "COSE_Sign1"); never null
   */
  public CborReader(byte[] data, String what) {
    this.data = data;
    this.what = what;
  }

  /** Offset of the next unread byte (0 to the input length). */
  public int position() {
    return position;
  }

  /** Whether every byte has been read. */
  public boolean atEnd() {
    return position == data.length;
  }

  /**
   * Checks that every byte has been read.
   *
   * @throws CoseException MALFORMED naming the number of trailing bytes
   */
  public void expectEnd() {
    if (!atEnd()) {
      throw malformed((data.length - position) + " trailing bytes after the " + what);
    }
  }

  /**
   * Major type (0..7) of the next item without consuming it.
   *
   * @throws CoseException MALFORMED at the end of the input
   */
  public int peekMajor() {
    need(1);
    return (data[position] & 0xFF) >>> 5;
  }

  /**
   * Reads a tag head (major type 6) and returns the tag number.
   *
   * @throws CoseException MALFORMED for another major type, a truncated or indefinite head
   */
  public long readTag() {
    return readArgument(CborWriter.MAJOR_TAG, "tag");
  }

  /**
   * Reads a definite-length array head and returns its item count (at most the bytes remaining).
   *
   * @throws CoseException MALFORMED for another major type, an indefinite length, or a count larger
   *     than the remaining input could hold
   */
  public int readArrayHeader() {
    return readLength(CborWriter.MAJOR_ARRAY, "array");
  }

  /**
   * Reads a definite-length map head and returns its pair count (at most the bytes remaining).
   *
   * @throws CoseException MALFORMED as for {@link #readArrayHeader()}
   */
  public int readMapHeader() {
    return readLength(CborWriter.MAJOR_MAP, "map");
  }

  /**
   * Reads a definite-length byte string.
   *
   * @return a copy of its content; never null
   * @throws CoseException MALFORMED for another major type, an indefinite length or a truncated string
   */
  public byte[] readBytes() {
    int length = readLength(CborWriter.MAJOR_BYTES, "byte string");
    byte[] value = Arrays.copyOfRange(data, position, position + length);
    position += length;
    return value;
  }

  /**
   * Reads a definite-length text string.
   *
   * @return its content; never null
   * @throws CoseException MALFORMED for another major type, a truncated string or invalid UTF-8
   */
  public String readText() {
    int length = readLength(CborWriter.MAJOR_TEXT, "text string");
    try {
      String value =
          StandardCharsets.UTF_8.newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(data, position, length))
              .toString();
      position += length;
      return value;
    } catch (CharacterCodingException e) {
      throw malformed("text string at offset " + position + " is not UTF-8");
    }
  }

  /**
   * Reads a signed integer of major type 0 or 1 within the range of {@code long}.
   *
   * @throws CoseException MALFORMED for another major type, a truncated head or a value beyond 63 bits
   */
  public long readInteger() {
    int major = peekMajor();
    int start = position;
    if (major == CborWriter.MAJOR_UNSIGNED) {
      return readArgument(CborWriter.MAJOR_UNSIGNED, "integer");
    }
    if (major == CborWriter.MAJOR_NEGATIVE) {
      return -1 - readArgument(CborWriter.MAJOR_NEGATIVE, "integer");
    }
    throw malformed("expected an integer at offset " + start + ", found major type " + major);
  }

  /**
   * Skips one complete item of any supported type, iteratively (no recursion).
   *
   * @throws CoseException MALFORMED for an unsupported or truncated item, or one that nests more
   *     than {@link #SKIP_ITEMS_MAX} items
   */
  public void skip() {
    long pending = 1;
    int walked = 0;
    while (pending > 0) {
      if (++walked > SKIP_ITEMS_MAX) {
        throw malformed("item at offset " + position + " nests more than " + SKIP_ITEMS_MAX + " items");
      }
      pending--;
      int major = peekMajor();
      switch (major) {
        case CborWriter.MAJOR_UNSIGNED, CborWriter.MAJOR_NEGATIVE -> readInteger();
        case CborWriter.MAJOR_BYTES -> readBytes();
        case CborWriter.MAJOR_TEXT -> readText();
        case CborWriter.MAJOR_ARRAY -> pending += readArrayHeader();
        case CborWriter.MAJOR_MAP -> pending += 2L * readMapHeader();
        case CborWriter.MAJOR_TAG -> {
          readTag();
          pending++;
        }
        default -> readSimple();
      }
    }
  }

  /** Simple values false, true, null and undefined (RFC 8949 §3.3); floats are refused. */
  private void readSimple() {
    int initial = data[position] & 0xFF;
    int info = initial & 0x1F;
    if (info < 20 || info > 23) {
      throw malformed("unsupported simple value or float (initial byte " + initial + ") at offset " + position);
    }
    position++;
  }

  private int readLength(int major, String kind) {
    int start = position;
    long length = readArgument(major, kind);
    if (length > data.length - position) {
      throw malformed(kind + " at offset " + start + " declares " + length + " bytes/items but only "
          + (data.length - position) + " bytes remain");
    }
    return (int) length;
  }

  private long readArgument(int expectedMajor, String kind) {
    need(1);
    int start = position;
    int initial = data[position] & 0xFF;
    int major = initial >>> 5;
    if (major != expectedMajor) {
      throw malformed("expected a " + kind + " at offset " + start + ", found major type " + major);
    }
    int info = initial & 0x1F;
    position++;
    if (info < 24) {
      return info;
    }
    int length =
        switch (info) {
          case 24 -> 1;
          case 25 -> 2;
          case 26 -> 4;
          case 27 -> 8;
          default -> throw malformed(kind + " at offset " + start + " uses additional info " + info
              + " (indefinite or reserved lengths are refused)");
        };
    need(length);
    long value = 0;
    for (int i = 0; i < length; i++) {
      value = (value << 8) | (data[position++] & 0xFF);
    }
    if (value < 0) {
      throw malformed(kind + " at offset " + start + " exceeds 63 bits");
    }
    return value;
  }

  private void need(int count) {
    if (count > data.length - position) {
      throw malformed("truncated: needs " + count + " more bytes at offset " + position + " of " + data.length);
    }
  }

  private CoseException malformed(String detail) {
    return new CoseException(Reason.MALFORMED, what + ": " + detail);
  }
}

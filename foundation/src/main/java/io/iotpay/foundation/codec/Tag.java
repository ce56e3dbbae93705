package io.iotpay.foundation.codec;

/**
 * A BER-TLV tag of one to three bytes (ISO/IEC 8825-1 §8.1.2 as profiled by EMV Book 3 Annex B).
 *
 * <p>The tag is held as the unsigned big-endian integer of its bytes, so {@code 9F02} is {@code
 * 0x9F02}. A tag whose first byte has the low five bits {@code 11111} continues in further bytes;
 * every continuation byte but the last has b8 set. The constructor checks that the integer is such
 * a well-formed tag, so a {@code Tag} always encodes back to the bytes it came from.
 *
 * @param value the tag bytes as an unsigned big-endian integer, 0x01..0xFFFFFF
 */
public record Tag(int value) implements Comparable<Tag> {
  /** The longest tag this codec accepts; three bytes cover every EMV and PBOC tag (two at most). */
  public static final int BYTES_MAX = 3;

  private static final int MULTI_BYTE_MARK = 0x1F;
  private static final int CONSTRUCTED_BIT = 0x20;
  private static final int MORE_BIT = 0x80;

  /**
   * @throws TlvException if the integer is not a well-formed tag of 1..3 bytes
   */
  public Tag {
    String problem = problemWith(value);
    if (problem != null) {
      throw new TlvException(-1, "tag " + Integer.toHexString(value).toUpperCase() + ": " + problem);
    }
  }

  /**
   * The tag with these bytes as an integer, e.g. {@code Tag.of(0x9F02)}.
   *
   * @throws TlvException if it is not a well-formed tag
   */
  public static Tag of(int value) {
    return new Tag(value);
  }

  /**
   * The tag written in hex, e.g. {@code "9F02"}.
   *
   * @throws CodecException if the text is not hex or not a well-formed tag
   */
  public static Tag parse(String hex) {
    byte[] bytes = Hex.decode(hex);
    if (bytes.length == 0 || bytes.length > BYTES_MAX) {
      throw new TlvException(-1, "tag '" + hex + "' must be 1.." + BYTES_MAX + " bytes");
    }
    int value = 0;
    for (byte b : bytes) {
      value = (value << 8) | (b & 0xFF);
    }
    Tag tag = new Tag(value);
    if (tag.byteCount() != bytes.length) {
      throw new TlvException(-1, "tag '" + hex + "' has a leading zero byte");
    }
    return tag;
  }

  /** Number of bytes of the encoded tag, 1..3. */
  public int byteCount() {
    return byteCountOf(value);
  }

  /** True when b6 of the first byte is set: the value is a sequence of TLVs. */
  public boolean isConstructed() {
    return (firstByte() & CONSTRUCTED_BIT) != 0;
  }

  /** The class from b8..b7 of the first byte. */
  public TagClass tagClass() {
    return TagClass.values()[firstByte() >>> 6];
  }

  /** The encoded tag bytes; a new array each call. */
  public byte[] bytes() {
    int count = byteCount();
    byte[] out = new byte[count];
    for (int i = 0; i < count; i++) {
      out[i] = (byte) (value >>> (8 * (count - 1 - i)));
    }
    return out;
  }

  /** Upper-case hex of the tag bytes, e.g. {@code 9F02}. */
  @Override
  public String toString() {
    return Hex.encode(bytes());
  }

  @Override
  public int compareTo(Tag other) {
    return Integer.compare(value, other.value);
  }

  private int firstByte() {
    return (value >>> (8 * (byteCount() - 1))) & 0xFF;
  }

  private static int byteCountOf(int value) {
    if ((value & 0xFF0000) != 0) {
      return 3;
    }
    return (value & 0xFF00) != 0 ? 2 : 1;
  }

  /** Null when the integer is a well-formed tag, otherwise why not. */
  private static String problemWith(int value) {
    if (value <= 0 || value > 0xFFFFFF) {
      return "must be 1..3 non-zero leading bytes";
    }
    int count = byteCountOf(value);
    int first = (value >>> (8 * (count - 1))) & 0xFF;
    boolean multiByte = (first & MULTI_BYTE_MARK) == MULTI_BYTE_MARK;
    if (count == 1) {
      return multiByte ? "first byte announces more tag bytes but none follow" : null;
    }
    if (!multiByte) {
      return "first byte does not announce more tag bytes (low five bits are not 11111)";
    }
    for (int i = 1; i < count; i++) {
      int b = (value >>> (8 * (count - 1 - i))) & 0xFF;
      boolean last = i == count - 1;
      if (i == 1 && (b & 0x7F) == 0) {
        return "first subsequent byte has b7..b1 all zero (ISO/IEC 8825-1 §8.1.2.4.2 c)";
      }
      if (last == ((b & MORE_BIT) != 0)) {
        return last ? "last tag byte has b8 set" : "tag byte " + (i + 1) + " lacks b8 although more follow";
      }
    }
    return null;
  }

  /** Tag class, b8..b7 of the first tag byte. */
  public enum TagClass {
    UNIVERSAL,
    APPLICATION,
    CONTEXT_SPECIFIC,
    PRIVATE
  }
}

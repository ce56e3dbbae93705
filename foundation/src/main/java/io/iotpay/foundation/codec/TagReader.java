package io.iotpay.foundation.codec;

/** Reads one BER tag from bytes; shared by the TLV parser and the DOL parser. */
final class TagReader {
  private TagReader() {}

  /**
   * The tag starting at {@code offset}; the caller advances by {@link Tag#byteCount()}.
   *
   * @param end first offset the tag may not reach (end of the enclosing template or input)
   * @param context appended to messages to say where, e.g. {@code " in DOL"}
   * @throws TlvException on a 00 first byte, a truncated tag or one longer than {@code tagBytesMax}
   */
  static Tag read(byte[] input, int offset, int end, int tagBytesMax, String context) {
    int first = input[offset] & 0xFF;
    if (first == 0x00) {
      throw new TlvException(offset, "tag byte 00 is not a tag" + context);
    }
    int value = first;
    int position = offset + 1;
    boolean more = (first & 0x1F) == 0x1F;
    while (more) {
      String sofar = Hex.encode(input, offset, position - offset);
      if (position >= end) {
        throw new TlvException(offset, "truncated tag " + sofar + context);
      }
      if (position - offset >= tagBytesMax) {
        throw new TlvException(offset, "tag " + sofar + "... is longer than tagBytesMax " + tagBytesMax + context);
      }
      int next = input[position++] & 0xFF;
      if (position - offset == 2 && (next & 0x7F) == 0) {
        throw new TlvException(offset, "tag " + sofar + Hex.encode(new byte[] {(byte) next})
            + " has a first subsequent byte with b7..b1 zero" + context);
      }
      value = (value << 8) | next;
      more = (next & 0x80) != 0;
    }
    return new Tag(value);
  }
}

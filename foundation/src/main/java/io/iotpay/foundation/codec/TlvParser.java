package io.iotpay.foundation.codec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Iterative BER-TLV parser. An explicit stack of open templates replaces recursion, so input depth
 * costs heap bounded by {@code depthMax}, never the thread stack.
 */
final class TlvParser {
  private static final int PADDING = 0x00;

  private final byte[] input;
  private final TlvLimits limits;
  private final Deque<OpenTemplate> open = new ArrayDeque<>();
  private int position;

  /** A constructed object whose children are still being read. */
  private record OpenTemplate(Tag tag, int tagOffset, int valueEnd, List<Tlv> children) {}

  TlvParser(byte[] input, TlvLimits limits) {
    this.input = input;
    this.limits = limits;
  }

  List<Tlv> parseAll() {
    List<Tlv> top = new ArrayList<>();
    while (true) {
      int end = currentEnd();
      skipPadding(end);
      if (position == end) {
        if (open.isEmpty()) {
          return List.copyOf(top);
        }
        closeTemplate(top);
        continue;
      }
      readObject(top, end);
    }
  }

  private int currentEnd() {
    return open.isEmpty() ? input.length : open.peek().valueEnd();
  }

  private void skipPadding(int end) {
    while (position < end && (input[position] & 0xFF) == PADDING) {
      position++;
    }
  }

  private void closeTemplate(List<Tlv> top) {
    OpenTemplate done = open.pop();
    Tlv built = new Tlv.Constructed(done.tag(), done.children());
    siblings(top).add(built);
  }

  private List<Tlv> siblings(List<Tlv> top) {
    return open.isEmpty() ? top : open.peek().children();
  }

  private void readObject(List<Tlv> top, int end) {
    int tagOffset = position;
    Tag tag = readTag(end);
    int length = readLength(tag, tagOffset, end);
    if (length > end - position) {
      throw new TlvException(tagOffset, "value of tag " + tag + " needs " + length + " bytes but only "
          + (end - position) + " remain" + where());
    }
    if (tag.isConstructed()) {
      if (open.size() + 1 > limits.depthMax()) {
        throw new TlvException(tagOffset, "constructed tag " + tag + " nests deeper than depthMax " + limits.depthMax());
      }
      open.push(new OpenTemplate(tag, tagOffset, position + length, new ArrayList<>()));
      return;
    }
    byte[] value = new byte[length];
    System.arraycopy(input, position, value, 0, length);
    position += length;
    siblings(top).add(new Tlv.Primitive(tag, value));
  }

  private Tag readTag(int end) {
    Tag tag = TagReader.read(input, position, end, limits.tagBytesMax(), where());
    position += tag.byteCount();
    return tag;
  }

  private int readLength(Tag tag, int tagOffset, int end) {
    if (position >= end) {
      throw new TlvException(position, "truncated length of tag " + tag + " (tag at offset " + tagOffset + ")" + where());
    }
    int lengthOffset = position;
    int first = input[position++] & 0xFF;
    if (first < 0x80) {
      return checkBound(first, tag, lengthOffset);
    }
    if (first == 0x80) {
      throw new TlvException(lengthOffset, "indefinite length 80 of tag " + tag + " is not allowed in EMV");
    }
    int count = first & 0x7F;
    if (count > 3) {
      throw new TlvException(lengthOffset, "length byte " + Hex.encode(new byte[] {(byte) first}) + " of tag " + tag
          + " announces " + count + " length bytes (at most 3: 81, 82, 83)");
    }
    if (count > end - position) {
      throw new TlvException(lengthOffset, "truncated length of tag " + tag + ": " + count + " length bytes announced, "
          + (end - position) + " remain" + where());
    }
    int length = 0;
    for (int i = 0; i < count; i++) {
      length = (length << 8) | (input[position++] & 0xFF);
    }
    return checkBound(length, tag, lengthOffset);
  }

  private int checkBound(int length, Tag tag, int lengthOffset) {
    if (length > limits.valueBytesMax()) {
      throw new TlvException(lengthOffset, "length " + length + " of tag " + tag + " is above valueBytesMax " + limits.valueBytesMax());
    }
    return length;
  }

  private String where() {
    if (open.isEmpty()) {
      return " (end of input)";
    }
    OpenTemplate parent = open.peek();
    return " (inside template " + parent.tag() + " at offset " + parent.tagOffset() + ")";
  }
}

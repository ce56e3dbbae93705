package io.iotpay.foundation.codec;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Writes TLV trees with minimal length fields, walking them with an explicit stack. */
final class TlvEncoder {
  private TlvEncoder() {}

  static byte[] encode(List<Tlv> roots) {
    long total = 0;
    for (Tlv root : roots) {
      total += root.encodedLength();
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new TlvException(-1, "sequence encodes to " + total + " bytes, too long for one array");
    }
    byte[] out = new byte[(int) total];
    int position = 0;
    Deque<Tlv> pending = new ArrayDeque<>();
    for (int i = roots.size() - 1; i >= 0; i--) {
      pending.push(roots.get(i));
    }
    while (!pending.isEmpty()) {
      Tlv next = pending.pop();
      position = writeHeader(out, position, next);
      switch (next) {
        case Tlv.Primitive primitive -> {
          byte[] value = primitive.value();
          System.arraycopy(value, 0, out, position, value.length);
          position += value.length;
        }
        case Tlv.Constructed constructed -> {
          List<Tlv> children = constructed.children();
          for (int i = children.size() - 1; i >= 0; i--) {
            pending.push(children.get(i));
          }
        }
      }
    }
    return out;
  }

  private static int writeHeader(byte[] out, int position, Tlv tlv) {
    byte[] tag = tlv.tag().bytes();
    System.arraycopy(tag, 0, out, position, tag.length);
    int at = position + tag.length;
    int length = tlv.valueLength();
    int lengthBytes = Tlv.lengthFieldBytes(length);
    if (lengthBytes == 1) {
      out[at] = (byte) length;
      return at + 1;
    }
    int extra = lengthBytes - 1;
    out[at++] = (byte) (0x80 | extra);
    for (int i = extra - 1; i >= 0; i--) {
      out[at++] = (byte) (length >>> (8 * i));
    }
    return at;
  }
}

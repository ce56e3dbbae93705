package io.iotpay.foundation.codec;

import java.util.Objects;

/**
 * One entry of a Data Object List: the tag the card asks for and how many bytes it wants.
 *
 * @param tag the requested data object, not null
 * @param length bytes the card expects for it, 0..255 (the DOL length field is one byte)
 */
public record DolEntry(Tag tag, int length) {
  /**
   * @throws TlvException if the length is outside 0..255
   */
  public DolEntry {
    Objects.requireNonNull(tag, "tag");
    if (length < 0 || length > 0xFF) {
      throw new TlvException(-1, "DOL entry " + tag + ": length " + length + " outside 0..255");
    }
  }
}

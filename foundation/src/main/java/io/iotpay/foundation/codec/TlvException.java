package io.iotpay.foundation.codec;

/**
 * BER-TLV bytes (or a DOL, which shares the tag coding) that break the encoding rules or a bound.
 * The message names the byte offset and, when known, the tag being parsed.
 */
public final class TlvException extends CodecException {
  private static final long serialVersionUID = 1L;

  private final int offset;

  /**
   * @param offset byte offset in the parsed input where the problem was found, or -1 when the
   *     problem is not tied to input bytes (a value built in code)
   * @param message what was wrong
   */
  public TlvException(int offset, String message) {
    super(offset >= 0 ? "tlv: " + message + " at offset " + offset : "tlv: " + message);
    this.offset = offset;
  }

  /** Byte offset in the input where the problem was found, or -1 if not tied to input. */
  public int offset() {
    return offset;
  }
}

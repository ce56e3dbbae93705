package io.iotpay.foundation.codec;

import java.util.List;
import java.util.Objects;

/**
 * Entry point for BER-TLV as used by EMV (EMV Book 3 Annex B, ISO/IEC 8825-1): parse a sequence of
 * top-level objects, encode one back.
 *
 * <p>Parsing rules: tags of 1..{@code tagBytesMax} bytes; length in short form (00..7F) or long
 * form 81/82/83; 80 (indefinite) and 84 and above are rejected; {@code 00} bytes before, between
 * and after objects (at any level) are skipped as EMV Annex B allows, and are not kept; a value
 * must end inside its enclosing template. The parser never recurses.
 */
public final class BerTlv {
  private BerTlv() {}

  /**
   * Parses a sequence of TLV objects with {@link TlvLimits#DEFAULT}.
   *
   * @param bytes the encoding, not null; may be empty (gives an empty list)
   * @return the top-level objects in order; never null
   * @throws TlvException if the bytes break a rule or a bound; the message names offset and tag
   */
  public static List<Tlv> parse(byte[] bytes) {
    return parse(bytes, TlvLimits.DEFAULT);
  }

  /**
   * Parses a sequence of TLV objects under the given limits.
   *
   * @throws TlvException if the bytes break a rule or a bound; the message names offset and tag
   */
  public static List<Tlv> parse(byte[] bytes, TlvLimits limits) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(limits, "limits");
    return new TlvParser(bytes, limits).parseAll();
  }

  /**
   * Parses bytes that must hold exactly one top-level object (padding aside).
   *
   * @throws TlvException if there is not exactly one object or the bytes break a rule
   */
  public static Tlv parseSingle(byte[] bytes) {
    List<Tlv> all = parse(bytes);
    if (all.size() != 1) {
      throw new TlvException(-1, "expected exactly one top-level object, found " + all.size());
    }
    return all.get(0);
  }

  /** Encodes a sequence of objects back to back with minimal length fields; never null. */
  public static byte[] encode(List<Tlv> objects) {
    return TlvEncoder.encode(List.copyOf(objects));
  }
}

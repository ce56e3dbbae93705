package io.iotpay.foundation.codec;

/**
 * Bounds the BER-TLV parser enforces. Every bound exists so that a hostile card or message cannot
 * make the parser use more memory or time than its input justifies.
 *
 * @param tagBytesMax longest tag accepted, 1..{@link Tag#BYTES_MAX}; default 3 (EMV uses at most
 *     two, ISO/IEC 7816-4 allows three)
 * @param valueBytesMax longest value field accepted, 0..{@link Tlv#VALUE_BYTES_MAX_ENCODABLE};
 *     default 65 535, the most an extended-length APDU can carry
 * @param depthMax deepest nesting of constructed objects accepted, 1..64; default 16 (real EMV
 *     responses nest at most four deep: 6F / A5 / BF0C / 61)
 */
public record TlvLimits(int tagBytesMax, int valueBytesMax, int depthMax) {
  /** Deepest nesting any caller may ask for; keeps the explicit stack small. */
  public static final int DEPTH_MAX_CEILING = 64;

  /** The defaults described on the record components. */
  public static final TlvLimits DEFAULT = new TlvLimits(3, 65_535, 16);

  /**
   * @throws IllegalArgumentException if a bound is outside its range (a programmer error)
   */
  public TlvLimits {
    if (tagBytesMax < 1 || tagBytesMax > Tag.BYTES_MAX) {
      throw new IllegalArgumentException("tagBytesMax " + tagBytesMax + " outside 1.." + Tag.BYTES_MAX);
    }
    if (valueBytesMax < 0 || valueBytesMax > Tlv.VALUE_BYTES_MAX_ENCODABLE) {
      throw new IllegalArgumentException("valueBytesMax " + valueBytesMax + " outside 0.." + Tlv.VALUE_BYTES_MAX_ENCODABLE);
    }
    if (depthMax < 1 || depthMax > DEPTH_MAX_CEILING) {
      throw new IllegalArgumentException("depthMax " + depthMax + " outside 1.." + DEPTH_MAX_CEILING);
    }
  }

  /** These limits with another depth bound. */
  public TlvLimits withDepthMax(int depthMax) {
    return new TlvLimits(tagBytesMax, valueBytesMax, depthMax);
  }

  /** These limits with another value-length bound. */
  public TlvLimits withValueBytesMax(int valueBytesMax) {
    return new TlvLimits(tagBytesMax, valueBytesMax, depthMax);
  }

  /** These limits with another tag-length bound. */
  public TlvLimits withTagBytesMax(int tagBytesMax) {
    return new TlvLimits(tagBytesMax, valueBytesMax, depthMax);
  }
}

package io.iotpay.foundation.codec;

/** Data element formats of EMV Book 3 §4.3 (Data Element Format Conventions). */
public enum DataFormat {
  /** Alphabetic characters (a..z, A..Z), one per byte. */
  A,
  /** Alphanumeric characters, one per byte. */
  AN,
  /** Alphanumeric and special characters, one per byte. */
  ANS,
  /** Binary: bytes with no character or digit meaning. */
  B,
  /** Compressed numeric: BCD digits, left-justified, padded on the right with F nibbles. */
  CN,
  /** Numeric: BCD digits, right-justified, padded on the left with 0 nibbles. */
  N;

  /** True for the formats whose bytes are characters (a, an, ans). */
  public boolean isText() {
    return switch (this) {
      case A, AN, ANS -> true;
      case B, CN, N -> false;
    };
  }
}

package io.iotpay.protocol.qr;

import io.iotpay.foundation.codec.EmvTags;
import io.iotpay.foundation.codec.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The EMV QRCPS Consumer-Presented Mode data dictionary (spec v1.0/v1.1, section 4 tables): the
 * templates, the data objects an application template (61) or the common data template (62) may
 * hold, and the lengths of the EMV data objects the transparent templates (63, 64) usually carry.
 */
public final class CpmTags {
  public static final Tag PAYLOAD_FORMAT_INDICATOR = Tag.of(0x85);
  public static final Tag APPLICATION_TEMPLATE = Tag.of(0x61);
  public static final Tag COMMON_DATA_TEMPLATE = Tag.of(0x62);
  public static final Tag APPLICATION_TRANSPARENT_TEMPLATE = Tag.of(0x63);
  public static final Tag COMMON_TRANSPARENT_TEMPLATE = Tag.of(0x64);
  public static final Tag ADF_NAME = Tag.of(0x4F);
  public static final Tag PAN = Tag.of(0x5A);
  public static final Tag TRACK_2 = Tag.of(0x57);
  public static final Tag APPLICATION_CRYPTOGRAM = Tag.of(0x9F26);

  /** How a value's bytes are coded (EMV Book 3 section 4.3). */
  public enum Format {
    /** Binary, any bytes. */
    B,
    /** Alphanumeric ASCII. */
    AN,
    /** Printable ASCII 0x20..0x7E. */
    ANS,
    /** Compressed numeric: BCD digits, right-padded with F nibbles. */
    CN,
    /** Numeric: BCD digits, right-aligned. */
    N,
    /** Track 2 equivalent: BCD digits, one D separator, an F pad nibble at most at the end. */
    TRACK_2
  }

  /**
   * One row.
   *
   * @param name the spec's name
   * @param format value coding
   * @param bytesMin fewest value bytes
   * @param bytesMax most value bytes
   */
  public record Spec(String name, Format format, int bytesMin, int bytesMax) {}

  /** What 61 and 62 may hold besides their transparent template. */
  private static final Map<Tag, Spec> TEMPLATE_CHILDREN = templateChildren();

  /** EMV data objects of 63 and 64 with a fixed or bounded length; others pass through as given. */
  private static final Map<Tag, Spec> TRANSPARENT_KNOWN = transparentKnown();

  private CpmTags() {}

  /** The row for a primitive in 61 or 62, or empty if the tag may not appear there. */
  public static Optional<Spec> templateChild(Tag tag) {
    return Optional.ofNullable(TEMPLATE_CHILDREN.get(tag));
  }

  /** The row for a primitive in 63 or 64 when we know its length, else empty (any length passes). */
  public static Optional<Spec> transparentChild(Tag tag) {
    return Optional.ofNullable(TRANSPARENT_KNOWN.get(tag));
  }

  /** A readable name for a tag of a consumer-presented payload. */
  public static String nameOf(Tag tag) {
    if (tag.equals(PAYLOAD_FORMAT_INDICATOR)) {
      return "Payload Format Indicator";
    }
    if (tag.equals(APPLICATION_TEMPLATE)) {
      return "Application Template";
    }
    if (tag.equals(COMMON_DATA_TEMPLATE)) {
      return "Common Data Template";
    }
    if (tag.equals(APPLICATION_TRANSPARENT_TEMPLATE)) {
      return "Application Specific Transparent Template";
    }
    if (tag.equals(COMMON_TRANSPARENT_TEMPLATE)) {
      return "Common Data Transparent Template";
    }
    Spec spec = TEMPLATE_CHILDREN.getOrDefault(tag, TRANSPARENT_KNOWN.get(tag));
    return spec != null ? spec.name() : EmvTags.nameOf(tag);
  }

  private static Map<Tag, Spec> templateChildren() {
    Map<Tag, Spec> map = new LinkedHashMap<>();
    map.put(ADF_NAME, new Spec("Application Definition File (ADF) Name", Format.B, 5, 16));
    map.put(Tag.of(0x50), new Spec("Application Label", Format.ANS, 1, 16));
    map.put(TRACK_2, new Spec("Track 2 Equivalent Data", Format.TRACK_2, 1, 19));
    map.put(PAN, new Spec("Application PAN", Format.CN, 1, 10));
    map.put(Tag.of(0x5F20), new Spec("Cardholder Name", Format.ANS, 2, 26));
    map.put(Tag.of(0x5F2D), new Spec("Language Preference", Format.AN, 2, 8));
    map.put(Tag.of(0x5F50), new Spec("Issuer URL", Format.ANS, 1, 255));
    map.put(Tag.of(0x9F08), new Spec("Application Version Number", Format.B, 2, 2));
    map.put(Tag.of(0x9F19), new Spec("Token Requestor ID", Format.N, 6, 6));
    map.put(Tag.of(0x9F24), new Spec("Payment Account Reference", Format.AN, 29, 29));
    map.put(Tag.of(0x9F25), new Spec("Last 4 Digits of PAN", Format.N, 2, 2));
    return Map.copyOf(map);
  }

  private static Map<Tag, Spec> transparentKnown() {
    Map<Tag, Spec> map = new LinkedHashMap<>();
    map.put(APPLICATION_CRYPTOGRAM, new Spec("Application Cryptogram", Format.B, 8, 8));
    map.put(Tag.of(0x9F27), new Spec("Cryptogram Information Data", Format.B, 1, 1));
    map.put(Tag.of(0x9F10), new Spec("Issuer Application Data", Format.B, 1, 32));
    map.put(Tag.of(0x9F36), new Spec("Application Transaction Counter", Format.B, 2, 2));
    map.put(Tag.of(0x82), new Spec("Application Interchange Profile", Format.B, 2, 2));
    map.put(Tag.of(0x9F37), new Spec("Unpredictable Number", Format.B, 4, 4));
    map.put(Tag.of(0x9F02), new Spec("Amount, Authorised (Numeric)", Format.N, 6, 6));
    map.put(Tag.of(0x5F2A), new Spec("Transaction Currency Code", Format.N, 2, 2));
    map.put(Tag.of(0x9A), new Spec("Transaction Date", Format.N, 3, 3));
    map.put(Tag.of(0x9C), new Spec("Transaction Type", Format.N, 1, 1));
    map.put(Tag.of(0x95), new Spec("Terminal Verification Results", Format.B, 5, 5));
    map.put(Tag.of(0x9F1A), new Spec("Terminal Country Code", Format.N, 2, 2));
    return Map.copyOf(map);
  }
}

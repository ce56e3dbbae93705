package io.iotpay.protocol.qr;

import io.iotpay.foundation.Assert;

/**
 * The EMV QRCPS Merchant-Presented Mode data dictionary (spec v1.1, section 4 tables): for each ID
 * in each template, its name, whether it is a template, its format, its length limits and any
 * value rule. One place to review against the spec; the codec holds no tag numbers of its own.
 */
public final class MpmTags {
  /** Largest value length the two-digit length field can write. */
  public static final int VALUE_CHARS_MAX = 99;

  private MpmTags() {}

  /** Character set of a value. */
  public enum Format {
    /** Decimal digits only. */
    N,
    /** Printable ASCII, 0x20..0x7E (EMV "ans" as QRCPS uses it). */
    ANS,
    /** Any Unicode character but control characters (QRCPS "S"); lengths count code points. */
    S
  }

  /** Which dictionary applies to a template's children. */
  public enum Children {
    /** Not a template. */
    NONE,
    /** The payload itself. */
    ROOT,
    /** Merchant account information 26..51, unreserved 80..99, payment system specific 62.50..99. */
    ACCOUNT,
    /** Additional data field template, ID 62. */
    ADDITIONAL,
    /** Merchant information, language template, ID 64. */
    LANGUAGE
  }

  /** A value rule beyond format and length, checked by the codec. */
  public enum Rule {
    NONE,
    /** Payload format indicator: "01". */
    PAYLOAD_FORMAT,
    /** Point of initiation: "11" static or "12" dynamic. */
    INITIATION,
    /** ISO 4217 numeric code known to {@code CurrencyUnit}. */
    CURRENCY,
    /** Digits with at most one '.', no more decimals than the currency has. */
    AMOUNT,
    /** Tip or convenience indicator: "01" prompt, "02" fixed fee, "03" percentage. */
    TIP_INDICATOR,
    /** A percentage 00.01..99.99 written with at most two decimals. */
    PERCENTAGE,
    /** ISO 3166-1 alpha-2 country code. */
    COUNTRY,
    /** Additional consumer data request: letters A, M, E, each at most once. */
    CONSUMER_DATA_REQUEST,
    /** ISO 639 alpha-2 language code (the spec's example writes it upper-case). */
    LANGUAGE,
    /** Four upper-case hex digits. */
    CRC
  }

  /**
   * One row of the dictionary.
   *
   * @param name the spec's name
   * @param children the child dictionary for a template, {@link Children#NONE} for a primitive
   * @param format character set (for templates, of the whole value)
   * @param lengthMin fewest characters
   * @param lengthMax most characters
   * @param rule further value rule
   */
  public record Spec(String name, Children children, Format format, int lengthMin, int lengthMax, Rule rule) {
    /** True when the value is a sequence of data objects. */
    public boolean isTemplate() {
      return children != Children.NONE;
    }
  }

  /** The root of the payload: the template whose children are the top-level data objects. */
  public static final Spec PAYLOAD = new Spec("Payload", Children.ROOT, Format.S, 1, VALUE_CHARS_MAX, Rule.NONE);

  /**
   * The row for a data object with this ID inside a template of this kind.
   *
   * @param parent the enclosing template's dictionary, not {@link Children#NONE}
   * @param id 0..99
   */
  public static Spec lookup(Children parent, int id) {
    return switch (parent) {
      case ROOT -> root(id);
      case ACCOUNT -> account(id);
      case ADDITIONAL -> additional(id);
      case LANGUAGE -> language(id);
      case NONE -> throw Assert.unreachable("a primitive data object has no children [id={}]", id);
    };
  }

  private static Spec root(int id) {
    if (id >= 2 && id <= 25) {
      return primitive("Merchant Account Information (reserved for a payment network)", Format.ANS, 1, VALUE_CHARS_MAX);
    }
    if (id >= 26 && id <= 51) {
      return template("Merchant Account Information", Children.ACCOUNT);
    }
    if (id >= 65 && id <= 79) {
      return primitive("RFU for EMVCo", Format.S, 1, VALUE_CHARS_MAX);
    }
    if (id >= 80) {
      return template("Unreserved Template", Children.ACCOUNT);
    }
    return switch (id) {
      case 0 -> new Spec("Payload Format Indicator", Children.NONE, Format.N, 2, 2, Rule.PAYLOAD_FORMAT);
      case 1 -> new Spec("Point of Initiation Method", Children.NONE, Format.N, 2, 2, Rule.INITIATION);
      case 52 -> primitive("Merchant Category Code", Format.N, 4, 4);
      case 53 -> new Spec("Transaction Currency", Children.NONE, Format.N, 3, 3, Rule.CURRENCY);
      case 54 -> new Spec("Transaction Amount", Children.NONE, Format.ANS, 1, 13, Rule.AMOUNT);
      case 55 -> new Spec("Tip or Convenience Indicator", Children.NONE, Format.N, 2, 2, Rule.TIP_INDICATOR);
      case 56 -> new Spec("Value of Convenience Fee Fixed", Children.NONE, Format.ANS, 1, 13, Rule.AMOUNT);
      case 57 -> new Spec("Value of Convenience Fee Percentage", Children.NONE, Format.ANS, 1, 5, Rule.PERCENTAGE);
      case 58 -> new Spec("Country Code", Children.NONE, Format.ANS, 2, 2, Rule.COUNTRY);
      case 59 -> primitive("Merchant Name", Format.ANS, 1, 25);
      case 60 -> primitive("Merchant City", Format.ANS, 1, 15);
      case 61 -> primitive("Postal Code", Format.ANS, 1, 10);
      case 62 -> template("Additional Data Field Template", Children.ADDITIONAL);
      case 63 -> new Spec("CRC", Children.NONE, Format.ANS, 4, 4, Rule.CRC);
      case 64 -> template("Merchant Information - Language Template", Children.LANGUAGE);
      default -> throw Assert.unreachable("data object ID outside 0..99 [id={}]", id);
    };
  }

  private static Spec account(int id) {
    if (id == 0) {
      return primitive("Globally Unique Identifier", Format.ANS, 1, 32);
    }
    return primitive("Payment network specific", Format.S, 1, VALUE_CHARS_MAX);
  }

  private static Spec additional(int id) {
    if (id >= 50) {
      return template("Payment System specific template", Children.ACCOUNT);
    }
    return switch (id) {
      case 1 -> primitive("Bill Number", Format.ANS, 1, 25);
      case 2 -> primitive("Mobile Number", Format.ANS, 1, 25);
      case 3 -> primitive("Store Label", Format.ANS, 1, 25);
      case 4 -> primitive("Loyalty Number", Format.ANS, 1, 25);
      case 5 -> primitive("Reference Label", Format.ANS, 1, 25);
      case 6 -> primitive("Customer Label", Format.ANS, 1, 25);
      case 7 -> primitive("Terminal Label", Format.ANS, 1, 25);
      case 8 -> primitive("Purpose of Transaction", Format.ANS, 1, 25);
      case 9 -> new Spec("Additional Consumer Data Request", Children.NONE, Format.ANS, 1, 3, Rule.CONSUMER_DATA_REQUEST);
      case 10 -> primitive("Merchant Tax ID", Format.ANS, 1, 20);
      case 11 -> primitive("Merchant Channel", Format.ANS, 3, 3);
      // 00 and 12..49 carry no definition in the tables we could check: kept as RFU, never refused.
      default -> primitive("RFU for EMVCo", Format.S, 1, VALUE_CHARS_MAX);
    };
  }

  private static Spec language(int id) {
    return switch (id) {
      case 0 -> new Spec("Language Preference", Children.NONE, Format.ANS, 2, 2, Rule.LANGUAGE);
      case 1 -> primitive("Merchant Name - Alternate Language", Format.S, 1, 25);
      case 2 -> primitive("Merchant City - Alternate Language", Format.S, 1, 15);
      default -> primitive("RFU for EMVCo", Format.S, 1, VALUE_CHARS_MAX);
    };
  }

  private static Spec primitive(String name, Format format, int min, int max) {
    return new Spec(name, Children.NONE, format, min, max, Rule.NONE);
  }

  private static Spec template(String name, Children children) {
    return new Spec(name, children, Format.S, 1, VALUE_CHARS_MAX, Rule.NONE);
  }
}

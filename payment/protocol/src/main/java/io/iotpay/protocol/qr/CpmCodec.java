package io.iotpay.protocol.qr;

import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.codec.TlvException;
import io.iotpay.foundation.codec.TlvLimits;
import io.iotpay.protocol.qr.CpmTags.Spec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Codec for EMV QRCPS Consumer-Presented Mode payloads: base64 of BER-TLV bytes, parsed with the
 * foundation's bounded, iterative {@link BerTlv} parser, then checked against {@link CpmTags}.
 *
 * <p>Strict on form as well as content: the text must be canonical padded base64 and the bytes the
 * canonical BER-TLV encoding (minimal lengths, no padding bytes), so that a decoded code re-encodes to
 * exactly the text that was scanned.
 */
public final class CpmCodec {
  /**
   * Most payload bytes accepted. The spec's example is 124 bytes; 512 leaves room for several
   * applications and a full transparent template while keeping the symbol scannable from a phone.
   */
  public static final int PAYLOAD_BYTES_MAX = 512;

  /** Longest base64 text of {@link #PAYLOAD_BYTES_MAX} bytes. */
  public static final int TEXT_CHARS_MAX = 4 * ((PAYLOAD_BYTES_MAX + 2) / 3);

  /** 61 or 62, then 63 or 64 inside: nothing nests deeper. */
  public static final int DEPTH_MAX = 2;

  /** The only payload format indicator defined: "CPV01". */
  public static final String PAYLOAD_FORMAT = "CPV01";

  /**
   * The parser allows one level more than a valid code uses, so that a template inside a transparent
   * template is refused by the dictionary check, which names its tag; deeper input stops in the parser.
   */
  private static final TlvLimits LIMITS = TlvLimits.DEFAULT.withDepthMax(DEPTH_MAX + 1).withValueBytesMax(PAYLOAD_BYTES_MAX);

  private CpmCodec() {}

  /**
   * Decodes and validates a consumer-presented payload.
   *
   * @param text the QR text, not null
   * @return the decoded code; never null
   * @throws QrException naming the rule and the tag when the text breaks any rule
   */
  public static ConsumerPresentedCode decode(String text) {
    Objects.requireNonNull(text, "text");
    byte[] bytes = base64(text);
    List<Tlv> objects = parse(bytes);
    checkTop(objects);
    return new ConsumerPresentedCode(text, objects);
  }

  /**
   * Encodes data objects as BER-TLV, then base64, and validates the result as {@link #decode} does.
   *
   * @param objects the top-level objects: 85 first, then 61 and 62 templates; not null
   * @throws QrException if the objects break a rule
   */
  public static ConsumerPresentedCode encode(List<Tlv> objects) {
    Objects.requireNonNull(objects, "objects");
    byte[] bytes;
    try {
      bytes = BerTlv.encode(objects);
    } catch (TlvException tooLong) {
      throw new QrException(QrError.PAYLOAD_TOO_LONG, "", tooLong.getMessage(), tooLong);
    }
    if (bytes.length > PAYLOAD_BYTES_MAX) {
      throw new QrException(QrError.PAYLOAD_TOO_LONG, "", bytes.length + " bytes, at most " + PAYLOAD_BYTES_MAX);
    }
    return decode(Base64.getEncoder().encodeToString(bytes));
  }

  private static byte[] base64(String text) {
    if (text.isEmpty()) {
      throw new QrException(QrError.PAYLOAD_EMPTY, "", "nothing to decode");
    }
    if (text.length() > TEXT_CHARS_MAX) {
      throw new QrException(QrError.PAYLOAD_TOO_LONG, "", text.length() + " characters of base64, at most " + TEXT_CHARS_MAX);
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException notBase64) {
      throw new QrException(QrError.NOT_BASE64, "", notBase64.getMessage(), notBase64);
    }
    // Java's decoder accepts missing padding and non-zero trailing bits; a canonical text re-encodes to itself.
    if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
      throw new QrException(QrError.NOT_BASE64, "", "not canonical padded base64 (RFC 4648 section 4)");
    }
    return bytes;
  }

  private static List<Tlv> parse(byte[] bytes) {
    List<Tlv> objects;
    try {
      objects = BerTlv.parse(bytes, LIMITS);
    } catch (TlvException malformed) {
      throw new QrException(QrError.TLV_MALFORMED, "", malformed.getMessage(), malformed);
    }
    if (!Arrays.equals(BerTlv.encode(objects), bytes)) {
      throw new QrException(QrError.TLV_MALFORMED, "", "padding bytes or a non-minimal length field (the encoding must be canonical)");
    }
    return objects;
  }

  private static void checkTop(List<Tlv> objects) {
    if (objects.isEmpty() || !objects.get(0).tag().equals(CpmTags.PAYLOAD_FORMAT_INDICATOR)) {
      throw new QrException(QrError.PAYLOAD_FORMAT_INDICATOR, "85", objects.isEmpty()
          ? "no data objects" : "the first data object is tag " + objects.get(0).tag());
    }
    byte[] format = ((Tlv.Primitive) objects.get(0)).value();
    if (!Arrays.equals(format, PAYLOAD_FORMAT.getBytes(StandardCharsets.US_ASCII))) {
      throw new QrException(QrError.PAYLOAD_FORMAT_INDICATOR, "85", "only " + PAYLOAD_FORMAT + " is defined");
    }
    int applications = 0;
    boolean common = false;
    for (Tlv object : objects.subList(1, objects.size())) {
      String path = object.tag().toString();
      if (object.tag().equals(CpmTags.APPLICATION_TEMPLATE)) {
        applications++;
        checkTemplate((Tlv.Constructed) object, path, CpmTags.APPLICATION_TRANSPARENT_TEMPLATE);
        requireChild((Tlv.Constructed) object, CpmTags.ADF_NAME, path);
      } else if (object.tag().equals(CpmTags.COMMON_DATA_TEMPLATE)) {
        require(!common, QrError.DUPLICATE_ID, path, "a second common data template");
        common = true;
        checkTemplate((Tlv.Constructed) object, path, CpmTags.COMMON_TRANSPARENT_TEMPLATE);
      } else {
        throw new QrException(object.tag().equals(CpmTags.PAYLOAD_FORMAT_INDICATOR) ? QrError.DUPLICATE_ID : QrError.UNEXPECTED_TAG,
            path, "top level holds 85, then templates 61 and 62");
      }
    }
    require(applications > 0, QrError.MANDATORY_MISSING, "61", "at least one application template");
    boolean account = Tlv.findIn(objects, CpmTags.PAN).isPresent() || Tlv.findIn(objects, CpmTags.TRACK_2).isPresent();
    require(account, QrError.MANDATORY_MISSING, "5A", "neither an application PAN (5A) nor track 2 equivalent data (57)");
  }

  /** A 61 or 62: known primitives once each, and at most one transparent template of the right kind. */
  private static void checkTemplate(Tlv.Constructed template, String path, Tag transparentTag) {
    Set<Tag> seen = new HashSet<>();
    for (Tlv child : template.children()) {
      String childPath = path + "." + child.tag();
      require(seen.add(child.tag()), QrError.DUPLICATE_ID, childPath, "tag " + child.tag() + " appears twice in " + path);
      switch (child) {
        case Tlv.Constructed nested -> {
          require(nested.tag().equals(transparentTag), QrError.UNEXPECTED_TAG, childPath,
              "template " + path + " holds only primitives and transparent template " + transparentTag);
          checkTransparent(nested, childPath);
        }
        case Tlv.Primitive primitive -> {
          Spec spec = CpmTags.templateChild(primitive.tag()).orElseThrow(() ->
              new QrException(QrError.UNEXPECTED_TAG, childPath, "tag " + primitive.tag() + " is not defined for template " + path));
          checkValue(primitive, spec, childPath);
        }
      }
    }
  }

  /** A 63 or 64: EMV primitives passed through to the issuer; lengths checked where known. */
  private static void checkTransparent(Tlv.Constructed template, String path) {
    Set<Tag> seen = new HashSet<>();
    for (Tlv child : template.children()) {
      String childPath = path + "." + child.tag();
      require(seen.add(child.tag()), QrError.DUPLICATE_ID, childPath, "tag " + child.tag() + " appears twice in " + path);
      switch (child) {
        case Tlv.Constructed nested -> throw new QrException(QrError.PRIMITIVE_EXPECTED, childPath,
            "transparent template " + path + " holds primitive data objects only");
        case Tlv.Primitive primitive -> {
          var spec = CpmTags.transparentChild(primitive.tag());
          if (spec.isPresent()) {
            checkValue(primitive, spec.get(), childPath);
          }
        }
      }
    }
  }

  private static void checkValue(Tlv.Primitive primitive, Spec spec, String path) {
    byte[] value = primitive.value();
    require(value.length >= spec.bytesMin() && value.length <= spec.bytesMax(), QrError.LENGTH_OUT_OF_RANGE, path,
        spec.name() + " has " + value.length + " bytes, " + spec.bytesMin() + ".." + spec.bytesMax() + " allowed");
    boolean valid = switch (spec.format()) {
      case B -> true;
      case AN -> ascii(value, true);
      case ANS -> ascii(value, false);
      case CN -> compressedNumeric(value);
      case N -> numeric(value);
      case TRACK_2 -> track2(value);
    };
    // The detail never echoes the value: it may be a PAN or track 2.
    require(valid, QrError.VALUE_FORMAT, path, spec.name() + " is not valid " + spec.format().name().toLowerCase());
  }

  private static boolean ascii(byte[] value, boolean alphanumericOnly) {
    for (byte b : value) {
      boolean printable = b >= 0x20 && b <= 0x7E;
      boolean alphanumeric = Character.isLetterOrDigit(b) && printable;
      if (alphanumericOnly ? !alphanumeric : !printable) {
        return false;
      }
    }
    return true;
  }

  private static boolean numeric(byte[] value) {
    for (byte b : value) {
      if ((b & 0xF0) > 0x90 || (b & 0x0F) > 9) {
        return false;
      }
    }
    return true;
  }

  /** Digits, then only F pad nibbles, at least one digit. */
  private static boolean compressedNumeric(byte[] value) {
    boolean padding = false;
    int digits = 0;
    for (int i = 0; i < value.length * 2; i++) {
      int nibble = nibble(value, i);
      if (nibble == 0xF) {
        padding = true;
      } else if (nibble > 9 || padding) {
        return false;
      } else {
        digits++;
      }
    }
    return digits > 0;
  }

  /** Digits with exactly one D separator; an F only as the last nibble. */
  private static boolean track2(byte[] value) {
    int separators = 0;
    int nibbles = value.length * 2;
    for (int i = 0; i < nibbles; i++) {
      int nibble = nibble(value, i);
      if (nibble == 0xD) {
        separators++;
      } else if (nibble == 0xF) {
        if (i != nibbles - 1) {
          return false;
        }
      } else if (nibble > 9) {
        return false;
      }
    }
    return separators == 1;
  }

  private static int nibble(byte[] value, int index) {
    int b = value[index / 2] & 0xFF;
    return index % 2 == 0 ? b >>> 4 : b & 0x0F;
  }

  private static void requireChild(Tlv.Constructed template, Tag tag, String path) {
    for (Tlv child : template.children()) {
      if (child.tag().equals(tag)) {
        return;
      }
    }
    throw new QrException(QrError.MANDATORY_MISSING, path + "." + tag, "template " + path + " has no tag " + tag);
  }

  private static void require(boolean condition, QrError error, String path, String detail) {
    if (!condition) {
      throw new QrException(error, path, detail);
    }
  }
}

package io.iotpay.protocol.qr;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.MoneyException;
import io.iotpay.protocol.qr.MpmTags.Children;
import io.iotpay.protocol.qr.MpmTags.Spec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Codec for EMV QRCPS Merchant-Presented Mode payloads: ID (two digits), length (two digits, counted
 * in characters, i.e. Unicode code points), value; templates hold the same structure inside their
 * value; data object 63 closes the payload with a CRC-16/CCITT-FALSE over the UTF-8 bytes of
 * everything before its value.
 *
 * <p>Decoding is strict (see {@link QrError}) and bounded: at most {@link #PAYLOAD_CHARS_MAX}
 * characters, templates at most {@link #DEPTH_MAX} deep (root, template, template inside 62), walked
 * with an explicit stack. Encoding writes the objects in the order given, appends the CRC and decodes
 * the result, so every rule lives in one place and an encoded payload always decodes.
 */
public final class MpmCodec {
  /**
   * Longest payload accepted, in characters. The spec caps a payload at 512 characters (a QR code
   * a phone camera still reads at a till); it also bounds the decoder's work.
   */
  public static final int PAYLOAD_CHARS_MAX = 512;

  /** The payload, a template, a payment-system template inside 62: nothing nests deeper. */
  public static final int DEPTH_MAX = 3;

  private static final String CRC_HEADER = "6304";
  private static final int ID_CRC = 63;
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
  private static final Pattern AMOUNT = Pattern.compile("[0-9]+(\\.[0-9]+)?");
  private static final Pattern PERCENTAGE = Pattern.compile("[0-9]{1,2}(\\.[0-9]{1,2})?");
  private static final Pattern UPPER_HEX_4 = Pattern.compile("[0-9A-F]{4}");
  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
  private static final Set<String> LANGUAGES = Set.of(Locale.getISOLanguages());

  private MpmCodec() {}

  /** A data object found by the splitter: its ID, path and where its value lies (code point indexes). */
  private record Raw(int id, String path, int valueStart, int valueEnd) {
    String idText() {
      return twoDigitText(id);
    }
  }

  /** A template whose children are being built; the explicit stack holds these. */
  private static final class Frame {
    final Raw owner;
    final Children children;
    final List<Raw> items;
    final List<MpmObject> built = new ArrayList<>();
    final int depth;
    int next;

    Frame(Raw owner, Children children, List<Raw> items, int depth) {
      this.owner = owner;
      this.children = children;
      this.items = items;
      this.depth = depth;
    }

    String path() {
      return owner == null ? "" : owner.path();
    }
  }

  /**
   * Decodes and validates a merchant-presented payload.
   *
   * @param payload the QR code's text, not null
   * @return the decoded code; never null
   * @throws QrException naming the rule and the tag path when the payload breaks any rule
   */
  public static MerchantPresentedCode decode(String payload) {
    Objects.requireNonNull(payload, "payload");
    int[] codePoints = boundedCodePoints(payload);
    List<Raw> top = split(codePoints, 0, codePoints.length, "");
    String crc = checkCrc(payload, codePoints, top);
    if (top.get(0).id() != 0) {
      throw new QrException(QrError.PAYLOAD_FORMAT_INDICATOR, "00", "the first data object is ID " + top.get(0).idText());
    }
    List<MpmObject> objects = build(codePoints, top);
    checkRoot(objects);
    return new MerchantPresentedCode(payload, List.copyOf(objects.subList(0, objects.size() - 1)), crc);
  }

  /**
   * Encodes data objects in the order given, appends data object 63 with the CRC, and validates the
   * result as {@link #decode} does.
   *
   * @param objects the data objects without the CRC, not null; 00 must come first
   * @return the code, whose {@link MerchantPresentedCode#payload()} is the QR text; never null
   * @throws QrException if an object breaks a rule (the payload would not decode)
   */
  public static MerchantPresentedCode encode(List<MpmObject> objects) {
    Objects.requireNonNull(objects, "objects");
    String body = serialize(objects) + CRC_HEADER;
    return decode(body + Crc16.hexOfUtf8(body));
  }

  private static int[] boundedCodePoints(String payload) {
    if (payload.isEmpty()) {
      throw new QrException(QrError.PAYLOAD_EMPTY, "", "nothing to decode");
    }
    // Check the UTF-16 length first so a huge string costs nothing to refuse.
    if (payload.length() > 2 * PAYLOAD_CHARS_MAX || payload.codePointCount(0, payload.length()) > PAYLOAD_CHARS_MAX) {
      throw new QrException(QrError.PAYLOAD_TOO_LONG, "",
          payload.codePointCount(0, payload.length()) + " characters, at most " + PAYLOAD_CHARS_MAX);
    }
    return payload.codePoints().toArray();
  }

  /** Splits [start, end) into data objects; inside a template, a broken structure means "not a template". */
  private static List<Raw> split(int[] text, int start, int end, String parentPath) {
    List<Raw> items = new ArrayList<>();
    boolean[] seen = new boolean[100];
    int at = start;
    while (at < end) {
      if (end - at < 4) {
        throw structural(QrError.LENGTH_PAST_END, parentPath, parentPath,
            "a data object needs 4 characters of ID and length, " + (end - at) + " remain at character " + at);
      }
      int id = twoDigits(text, at);
      if (id < 0) {
        throw structural(QrError.ID_NOT_NUMERIC, parentPath, parentPath, "'" + slice(text, at, at + 2) + "' at character " + at);
      }
      String path = path(parentPath, id);
      int length = twoDigits(text, at + 2);
      if (length < 0) {
        throw structural(QrError.LENGTH_NOT_NUMERIC, parentPath, path, "'" + slice(text, at + 2, at + 4) + "' at character " + (at + 2));
      }
      int valueStart = at + 4;
      if (length > end - valueStart) {
        throw structural(QrError.LENGTH_PAST_END, parentPath, path,
            "length " + length + " but " + (end - valueStart) + " characters remain" + (parentPath.isEmpty() ? "" : " in template " + parentPath));
      }
      if (length == 0) {
        throw new QrException(QrError.LENGTH_OUT_OF_RANGE, path, "length 00: a data object holds at least one character");
      }
      if (seen[id]) {
        throw new QrException(QrError.DUPLICATE_ID, path, "ID " + twoDigitText(id) + " appears twice" + inTemplate(parentPath));
      }
      seen[id] = true;
      items.add(new Raw(id, path, valueStart, valueStart + length));
      at = valueStart + length;
    }
    return items;
  }

  private static QrException structural(QrError atRoot, String parentPath, String path, String detail) {
    if (parentPath.isEmpty()) {
      return new QrException(atRoot, path, detail);
    }
    return new QrException(QrError.TEMPLATE_EXPECTED, parentPath, atRoot.description() + ": " + detail);
  }

  /** Checks data object 63: present, last, four upper-case hex digits, equal to the payload's CRC. */
  private static String checkCrc(String payload, int[] text, List<Raw> top) {
    int crcIndex = -1;
    for (int i = 0; i < top.size(); i++) {
      if (top.get(i).id() == ID_CRC) {
        crcIndex = i;
      }
    }
    if (crcIndex < 0) {
      throw new QrException(QrError.CRC_MISSING, "63", "no data object 63 in the payload");
    }
    if (crcIndex != top.size() - 1) {
      throw new QrException(QrError.CRC_NOT_LAST, "63", "ID " + top.get(top.size() - 1).idText() + " follows it");
    }
    Raw crcObject = top.get(crcIndex);
    String crc = slice(text, crcObject.valueStart(), crcObject.valueEnd());
    if (!UPPER_HEX_4.matcher(crc).matches()) {
      throw new QrException(QrError.CRC_FORMAT, "63", "'" + crc + "'");
    }
    String covered = payload.substring(0, payload.offsetByCodePoints(0, crcObject.valueStart()));
    String expected = Crc16.hexOfUtf8(covered);
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), crc.getBytes(StandardCharsets.US_ASCII))) {
      throw new QrException(QrError.CRC_MISMATCH, "63", "the payload's CRC is " + expected + ", the code says " + crc);
    }
    return crc;
  }

  /** Builds the tree with an explicit stack of open templates, checking each value against its row. */
  private static List<MpmObject> build(int[] text, List<Raw> top) {
    Deque<Frame> open = new ArrayDeque<>();
    open.push(new Frame(null, Children.ROOT, top, 1));
    while (true) {
      Frame frame = open.peek();
      if (frame.next == frame.items.size()) {
        open.pop();
        checkChildren(frame.children, frame.path(), frame.built);
        if (open.isEmpty()) {
          return frame.built;
        }
        open.peek().built.add(new MpmObject.Template(frame.owner.idText(), frame.built));
        continue;
      }
      Raw raw = frame.items.get(frame.next++);
      Spec spec = MpmTags.lookup(frame.children, raw.id());
      checkLength(raw, spec);
      if (spec.isTemplate()) {
        Assert.that(frame.depth < DEPTH_MAX, "the MPM dictionary nests deeper than DEPTH_MAX [path={}]", raw.path());
        open.push(new Frame(raw, spec.children(), split(text, raw.valueStart(), raw.valueEnd(), raw.path()), frame.depth + 1));
      } else {
        String value = slice(text, raw.valueStart(), raw.valueEnd());
        checkValue(raw.path(), spec, value);
        frame.built.add(new MpmObject.Primitive(raw.idText(), value));
      }
    }
  }

  private static void checkLength(Raw raw, Spec spec) {
    int length = raw.valueEnd() - raw.valueStart();
    if (length < spec.lengthMin() || length > spec.lengthMax()) {
      String limits = spec.lengthMin() == spec.lengthMax() ? "exactly " + spec.lengthMin() : spec.lengthMin() + ".." + spec.lengthMax();
      throw new QrException(QrError.LENGTH_OUT_OF_RANGE, raw.path(), spec.name() + " has " + length + " characters, " + limits + " allowed");
    }
  }

  private static void checkValue(String path, Spec spec, String value) {
    checkFormat(path, spec, value);
    switch (spec.rule()) {
      case NONE, CRC -> { } // CRC was checked before the tree was built
      case PAYLOAD_FORMAT -> require(value.equals("01"), QrError.PAYLOAD_FORMAT_INDICATOR, path, "version '" + value + "', only '01' is defined");
      case INITIATION -> require(value.equals("11") || value.equals("12"), QrError.VALUE_FORMAT, path, "'" + value + "' is neither 11 (static) nor 12 (dynamic)");
      case CURRENCY -> currency(path, value);
      case AMOUNT -> require(AMOUNT.matcher(value).matches(), QrError.VALUE_FORMAT, path, "'" + value + "' is not digits with at most one '.' between digits");
      case TIP_INDICATOR -> require(value.equals("01") || value.equals("02") || value.equals("03"), QrError.VALUE_FORMAT, path, "'" + value + "' is not 01, 02 or 03");
      case PERCENTAGE -> require(PERCENTAGE.matcher(value).matches() && value.chars().anyMatch(c -> c >= '1' && c <= '9'), QrError.VALUE_FORMAT, path,
          "'" + value + "' is not a percentage 00.01..99.99");
      case COUNTRY -> require(COUNTRIES.contains(value), QrError.VALUE_FORMAT, path, "'" + value + "' is not an ISO 3166-1 alpha-2 code");
      case CONSUMER_DATA_REQUEST -> require(value.matches("(?!.*(.).*\\1)[AME]+"), QrError.VALUE_FORMAT, path,
          "'" + value + "' is not a set of the letters A, M, E");
      case LANGUAGE -> require(LANGUAGES.contains(value.toLowerCase(Locale.ROOT)) && value.matches("[A-Za-z]{2}"), QrError.VALUE_FORMAT, path,
          "'" + value + "' is not an ISO 639 alpha-2 code");
    }
  }

  private static void checkFormat(String path, Spec spec, String value) {
    switch (spec.format()) {
      case N -> require(DIGITS.matcher(value).matches(), QrError.VALUE_FORMAT, path, spec.name() + " must be decimal digits");
      case ANS -> {
        for (int i = 0; i < value.length(); i++) {
          char c = value.charAt(i);
          require(c >= 0x20 && c <= 0x7E, QrError.VALUE_FORMAT, path,
              spec.name() + " allows printable ASCII only, character " + i + " is U+" + String.format(Locale.ROOT, "%04X", (int) c));
        }
      }
      case S -> value.codePoints().forEach(c -> require(!Character.isISOControl(c) && (c > 0xFFFF || !Character.isSurrogate((char) c)),
          QrError.VALUE_FORMAT, path, spec.name() + " holds control character or lone surrogate U+" + String.format(Locale.ROOT, "%04X", c)));
    }
  }

  private static CurrencyUnit currency(String path, String value) {
    try {
      return CurrencyUnit.ofNumeric(Integer.parseInt(value));
    } catch (MoneyException | NumberFormatException unknown) {
      throw new QrException(QrError.UNKNOWN_CURRENCY, path, "'" + value + "'", unknown);
    }
  }

  /** Mandatory children of a finished template, and the root's conditional objects. */
  private static void checkChildren(Children kind, String path, List<MpmObject> built) {
    switch (kind) {
      case ROOT -> {
        for (String id : List.of("52", "53", "58", "59", "60")) {
          requirePresent(built, id, path(path, Integer.parseInt(id)));
        }
      }
      case ACCOUNT -> requirePresent(built, "00", path + ".00");
      case LANGUAGE -> {
        requirePresent(built, "00", path + ".00");
        requirePresent(built, "01", path + ".01");
      }
      case ADDITIONAL -> { } // every data object in 62 is optional
      case NONE -> throw Assert.unreachable("a primitive was built as a template [path={}]", path);
    }
  }

  /** Rules across root data objects: an account, the tip indicator's fees, amounts in the currency's decimals. */
  private static void checkRoot(List<MpmObject> objects) {
    MpmObject.Template root = new MpmObject.Template("", objects);
    boolean hasAccount = objects.stream().map(o -> Integer.parseInt(o.id())).anyMatch(id -> id >= 2 && id <= 51);
    require(hasAccount, QrError.MANDATORY_MISSING, "02-51", "no merchant account information (IDs 02..51)");
    String indicator = root.childValue("55");
    requireCondition(root, "56", "02".equals(indicator));
    requireCondition(root, "57", "03".equals(indicator));
    CurrencyUnit currency = currency("53", root.childValue("53"));
    for (String id : List.of("54", "56")) {
      String amount = root.childValue(id);
      if (amount != null) {
        int dot = amount.indexOf('.');
        int decimals = dot < 0 ? 0 : amount.length() - dot - 1;
        require(decimals <= currency.minorDigits(), QrError.VALUE_FORMAT, id,
            "'" + amount + "' has " + decimals + " decimals, " + currency.alphaCode() + " has " + currency.minorDigits());
      }
    }
  }

  private static void requireCondition(MpmObject.Template root, String id, boolean required) {
    boolean present = root.childValue(id) != null;
    if (present != required) {
      throw new QrException(QrError.CONDITION_BROKEN, id, present
          ? "data object " + id + " needs tip or convenience indicator 55 = " + (id.equals("56") ? "02" : "03")
          : "tip or convenience indicator 55 asks for data object " + id);
    }
  }

  private static void requirePresent(List<MpmObject> built, String id, String path) {
    for (MpmObject object : built) {
      if (object.id().equals(id)) {
        return;
      }
    }
    throw new QrException(QrError.MANDATORY_MISSING, path, "data object " + path + " must be present");
  }

  private static void require(boolean condition, QrError error, String path, String detail) {
    if (!condition) {
      throw new QrException(error, path, detail);
    }
  }

  /** Writes objects in order, each template after its children, with an explicit stack. */
  private static String serialize(List<MpmObject> objects) {
    record Open(String path, Children children, List<MpmObject> items, StringBuilder out, String id) {}
    Deque<Open> open = new ArrayDeque<>();
    Deque<Integer> next = new ArrayDeque<>();
    open.push(new Open("", Children.ROOT, List.copyOf(objects), new StringBuilder(), ""));
    next.push(0);
    while (true) {
      Open frame = open.peek();
      int index = next.pop();
      if (index == frame.items().size()) {
        open.pop();
        if (open.isEmpty()) {
          return frame.out().toString();
        }
        append(open.peek().out(), frame.path(), frame.id(), frame.out().toString());
        continue;
      }
      next.push(index + 1);
      MpmObject object = frame.items().get(index);
      int id = checkedId(frame.path(), object.id());
      String path = path(frame.path(), id);
      Spec spec = MpmTags.lookup(frame.children(), id);
      switch (object) {
        case MpmObject.Primitive primitive -> {
          require(!spec.isTemplate(), QrError.TEMPLATE_EXPECTED, path, spec.name() + " is a template, given a text value");
          append(frame.out(), path, object.id(), primitive.value());
        }
        case MpmObject.Template template -> {
          require(spec.isTemplate(), QrError.PRIMITIVE_EXPECTED, path, spec.name() + " holds text, given a template");
          open.push(new Open(path, spec.children(), template.children(), new StringBuilder(), object.id()));
          next.push(0);
        }
      }
    }
  }

  private static int checkedId(String parentPath, String id) {
    require(id.length() == 2 && DIGITS.matcher(id).matches(), QrError.ID_NOT_NUMERIC, parentPath, "ID '" + id + "'");
    int value = Integer.parseInt(id);
    require(!(parentPath.isEmpty() && value == ID_CRC), QrError.CRC_NOT_LAST, "63", "the encoder appends data object 63 itself");
    return value;
  }

  private static void append(StringBuilder out, String path, String id, String value) {
    int length = value.codePointCount(0, value.length());
    require(length >= 1 && length <= MpmTags.VALUE_CHARS_MAX, QrError.LENGTH_OUT_OF_RANGE, path,
        length + " characters, a data object holds 1.." + MpmTags.VALUE_CHARS_MAX);
    out.append(id).append(twoDigitText(length)).append(value);
  }

  /** The two ASCII digits at this index as 0..99, or -1. */
  private static int twoDigits(int[] text, int at) {
    int high = text[at] - '0';
    int low = text[at + 1] - '0';
    if (high < 0 || high > 9 || low < 0 || low > 9) {
      return -1;
    }
    return high * 10 + low;
  }

  private static String slice(int[] text, int start, int end) {
    return new String(text, start, end - start);
  }

  private static String path(String parentPath, int id) {
    return parentPath.isEmpty() ? twoDigitText(id) : parentPath + "." + twoDigitText(id);
  }

  private static String inTemplate(String parentPath) {
    return parentPath.isEmpty() ? "" : " in template " + parentPath;
  }

  private static String twoDigitText(int value) {
    return value < 10 ? "0" + value : Integer.toString(value);
  }
}

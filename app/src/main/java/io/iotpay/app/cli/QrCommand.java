package io.iotpay.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.qr.ConsumerPresentedCode;
import io.iotpay.protocol.qr.CpmCodec;
import io.iotpay.protocol.qr.CpmTags;
import io.iotpay.protocol.qr.MerchantPresentedCode;
import io.iotpay.protocol.qr.MpmCodec;
import io.iotpay.protocol.qr.MpmObject;
import io.iotpay.protocol.qr.MpmTags;
import io.iotpay.protocol.qr.QrCode;
import io.iotpay.protocol.qr.QrCodec;
import io.iotpay.protocol.qr.QrError;
import io.iotpay.protocol.qr.QrException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code iotpay qr}: EMV payment QR codes (EMV QRCPS merchant- and consumer-presented modes). */
@Command(
    name = "qr",
    mixinStandardHelpOptions = true,
    description = "EMV payment QR codes: decode either mode, encode a merchant-presented code.",
    subcommands = {QrCommand.Decode.class, QrCommand.Encode.class})
public final class QrCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code iotpay qr decode CODE}: the decoded tree as JSON on stdout; exit 2 with the reason on a bad code. */
  @Command(
      name = "decode",
      mixinStandardHelpOptions = true,
      description = {
        "Decodes a QR code's text and prints its data objects as JSON.",
        "Text starting with 'hQ' (base64 of tag 85) is consumer-presented, other text merchant-presented,",
        "unless --cpm or --mpm says which. A PAN or track 2 is printed masked."
      })
  static final class Decode implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CODE", description = "The QR code's text.")
    String code;

    @ArgGroup(exclusive = true)
    Mode mode;

    /** Which mode to decode as; absent: detected from the text. */
    static final class Mode {
      @Option(names = "--cpm", description = "Decode as consumer-presented (base64 of BER-TLV).")
      boolean cpm;

      @Option(names = "--mpm", description = "Decode as merchant-presented (ID/length/value with CRC).")
      boolean mpm;
    }

    @Override
    public void run() {
      QrCode decoded;
      if (mode == null) {
        decoded = QrCodec.decode(code);
      } else {
        decoded = mode.cpm ? CpmCodec.decode(code) : MpmCodec.decode(code);
      }
      ObjectNode json = switch (decoded) {
        case MerchantPresentedCode merchant -> merchantJson(merchant);
        case ConsumerPresentedCode consumer -> consumerJson(consumer);
      };
      PrintWriter out = spec.commandLine().getOut();
      out.println(write(json));
      out.flush();
    }
  }

  /** {@code iotpay qr encode …}: a merchant-presented code on stdout. */
  @Command(
      name = "encode",
      mixinStandardHelpOptions = true,
      description = "Prints a merchant-presented EMV QR code (static, or dynamic with --dynamic) with its CRC.")
  static final class Encode implements Runnable {
    /** Merchant account information templates are IDs 26..51. */
    private static final int ACCOUNT_TEMPLATE_FIRST = 26;
    private static final int ACCOUNT_TEMPLATES_MAX = 26;

    @Spec CommandSpec spec;

    @Option(names = "--merchant-name", required = true, paramLabel = "NAME", description = "Merchant name (59), at most 25 ASCII characters.")
    String merchantName;

    @Option(names = "--city", required = true, paramLabel = "CITY", description = "Merchant city (60), at most 15 ASCII characters.")
    String city;

    @Option(names = "--mcc", required = true, paramLabel = "MCC", description = "Merchant category code (52), four digits.")
    String mcc;

    @Option(names = "--currency", required = true, paramLabel = "CUR", description = "Currency (53): ISO 4217 code, e.g. CNY or 156.")
    String currency;

    @Option(names = "--amount", paramLabel = "AMOUNT", description = "Transaction amount (54), e.g. 23.72; absent: the payer keys it in.")
    String amount;

    @Option(names = "--country", paramLabel = "CC", description = "Country code (58), ISO 3166-1 alpha-2 (default: ${DEFAULT-VALUE}).")
    String country = "CN";

    @Option(names = "--account", required = true, paramLabel = "GUID:VALUE",
        description = "Merchant account information template (26, 27, … in order): 00 = GUID, 01 = VALUE. Repeatable.")
    List<String> accounts;

    @Option(names = "--dynamic", description = "Point of initiation 12 (one payment) instead of 11 (static).")
    boolean dynamic;

    @Override
    public void run() {
      List<MpmObject> objects = new ArrayList<>();
      objects.add(new MpmObject.Primitive("00", "01"));
      objects.add(new MpmObject.Primitive("01", dynamic ? "12" : "11"));
      objects.addAll(accountTemplates());
      objects.add(new MpmObject.Primitive("52", mcc));
      objects.add(new MpmObject.Primitive("53", numericCurrency(currency)));
      if (amount != null) {
        objects.add(new MpmObject.Primitive("54", amount));
      }
      objects.add(new MpmObject.Primitive("58", country));
      objects.add(new MpmObject.Primitive("59", merchantName));
      objects.add(new MpmObject.Primitive("60", city));
      PrintWriter out = spec.commandLine().getOut();
      out.println(MpmCodec.encode(objects).payload());
      out.flush();
    }

    private List<MpmObject> accountTemplates() {
      if (accounts.size() > ACCOUNT_TEMPLATES_MAX) {
        throw new QrException(QrError.LENGTH_OUT_OF_RANGE, "26-51", accounts.size() + " --account options, IDs 26..51 hold " + ACCOUNT_TEMPLATES_MAX);
      }
      List<MpmObject> templates = new ArrayList<>();
      for (int i = 0; i < accounts.size(); i++) {
        String id = Integer.toString(ACCOUNT_TEMPLATE_FIRST + i);
        String account = accounts.get(i);
        int colon = account.indexOf(':');
        if (colon <= 0 || colon == account.length() - 1) {
          throw new QrException(QrError.VALUE_FORMAT, id, "--account '" + account + "' is not GUID:VALUE");
        }
        templates.add(new MpmObject.Template(id, List.of(
            new MpmObject.Primitive("00", account.substring(0, colon)),
            new MpmObject.Primitive("01", account.substring(colon + 1)))));
      }
      return templates;
    }

    private static String numericCurrency(String text) {
      if (text.matches("[0-9]{3}")) {
        return text;
      }
      return String.format(Locale.ROOT, "%03d", CurrencyUnit.of(text.toUpperCase(Locale.ROOT)).numericCode());
    }
  }

  // ---- merchant-presented JSON ----

  private static ObjectNode merchantJson(MerchantPresentedCode code) {
    ObjectNode json = JSON.createObjectNode();
    json.put("mode", "merchant-presented");
    json.put("dynamic", code.isDynamic());
    json.put("currency", code.currency().alphaCode());
    code.amount().ifPresent(amount -> json.put("amount", amount.toPlainString()));
    json.put("crc", code.crc());
    record Level(List<MpmObject> objects, MpmTags.Children kind, ArrayNode out) {}
    Deque<Level> pending = new ArrayDeque<>();
    pending.push(new Level(code.objects(), MpmTags.Children.ROOT, json.putArray("objects")));
    while (!pending.isEmpty()) {
      Level level = pending.pop();
      for (MpmObject object : level.objects()) {
        MpmTags.Spec spec = MpmTags.lookup(level.kind(), Integer.parseInt(object.id()));
        ObjectNode node = level.out().addObject();
        node.put("id", object.id());
        node.put("name", spec.name());
        switch (object) {
          case MpmObject.Primitive primitive -> {
            node.put("length", primitive.value().codePointCount(0, primitive.value().length()));
            node.put("value", primitive.value());
          }
          case MpmObject.Template template -> pending.push(new Level(template.children(), spec.children(), node.putArray("objects")));
        }
      }
    }
    return json;
  }

  // ---- consumer-presented JSON ----

  /** Tags whose value is text; the rest print as hex. */
  private static final Set<Tag> TEXT_TAGS = Set.of(CpmTags.PAYLOAD_FORMAT_INDICATOR, Tag.of(0x50), Tag.of(0x5F20),
      Tag.of(0x5F2D), Tag.of(0x5F50), Tag.of(0x9F24));

  private static ObjectNode consumerJson(ConsumerPresentedCode code) {
    ObjectNode json = JSON.createObjectNode();
    json.put("mode", "consumer-presented");
    record Level(List<Tlv> objects, ArrayNode out) {}
    Deque<Level> pending = new ArrayDeque<>();
    pending.push(new Level(code.objects(), json.putArray("objects")));
    while (!pending.isEmpty()) {
      Level level = pending.pop();
      for (Tlv object : level.objects()) {
        ObjectNode node = level.out().addObject();
        node.put("tag", object.tag().toString());
        node.put("name", CpmTags.nameOf(object.tag()));
        node.put("length", object.valueLength());
        switch (object) {
          case Tlv.Constructed template -> pending.push(new Level(template.children(), node.putArray("objects")));
          case Tlv.Primitive primitive -> putValue(node, primitive);
        }
      }
    }
    return json;
  }

  private static void putValue(ObjectNode node, Tlv.Primitive primitive) {
    Tag tag = primitive.tag();
    if (tag.equals(CpmTags.PAN) || tag.equals(CpmTags.TRACK_2)) {
      // Never print a full PAN: first six and last four digits, as a receipt would.
      node.put("masked", maskDigits(primitive.valueHex()));
      return;
    }
    node.put("hex", primitive.valueHex());
    if (TEXT_TAGS.contains(tag)) {
      node.put("text", new String(primitive.value(), StandardCharsets.US_ASCII));
    }
  }

  /** The PAN digits (up to a D separator, F padding dropped) with all but the first 6 and last 4 starred. */
  static String maskDigits(String hex) {
    int separator = hex.indexOf('D');
    String digits = (separator < 0 ? hex : hex.substring(0, separator)).replace("F", "");
    if (digits.length() <= 10) {
      return "*".repeat(digits.length());
    }
    return digits.substring(0, 6) + "*".repeat(digits.length() - 10) + digits.substring(digits.length() - 4);
  }

  private static String write(ObjectNode json) {
    try {
      return JSON.writeValueAsString(json);
    } catch (JsonProcessingException impossible) {
      // A tree of plain nodes always serialises; reaching here is a Jackson defect.
      throw new UncheckedIOException(impossible);
    }
  }
}

package io.iotpay.protocol.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.iotpay.foundation.TestCommands;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.Tlv;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our codec against two independent implementations from npm, run under the machine's Node.js by
 * {@code src/test/resources/qr/emvqr-interop.js}: emv-qrcps 0.0.7 (ISC) encodes codes that we must
 * decode field by field, and emvqr 0.0.5 (ISC) decodes codes that we encode. The packages live under
 * {@code $IOTPAY_NPM_PREFIX} (default {@code /opt/iotpay-npm}), installed by
 * {@code .ci/setup.d/45-npm-emvqr.sh}; without Node or the packages the test is skipped, saying so.
 */
class QrNpmInteropTest {
  private static final int CODES = 200;
  private static final java.util.regex.Pattern SHORT_CRC = java.util.regex.Pattern.compile("(.*)630([1-3])([0-9A-F]{1,3})");
  private static final String[] MCCS = {"4111", "5411", "5812", "5311", "5999", "7011"};
  private static final String[] CURRENCIES = {"156", "840", "978", "392", "344", "826"};
  private static final String[] COUNTRIES = {"CN", "US", "DE", "JP", "HK", "GB", "SG"};

  private static Path script;
  private static Path prefix;

  @BeforeAll
  static void findNodeAndPackages() throws URISyntaxException {
    prefix = Path.of(System.getenv().getOrDefault("IOTPAY_NPM_PREFIX", "/opt/iotpay-npm"));
    Assumptions.assumeTrue(TestCommands.works("node", "--version"),
        "Node.js ('node' on the PATH) is not installed: npm interoperability not checked");
    for (String name : List.of("emv-qrcps", "emvqr")) {
      Assumptions.assumeTrue(Files.isRegularFile(prefix.resolve("node_modules").resolve(name).resolve("package.json")),
          "npm package " + name + " is not under " + prefix + " (run .ci/setup.d/45-npm-emvqr.sh): npm interoperability not checked");
    }
    script = Path.of(QrNpmInteropTest.class.getResource("/qr/emvqr-interop.js").toURI());
  }

  @Test
  void emvQrcpsEncodes_weDecodeEveryField() throws IOException, InterruptedException {
    Random random = new Random(16);
    List<List<MpmObject>> inputs = new ArrayList<>();
    for (int i = 0; i < CODES; i++) {
      inputs.add(randomCode(random, true));
    }
    List<String> payloads = run(request("encodeMpm", inputs.stream().map(QrNpmInteropTest::json).toList()), "mpm-encoded");

    int repaired = 0;
    for (int i = 0; i < CODES; i++) {
      String payload = payloads.get(i);
      java.util.regex.Matcher shortCrc = SHORT_CRC.matcher(payload);
      if (shortCrc.matches() && Integer.parseInt(shortCrc.group(2)) == shortCrc.group(3).length()) {
        // emv-qrcps 0.0.7 drops a CRC's leading zeros and shortens its length (6303ABC): we refuse
        // it, and the same digits zero-padded to four are the CRC we compute.
        String refusedPayload = payload;
        QrException refused = assertThrows(QrException.class, () -> MpmCodec.decode(refusedPayload));
        assertThat(refused.error()).isEqualTo(QrError.CRC_FORMAT);
        payload = shortCrc.group(1) + "6304" + "0".repeat(4 - shortCrc.group(3).length()) + shortCrc.group(3);
        repaired++;
      }
      MerchantPresentedCode code = MpmCodec.decode(payload);
      assertThat(flatten(code.objects())).as("code %d: %s", i, payload).isEqualTo(flatten(inputs.get(i)));
    }
    // One CRC in sixteen is below 0x1000; over 200 codes some must have hit the case above.
    System.out.println("emv-qrcps interop: " + repaired + " of " + CODES + " codes had a CRC written without its leading zeros");
    assertThat(repaired).isBetween(1, CODES / 4);
  }

  @Test
  void weEncode_emvqrDecodesEveryField() throws IOException, InterruptedException {
    Random random = new Random(4);
    List<MerchantPresentedCode> codes = new ArrayList<>();
    for (int i = 0; i < CODES; i++) {
      codes.add(MpmCodec.encode(randomCode(random, false)));
    }
    List<String> answers = run(request("decodeMpm", codes.stream().map(c -> quote(c.payload())).toList()), "mpm-decoded");

    for (int i = 0; i < CODES; i++) {
      MerchantPresentedCode code = codes.get(i);
      if (code.crc().startsWith("00")) {
        // emvqr 0.0.5 pads its CRC to an even number of digits only, so it refuses CRCs below 0x0100.
        assertThat(answers.get(i)).isEqualTo("ERROR checksum validation failed.");
        continue;
      }
      Map<String, String> expected = flattenForEmvqr(code.objects());
      expected.put("63", code.crc());
      assertThat(parseFields(answers.get(i))).as("code %d: %s", i, code.payload()).isEqualTo(expected);
    }
  }

  @Test
  void emvQrcpsEncodesTheCpmSpecExample_asTheSpecPrintsIt() throws IOException, InterruptedException {
    String example = "{\"applications\":[{\"4F\":\"A0000000555555\",\"50\":\"Product1\"},{\"4F\":\"A0000000666666\",\"50\":\"Product2\"}],"
        + "\"common\":{\"5A\":\"1234567890123458\",\"5F20\":\"CARDHOLDER/EMV\",\"5F2D\":\"ruesdeen\","
        + "\"transparent\":{\"9F10\":\"06010A03000000\",\"9F26\":\"584FD385FA234BCC\",\"9F36\":\"0001\",\"9F37\":\"6D58EF13\"}}}";
    List<String> encoded = run(request("encodeCpm", List.of(example)), "cpm-encoded");
    assertThat(encoded).containsExactly(QrExamples.CPM_SPEC_EXAMPLE_BASE64);
    assertThat(CpmCodec.decode(encoded.get(0)).text()).isEqualTo(QrExamples.CPM_SPEC_EXAMPLE_BASE64);
  }

  @Test
  void emvQrcpsEncodesCpm_weDecodeEveryField() throws IOException, InterruptedException {
    Random random = new Random(85);
    List<Map<String, String>> expected = new ArrayList<>();
    List<String> requests = new ArrayList<>();
    for (int i = 0; i < CODES; i++) {
      Map<String, String> fields = new TreeMap<>();
      requests.add(randomCpm(random, fields));
      expected.add(fields);
    }
    List<String> texts = run(request("encodeCpm", requests), "cpm-encoded");
    for (int i = 0; i < CODES; i++) {
      ConsumerPresentedCode code = CpmCodec.decode(texts.get(i));
      assertThat(flattenCpm(code.objects())).as("code %d: %s", i, texts.get(i)).isEqualTo(expected.get(i));
    }
  }

  // ---- generation: the fields each npm library can write or read ----

  private static List<MpmObject> randomCode(Random random, boolean npmEncodes) {
    List<MpmObject> objects = new ArrayList<>();
    objects.add(new MpmObject.Primitive("00", "01"));
    objects.add(new MpmObject.Primitive("01", random.nextBoolean() ? "11" : "12"));
    int firstAccount = 26 + random.nextInt(20);
    for (int n = 0, count = 1 + random.nextInt(2); n < count; n++) {
      objects.add(new MpmObject.Template(Integer.toString(firstAccount + n), List.of(
          new MpmObject.Primitive("00", ascii(random, 1, 32)),
          new MpmObject.Primitive(twoDigits(1 + random.nextInt(9)), ascii(random, 1, 20)))));
    }
    objects.add(new MpmObject.Primitive("52", MCCS[random.nextInt(MCCS.length)]));
    String currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
    objects.add(new MpmObject.Primitive("53", currency));
    if (random.nextBoolean()) {
      objects.add(new MpmObject.Primitive("54", random.nextInt(100_000) + (currency.equals("392") ? "" : "." + random.nextInt(10) + random.nextInt(10))));
    }
    objects.add(new MpmObject.Primitive("58", COUNTRIES[random.nextInt(COUNTRIES.length)]));
    objects.add(new MpmObject.Primitive("59", ascii(random, 1, 25)));
    objects.add(new MpmObject.Primitive("60", ascii(random, 1, 15)));
    if (random.nextBoolean()) {
      objects.add(new MpmObject.Primitive("61", ascii(random, 1, 10)));
    }
    if (random.nextBoolean()) {
      objects.add(new MpmObject.Template("62", List.of(
          new MpmObject.Primitive("01", ascii(random, 1, 25)), new MpmObject.Primitive("05", ascii(random, 1, 25)),
          new MpmObject.Primitive("07", ascii(random, 1, 25)), new MpmObject.Primitive("09", "AME"))));
    }
    if (random.nextBoolean()) {
      objects.add(new MpmObject.Template("64", List.of(new MpmObject.Primitive("00", "ZH"),
          new MpmObject.Primitive("01", cjk(random, 1, 25)), new MpmObject.Primitive("02", cjk(random, 1, 15)))));
    }
    if (npmEncodes && random.nextBoolean()) {
      objects.add(new MpmObject.Template(Integer.toString(80 + random.nextInt(20)), List.of(
          new MpmObject.Primitive("00", ascii(random, 1, 32)), new MpmObject.Primitive("01", ascii(random, 1, 20)))));
    }
    return objects;
  }

  private static String randomCpm(Random random, Map<String, String> expected) {
    StringBuilder json = new StringBuilder("{\"applications\":[");
    int applications = 1 + random.nextInt(2);
    for (int a = 0; a < applications; a++) {
      Map<String, String> app = new LinkedHashMap<>();
      app.put("4F", randomHex(random, 5 + random.nextInt(12)));
      app.put("50", ascii(random, 1, 16));
      app.put("5A", "62" + digits(random, 14));
      for (Map.Entry<String, String> field : app.entrySet()) {
        expected.put("61[" + a + "]." + field.getKey(), hexOf(field.getKey(), field.getValue()));
      }
      Map<String, String> transparent = transparent(random);
      String transparentPrefix = "61[" + a + "].63.";
      transparent.forEach((tag, hex) -> expected.put(transparentPrefix + tag, hex));
      json.append(a == 0 ? "" : ",").append(jsonFields(app, transparent));
    }
    Map<String, String> common = new LinkedHashMap<>();
    common.put("5F20", ascii(random, 2, 26));
    common.put("5F2D", "en");
    common.forEach((tag, value) -> expected.put("62." + tag, hexOf(tag, value)));
    return json.append("],\"common\":").append(jsonFields(common, Map.of())).append('}').toString();
  }

  private static Map<String, String> transparent(Random random) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("9F10", randomHex(random, 1 + random.nextInt(32)));
    fields.put("9F26", randomHex(random, 8));
    fields.put("9F36", randomHex(random, 2));
    fields.put("9F37", randomHex(random, 4));
    return fields;
  }

  private static String jsonFields(Map<String, String> fields, Map<String, String> transparent) {
    StringBuilder json = new StringBuilder("{");
    fields.forEach((tag, value) -> json.append(quote(tag)).append(':').append(quote(value)).append(','));
    json.append("\"transparent\":").append(transparent.isEmpty() ? "null" : "{");
    if (!transparent.isEmpty()) {
      List<String> pairs = transparent.entrySet().stream().map(e -> quote(e.getKey()) + ":" + quote(e.getValue())).toList();
      json.append(String.join(",", pairs)).append('}');
    }
    return json.append('}').toString();
  }

  private static String hexOf(String tag, String value) {
    boolean text = List.of("50", "5F20", "5F2D", "5F50").contains(tag);
    return text ? Hex.encode(value.getBytes(StandardCharsets.US_ASCII)) : value.toUpperCase();
  }

  // ---- comparisons ----

  /** path → value of every primitive, e.g. "62.05" → "REF-9". */
  private static Map<String, String> flatten(List<MpmObject> objects) {
    Map<String, String> fields = new TreeMap<>();
    for (MpmObject object : objects) {
      switch (object) {
        case MpmObject.Primitive primitive -> fields.put(primitive.id(), primitive.value());
        case MpmObject.Template template -> template.children().forEach(child ->
            fields.put(template.id() + "." + child.id(), ((MpmObject.Primitive) child).value()));
      }
    }
    return fields;
  }

  /** As {@link #flatten}, but 64 and 80..99 as emvqr reports them: the template's raw value. */
  private static Map<String, String> flattenForEmvqr(List<MpmObject> objects) {
    Map<String, String> fields = new TreeMap<>();
    for (MpmObject object : objects) {
      int id = Integer.parseInt(object.id());
      if (object instanceof MpmObject.Template template && (id == 64 || id >= 80)) {
        StringBuilder raw = new StringBuilder();
        for (MpmObject child : template.children()) {
          String value = ((MpmObject.Primitive) child).value();
          raw.append(child.id()).append(twoDigits(value.codePointCount(0, value.length()))).append(value);
        }
        fields.put(object.id(), raw.toString());
      } else {
        fields.putAll(flatten(List.of(object)));
      }
    }
    return fields;
  }

  private static Map<String, String> flattenCpm(List<Tlv> objects) {
    Map<String, String> fields = new TreeMap<>();
    int application = 0;
    for (Tlv object : objects.subList(1, objects.size())) {
      String prefix = object.tag().toString().equals("61") ? "61[" + application++ + "]" : object.tag().toString();
      for (Tlv child : ((Tlv.Constructed) object).children()) {
        if (child instanceof Tlv.Constructed transparent) {
          for (Tlv data : transparent.children()) {
            fields.put(prefix + "." + child.tag() + "." + data.tag(), ((Tlv.Primitive) data).valueHex());
          }
        } else {
          fields.put(prefix + "." + child.tag(), ((Tlv.Primitive) child).valueHex());
        }
      }
    }
    return fields;
  }

  private static Map<String, String> parseFields(String line) {
    Map<String, String> fields = new TreeMap<>();
    if (line.startsWith("ERROR ")) {
      fields.put("ERROR", line);
      return fields;
    }
    for (String field : line.split("\t")) {
      int equals = field.indexOf('=');
      fields.put(field.substring(0, equals), field.substring(equals + 1));
    }
    return fields;
  }

  // ---- the Node process ----

  private static List<String> run(String request, String kind) throws IOException, InterruptedException {
    Path requestFile = Files.createTempFile("qr-interop", ".json");
    try {
      Files.writeString(requestFile, request, StandardCharsets.UTF_8);
      Process node = new ProcessBuilder("node", script.toString(), prefix.toString())
          .redirectInput(requestFile.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
      assertThat(node.exitValue()).as("node exit status").isZero();
      List<String> values = new ArrayList<>();
      for (String line : out.split("\n")) {
        assertThat(line).startsWith(kind + "\t");
        values.add(line.substring(kind.length() + 1));
      }
      return values;
    } finally {
      Files.deleteIfExists(requestFile);
    }
  }
  private static String request(String kind, List<String> items) {
    return "{" + quote(kind) + ":[" + String.join(",", items) + "]}";
  }

  private static String json(List<MpmObject> objects) {
    List<String> items = new ArrayList<>();
    for (MpmObject object : objects) {
      items.add(switch (object) {
        case MpmObject.Primitive p -> "{\"id\":" + quote(p.id()) + ",\"value\":" + quote(p.value()) + "}";
        case MpmObject.Template t -> "{\"id\":" + quote(t.id()) + ",\"children\":" + json(t.children()) + "}";
      });
    }
    return "[" + String.join(",", items) + "]";
  }

  /** A JSON string; our generated values are printable, so only quote and backslash need escapes. */
  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String ascii(Random random, int min, int max) {
    int length = min + random.nextInt(max - min + 1);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append((char) (' ' + random.nextInt(95)));
    }
    return text.toString();
  }

  private static String cjk(Random random, int min, int max) {
    int length = min + random.nextInt(max - min + 1);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append((char) ('一' + random.nextInt(0x9FA5 - 0x4E00)));
    }
    return text.toString();
  }

  private static String digits(Random random, int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append((char) ('0' + random.nextInt(10)));
    }
    return text.toString();
  }

  private static String randomHex(Random random, int bytes) {
    byte[] value = new byte[bytes];
    random.nextBytes(value);
    return HexFormat.of().withUpperCase().formatHex(value);
  }

  private static String twoDigits(int value) {
    return value < 10 ? "0" + value : Integer.toString(value);
  }
}

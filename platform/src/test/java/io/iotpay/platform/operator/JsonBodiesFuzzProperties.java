package io.iotpay.platform.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.access.http.ApiException;
import io.iotpay.platform.operator.HttpApiFixture.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and mutated request bodies: the parser answers a value or a 400 and nothing else; over HTTP,
 * such bodies get a 4xx (never a 5xx) and bind nothing unless they are a valid request.
 */
class JsonBodiesFuzzProperties {
  private static final List<Class<?>> BODY_TYPES = List.of(JsonBodies.RegisterDevice.class, JsonBodies.ManufacturerCa.class,
      JsonBodies.StatusChange.class, JsonBodies.NewMerchant.class, JsonBodies.BindMandate.class, JsonBodies.Confirm.class);
  private static final String VALID = "{\"device_id\":\"meter-9\",\"account_id\":501,\"terms\":{\"currency\":\"CNY\","
      + "\"per_payment_max_minor\":100,\"per_day_max_minor\":1000,\"per_month_max_minor\":10000,"
      + "\"confirmation_threshold_minor\":50,\"allowed_merchants\":[\"shop-1\"],\"allowed_categories\":[\"5399\"]},"
      + "\"approve\":true}";
  private static final Map<AlgorithmSuite, HttpApiFixture> FIXTURES = new EnumMap<>(AlgorithmSuite.class);
  private static Path tempDir;

  @BeforeContainer
  static void start() throws Exception {
    tempDir = Files.createTempDirectory("http-fuzz");
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      HttpApiFixture fixture = new HttpApiFixture(suite, tempDir);
      fixture.enrol("meter-9");
      FIXTURES.put(suite, fixture);
    }
  }

  @AfterContainer
  static void stop() throws java.io.IOException {
    FIXTURES.values().forEach(HttpApiFixture::close);
    try (var files = Files.walk(tempDir)) {
      for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  @Property(tries = 2000)
  void randomBytes_parseOrAre400(@ForAll("randomBodies") byte[] body) {
    for (Class<?> type : BODY_TYPES) {
      parseOr400(body, type);
    }
  }

  @Property(tries = 2000)
  void mutatedValidBodies_parseAndConvertOrAre400(@ForAll("mutatedBodies") String body) {
    Object parsed = parseOr400(body.getBytes(StandardCharsets.UTF_8), JsonBodies.BindMandate.class);
    if (parsed instanceof JsonBodies.BindMandate bind && bind.terms() != null) {
      try {
        UserEndpoints.terms(bind.terms());
      } catch (RuntimeException e) {
        assertThat(ErrorTable.of(e).status()).as(body + " -> " + e).isEqualTo(400);
      }
    }
  }

  @Property(tries = 300)
  void overHttp_mutatedBindings_getA4xx_neverA5xx(@ForAll("mutatedBodies") String body, @ForAll AlgorithmSuite suite) throws Exception {
    HttpApiFixture f = FIXTURES.get(suite);
    Response response = f.call("POST", "/v1/mandates", HttpApiFixture.ALICE_TOKEN, body);
    assertThat(response.status()).as(body + " -> " + response).isIn(201, 400, 403, 404, 409);
    assertThat(response.json().has(response.status() == 201 ? "mandate_id" : "error")).as(response.toString()).isTrue();
    if (response.status() == 201) {
      // A mutation that is still a valid binding: undo it so the next try starts from no mandate.
      f.call("POST", "/v1/mandates/" + response.json().get("mandate_id").asText() + "/revoke", HttpApiFixture.ALICE_TOKEN, null);
    }
    assertThat(f.platform.mandates.liveMandateOf(DeviceId.of("meter-9"))).isEmpty();
  }

  private static Object parseOr400(byte[] body, Class<?> type) {
    try {
      return JsonBodies.parse(body, type);
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      // Bytes that are not UTF-8 are refused before JSON parsing.
      assertThat(e.code()).isIn("BAD_JSON", "BAD_ENCODING");
      return null;
    }
  }

  @Provide
  Arbitrary<byte[]> randomBodies() {
    Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(256);
    Arbitrary<byte[]> jsonish = Arbitraries.strings().withChars("{}[]\":,0123456789.-+eEtrufalsn _abcdy\\").ofMaxLength(200)
        .map(text -> text.getBytes(StandardCharsets.UTF_8));
    return Arbitraries.oneOf(raw, jsonish);
  }

  /** The valid body with one edit: a character dropped, inserted or replaced, a cut, or a value swapped for another JSON type. */
  @Provide
  Arbitrary<String> mutatedBodies() {
    Arbitrary<Integer> position = Arbitraries.integers().between(0, VALID.length() - 1);
    Arbitrary<Character> character = Arbitraries.chars().with("{}[]\":,0123456789.-ntx\\ \u00e9");
    Arbitrary<String> dropped = position.map(i -> VALID.substring(0, i) + VALID.substring(i + 1));
    Arbitrary<String> inserted = Combinators.combine(position, character).as((i, c) -> VALID.substring(0, i) + c + VALID.substring(i));
    Arbitrary<String> replaced = Combinators.combine(position, character).as((i, c) -> VALID.substring(0, i) + c + VALID.substring(i + 1));
    Arbitrary<String> cut = position.map(i -> VALID.substring(0, i));
    Arbitrary<String> swapped = Combinators.combine(
            Arbitraries.of("501", "100", "true", "\"CNY\"", "\"meter-9\"", "[\"shop-1\"]", "50"),
            Arbitraries.of("null", "\"501\"", "-1", "0", "1e3", "9223372036854775807", "{}", "[]", "[null]", "\"\"", "false", "1.5"))
        .as((from, to) -> VALID.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
    return Arbitraries.oneOf(dropped, inserted, replaced, cut, swapped);
  }
}

package io.iotpay.acquirer.pos.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * At least 200 malformed bodies or parameters for every endpoint (a fixed corpus of known-bad shapes,
 * then seeded random mutations of a valid request): every answer is a JSON error object or a JSON
 * answer, none is a 5xx, none names a Java class; refused registrations create nothing.
 */
class BadInputHttpTest {
  static final int CASES_PER_ENDPOINT_MIN = 200;
  /** A Java or library class or package name, or a stack frame, in an answer. */
  private static final Pattern CLASS_NAME = Pattern.compile(
      "(java|javax|jakarta|sun|io\\.iotpay|io\\.javalin|org\\.eclipse|org\\.bouncycastle|com\\.fasterxml)\\.[a-zA-Z]|Exception|\\bat [a-z]+\\.");

  @TempDir Path dir;

  /** Per endpoint: how many answers, by status. */
  private final Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everyEndpoint_answersMalformedInputWithJsonErrorsOnly(AlgorithmSuite suite) throws Exception {
    try (PosFixture f = OnboardingHttpTest.fixture(suite, Database.Dialect.SQLITE, dir)) {
      ObjectNode valid = OnboardingHttpTest.registration(f);
      JsonNode merchant = f.post("/v1/pos/merchants", null, valid.toString()).body();
      String token = merchant.get("merchant_token").asText();
      String merchantId = merchant.get("merchant_id").asText();
      String terminalId = OnboardingHttpTest.enrol(f, token, suite, Csrs.keyPair(suite), 201).get("terminal_id").asText();
      int merchantsBefore = f.get("/v1/pos/merchants?limit=1000", PosFixture.ALICE_TOKEN).body().get("merchants").size();
      Random random = new Random(20261207L + suite.ordinal());

      int created = 0;
      for (String body : bodies(registrationSeeds(valid), random)) {
        created += check(f, "POST /v1/pos/merchants", post(f, "/v1/pos/merchants", null, body)) == 201 ? 1 : 0;
      }
      ObjectNode enrolSeed = PosFixture.JSON.createObjectNode().put("suite", suite.name()).put("csr", Csrs.csrBase64(suite));
      for (String body : bodies(List.of(enrolSeed.toString()), random)) {
        check(f, "POST /v1/pos/merchant/terminals", post(f, "/v1/pos/merchant/terminals", token, body));
      }
      for (String action : List.of("approve", "reject", "suspend", "reactivate")) {
        for (String body : bodies(List.of("{\"reason\":\"checked by phone\"}"), random)) {
          check(f, "POST /v1/pos/merchants/{id}/" + action, post(f, "/v1/pos/merchants/" + merchantId + "/" + action, PosFixture.ALICE_TOKEN, body));
        }
      }
      for (String body : bodies(List.of("{\"reason\":\"lost\"}"), random)) {
        String path = "/v1/pos/terminals/" + terminalId + "/block";
        check(f, "POST /v1/pos/terminals/{id}/block", post(f, path, PosFixture.ALICE_TOKEN, body));
      }
      badPathsAndParameters(f, token, random);
      badTokensAndContentTypes(f, token, merchantId);
      rawRequests(f);

      int merchantsAfter = f.get("/v1/pos/merchants?limit=1000", PosFixture.ALICE_TOKEN).body().get("merchants").size();
      assertThat(merchantsAfter).as("refused registrations create nothing").isEqualTo(merchantsBefore + created);
      for (Map.Entry<String, Map<Integer, Integer>> endpoint : statuses.entrySet()) {
        int total = endpoint.getValue().values().stream().mapToInt(Integer::intValue).sum();
        // Groups marked '+' are extra cases on top of the endpoints' own (content types, tokens, raw request lines).
        if (!endpoint.getKey().startsWith("+")) {
          assertThat(total).as(endpoint.getKey() + " cases").isGreaterThanOrEqualTo(CASES_PER_ENDPOINT_MIN);
        }
        assertThat(endpoint.getValue().keySet()).as(endpoint.getKey() + " statuses").allSatisfy(status -> assertThat(status).isLessThan(500));
      }
      System.out.println("Bad-input statuses per endpoint [suite=" + suite + "]: " + statuses);
    }
  }

  private static List<String> registrationSeeds(ObjectNode valid) {
    List<String> seeds = new ArrayList<>();
    seeds.add(valid.toString());
    String[][] fieldValues = {
        {"legal_name", "\"\""}, {"legal_name", "\"Shop \\u202Eevil\""}, {"legal_name", "\"a\\u0000b\""}, {"legal_name", "\"\\ud800x\""},
        {"legal_name", "\"" + "x".repeat(101) + "\""}, {"legal_name", "5"}, {"legal_name", "null"}, {"legal_name", "[\"a\"]"},
        {"business_licence_number", "\"12\""}, {"business_licence_number", "\"91310000MA1K00$001\""}, {"business_licence_number", "12345678"},
        {"owner_id_number", "\"1101\""}, {"owner_id_number", "\"11010519491231002X\\u200F\""}, {"owner_id_number", "{}"},
        {"owner_id_number", "\"" + "1".repeat(65) + "\""}, {"mcc", "\"58a2\""}, {"mcc", "5812"}, {"mcc", "\"58120\""},
        {"address", "\"line\\nbreak\""}, {"address", "\"\\u2066isolate\""}, {"request_id", "\"short\""}, {"request_id", "\"req id with spaces\""},
        {"request_id", "\"" + "r".repeat(65) + "\""}, {"settlement_account", "null"}, {"settlement_account", "\"6222\""},
        {"settlement_account", "{\"bank_id\":\"abc\",\"account_number\":\"622200000001\"}"},
        {"settlement_account", "{\"bank_id\":\"10200000\",\"account_number\":\"62\"}"},
        {"settlement_account", "{\"bank_id\":\"10200000\",\"account_number\":\"622200000001\",\"extra\":1}"},
        {"settlement_account", "{\"bank_id\":10200000,\"account_number\":\"622200000001\"}"}, {"unknown_field", "1"}};
    for (String[] fieldValue : fieldValues) {
      ObjectNode copy = valid.deepCopy();
      copy.put("request_id", "bad-" + java.util.UUID.randomUUID());
      String json = copy.toString();
      String replaced = json.contains("\"" + fieldValue[0] + "\":")
          ? replaceField(copy, fieldValue[0], fieldValue[1])
          : json.substring(0, json.length() - 1) + ",\"" + fieldValue[0] + "\":" + fieldValue[1] + "}";
      seeds.add(replaced);
    }
    ObjectNode missing = valid.deepCopy();
    missing.remove("owner_id_number");
    missing.put("request_id", "bad-missing-owner");
    seeds.add(missing.toString());
    return seeds;
  }

  private static String replaceField(ObjectNode node, String field, String rawValue) {
    ObjectNode copy = node.deepCopy();
    copy.put(field, "@@VALUE@@");
    return copy.toString().replace("\"@@VALUE@@\"", rawValue);
  }

  /** The fixed corpus, each seed as is, then seeded mutations of the seeds up to the minimum. */
  private static List<String> bodies(List<String> seeds, Random random) {
    List<String> out = new ArrayList<>(List.of("", "null", "[]", "{}", "{", "}", "\"text\"", "1", "true", "{\"a\":1}", "{} {}",
        "{\"reason\":\"a\",\"reason\":\"b\"}", "{\"reason\":5}", "{\"reason\":1e999999}", "{\"reason\":" + "9".repeat(40) + "}",
        "[".repeat(64) + "]".repeat(64), "{\"reason\":" + "{\"a\":".repeat(10) + "1" + "}".repeat(10) + "}",
        "{\"reason\":\"" + "x".repeat(300) + "\"}", "{\"reason\":\"\\u202Eevil\"}", "{\"reason\":\"bell\\u0007\"}", "{\"reason\":\"\\udfff\"}",
        "{\"reason\":\"x\\", "{'reason':'x'}", "{\"reason\":\"x\"}x", "\uFEFF{\"reason\":\"bom\"}", "{\"suite\":\"SM9\",\"csr\":\"AAAA\"}",
        "{\"suite\":\"NATIONAL\",\"csr\":\"***\"}", "{\"suite\":\"INTERNATIONAL\",\"csr\":\"MIIBCzCBsgIBADAg\"}",
        "{\"suite\":\"INTERNATIONAL\",\"csr\":\"" + "A".repeat(8000) + "\"}", "{\"suite\":null,\"csr\":null}"));
    out.addAll(seeds);
    while (out.size() < CASES_PER_ENDPOINT_MIN + 20) {
      out.add(mutate(seeds.get(random.nextInt(seeds.size())), random));
    }
    return out;
  }

  private static String mutate(String seed, Random random) {
    StringBuilder text = new StringBuilder(seed);
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits && text.length() > 0; i++) {
      int at = random.nextInt(text.length());
      switch (random.nextInt(5)) {
        case 0 -> text.deleteCharAt(at);
        case 1 -> text.insert(at, "{}[]\",:\\0aZ \u0000\u202E\uD800é".charAt(random.nextInt(16)));
        case 2 -> text.setCharAt(at, (char) random.nextInt(0x3000));
        case 3 -> text.setLength(at);
        default -> text.insert(at, text.substring(at, Math.min(text.length(), at + 1 + random.nextInt(20))));
      }
    }
    return text.toString();
  }

  private void badPathsAndParameters(PosFixture f, String token, Random random) {
    List<String> values = new ArrayList<>(List.of("", "0", "-1", "1001", "99999", "1e3", "abc", "m-", "m-zzzzzzzzzzzzzzzz", "M-0123456789ABCDEF",
        "m-0123456789abcdef0", "..", "%", "\u0000", "\u202E", "x".repeat(5000), "12345678", "1234567", "ACTIVATED", "activated", "' OR 1=1 --"));
    while (values.size() < CASES_PER_ENDPOINT_MIN + 10) {
      StringBuilder value = new StringBuilder();
      int length = random.nextInt(40);
      for (int i = 0; i < length; i++) {
        value.append((char) (random.nextBoolean() ? 0x20 + random.nextInt(0x5F) : random.nextInt(0x2100)));
      }
      values.add(value.toString());
    }
    for (String value : values) {
      String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
      String pathSegment = encoded.isEmpty() ? "%20" : encoded;
      check(f, "GET /v1/pos/merchants?…", f.get("/v1/pos/merchants?state=" + encoded + "&q=" + encoded + "&after=" + encoded
          + "&limit=" + encoded, PosFixture.ALICE_TOKEN));
      check(f, "GET /v1/pos/merchants?q", f.get("/v1/pos/merchants?q=" + encoded, PosFixture.ALICE_TOKEN));
      check(f, "GET /v1/pos/review-queue?…", f.get("/v1/pos/review-queue?after=" + encoded + "&limit=" + encoded, PosFixture.ALICE_TOKEN));
      check(f, "GET /v1/pos/merchants/{id}", f.get("/v1/pos/merchants/" + pathSegment, PosFixture.ALICE_TOKEN));
      check(f, "GET /v1/pos/merchants/{id}/terminals", f.get("/v1/pos/merchants/" + pathSegment + "/terminals", PosFixture.ALICE_TOKEN));
      check(f, "GET /v1/pos/terminals/{id}", f.get("/v1/pos/terminals/" + pathSegment, PosFixture.ALICE_TOKEN));
      check(f, "POST /v1/pos/merchants/{id}/suspend (bad id)",
          f.post("/v1/pos/merchants/" + pathSegment + "/suspend", PosFixture.ALICE_TOKEN, "{\"reason\":\"x\"}"));
      check(f, "POST /v1/pos/terminals/{id}/block (bad id)",
          f.post("/v1/pos/terminals/" + pathSegment + "/block", PosFixture.ALICE_TOKEN, "{\"reason\":\"x\"}"));
      check(f, "GET /v1/pos/merchant (bad token)", f.get("/v1/pos/merchant", "mt1." + value.replaceAll("[\\x00-\\x20\\x7F-\\uFFFF]", "A")));
      check(f, "GET /v1/pos/merchant/terminals?…", f.get("/v1/pos/merchant/terminals?x=" + encoded, token));
    }
  }

  private void badTokensAndContentTypes(PosFixture f, String token, String merchantId) {
    String[] contentTypes = {null, "text/plain", "application/json; charset=iso-8859-1", "application/xml", "multipart/form-data; boundary=x",
        "application/json; charset=utf-16", "application/jsonx", "application/json;;;;", "*/*"};
    for (String contentType : contentTypes) {
      for (String[] endpoint : new String[][] {{"/v1/pos/merchants", null}, {"/v1/pos/merchant/terminals", token},
          {"/v1/pos/merchants/" + merchantId + "/suspend", PosFixture.ALICE_TOKEN}}) {
        HttpRequest.Builder request = HttpRequest.newBuilder(f.uri(endpoint[0])).timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"x\"}"));
        if (contentType != null) {
          request.header("Content-Type", contentType);
        }
        if (endpoint[1] != null) {
          request.header("Authorization", "Bearer " + endpoint[1]);
        }
        PosFixture.Answer answer = f.send(request.build());
        check(f, "+content types", answer);
        assertThat(answer.status()).as(contentType + " on " + endpoint[0]).isEqualTo(415);
      }
    }
    byte[] latin1 = "{\"reason\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    PosFixture.Answer notUtf8 = f.send(HttpRequest.newBuilder(f.uri("/v1/pos/merchants/" + merchantId + "/suspend"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + PosFixture.ALICE_TOKEN)
        .POST(HttpRequest.BodyPublishers.ofByteArray(latin1)).build());
    assertThat(notUtf8.body().get("error").asText()).isEqualTo("BAD_ENCODING");
    PosFixture.Answer tooLarge = f.post("/v1/pos/merchants", null, "{\"request_id\":\"" + "x".repeat(20_000) + "\"}");
    assertThat(tooLarge.status()).isEqualTo(413);
    for (String bad : new String[] {"Basic abc", "Bearer", "Bearer " + "x".repeat(600), "bearer mt1.", PosFixture.ALICE_TOKEN}) {
      PosFixture.Answer answer = f.send(HttpRequest.newBuilder(f.uri("/v1/pos/review-queue")).header("Authorization", bad).GET().build());
      check(f, "+tokens", answer);
      assertThat(answer.status()).isEqualTo(401);
    }
  }

  /** Requests Java's HttpClient will not send: bad escapes, ambiguous paths, an over-long URI, a broken request line. */
  private void rawRequests(PosFixture f) throws IOException {
    String[] requestLines = {"GET /v1/pos/merchants/%zz HTTP/1.1", "GET /v1/pos/merchants/%2F..%2F HTTP/1.1",
        "GET /v1/pos/merchants/..;/x HTTP/1.1", "GET /v1/pos/merchants/%00 HTTP/1.1", "GET /v1/pos/" + "a".repeat(20_000) + " HTTP/1.1",
        "BREW /v1/pos/merchants HTTP/1.1", "GET /v1/pos/merchants/\u00ff HTTP/1.1"};
    for (String line : requestLines) {
      RawAnswer answer = raw(f.api.port(), line);
      assertThat(answer.status()).as(line.substring(0, Math.min(60, line.length()))).isBetween(400, 499);
      JsonNode body = PosFixture.JSON.readTree(answer.body());
      assertThat(body.get("error").isTextual()).as(answer.body()).isTrue();
      assertThat(CLASS_NAME.matcher(answer.body()).find()).as(answer.body()).isFalse();
      count("+raw request lines", answer.status());
    }
    // The one 5xx the protocol prescribes (RFC 9110 §15.6.6), answered by Jetty's parser before any handler: still JSON.
    RawAnswer version = raw(f.api.port(), "GET /v1/pos/merchants HTTP/9.9");
    assertThat(version.status()).isEqualTo(505);
    assertThat(PosFixture.JSON.readTree(version.body()).get("error").asText()).isEqualTo("HTTP_VERSION_NOT_SUPPORTED");
  }

  record RawAnswer(int status, String body) {}

  private static RawAnswer raw(int port, String requestLine) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write((requestLine + "\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + PosFixture.ALICE_TOKEN + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String response = all.toString(StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(response.substring(9, 12));
      int headersEnd = response.indexOf("\r\n\r\n");
      String headers = response.substring(0, headersEnd).toLowerCase(java.util.Locale.ROOT);
      String body = response.substring(headersEnd + 4);
      if (headers.contains("transfer-encoding: chunked")) {
        body = dechunk(body);
      }
      return new RawAnswer(status, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }
  }

  private static String dechunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (at < chunked.length()) {
      int lineEnd = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
      if (size == 0) {
        break;
      }
      out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
    return out.toString();
  }

  private static PosFixture.Answer post(PosFixture f, String path, String token, String body) {
    return f.post(path, token, body);
  }

  /** Checks one answer (JSON, no 5xx, no class names; an error has a code and a detail). @return its status */
  private int check(PosFixture f, String endpoint, PosFixture.Answer answer) {
    assertThat(answer.status()).as(endpoint + ": " + answer.raw()).isLessThan(500);
    assertThat(CLASS_NAME.matcher(answer.raw()).find()).as(endpoint + ": " + answer.raw()).isFalse();
    if (answer.status() >= 400) {
      assertThat(answer.body().isObject()).isTrue();
      assertThat(answer.body().get("error").isTextual()).as(answer.raw()).isTrue();
      assertThat(answer.body().get("detail").isTextual()).as(answer.raw()).isTrue();
      Iterator<String> names = answer.body().fieldNames();
      List<String> fields = new ArrayList<>();
      names.forEachRemaining(fields::add);
      assertThat(fields).containsExactly("error", "detail");
    }
    count(endpoint, answer.status());
    return answer.status();
  }

  private void count(String endpoint, int status) {
    statuses.computeIfAbsent(endpoint, k -> new TreeMap<>()).merge(status, 1, Integer::sum);
  }
}

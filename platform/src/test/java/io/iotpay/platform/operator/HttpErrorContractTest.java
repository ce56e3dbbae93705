package io.iotpay.platform.operator;

import static io.iotpay.platform.operator.HttpApiFixture.ALICE_ACCOUNT;
import static io.iotpay.platform.operator.HttpApiFixture.ALICE_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.operator.HttpApiFixture.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The one error contract (issue 18, item 6): every refusal, the HTTP server's own included, is
 * {@code {"error":"<CODE>","detail":"…"}} as {@code application/json} with a stable code and no Java
 * class names or parser settings; JSON bodies must be declared JSON and be strict UTF-8; names refuse
 * control and bidi characters; a refused request changed nothing.
 */
class HttpErrorContractTest {
  /** A Java class named in full (java.lang.String, com.fasterxml…, io.iotpay…), or an exception's simple name. */
  static final Pattern CLASS_NAME = Pattern.compile("(?:\\b[a-z][a-z0-9_]*\\.){2,}[A-Z]\\w*|\\b\\w*(?:Exception|Error)\\b|(?i)jackson|(?i)javalin|(?i)jetty");

  @TempDir Path tempDir;

  /** What every error answer must be: JSON of the documented shape, a stable code, a clean detail. */
  static void assertContract(int status, String contentType, byte[] body, String what) throws Exception {
    assertThat(status).as(what).isBetween(400, 505);
    assertThat(contentType).as(what).startsWith("application/json");
    JsonNode json = HttpApiFixture.JSON.readTree(body);
    assertThat(json.isObject() && json.size() == 2).as(what + ": " + json).isTrue();
    assertThat(json.path("error").asText()).as(what).matches("[A-Z][A-Z0-9_]*");
    assertThat(json.path("detail").isTextual()).as(what).isTrue();
    assertThat(CLASS_NAME.matcher(json.path("detail").asText()).find()).as(what + ": " + json).isFalse();
  }

  private static byte[] raw(String request) {
    return request.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void expectRaw(HttpApiFixture f, String request, int status, String code) throws Exception {
    RawHttp.Answer answer = RawHttp.send(f.api.port(), raw(request));
    assertContract(answer.status(), answer.contentType(), answer.body(), request.lines().findFirst().orElse(""));
    assertThat(answer.status()).as(request).isEqualTo(status);
    assertThat(HttpApiFixture.JSON.readTree(answer.body()).path("error").asText()).as(request).isEqualTo(code);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void serversOwnRefusals_areJsonWithStableCodes(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      String close = " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
      expectRaw(f, "GET /%00" + close, 400, "BAD_REQUEST");
      expectRaw(f, "GET /v1/devices/%00/state" + close, 400, "BAD_REQUEST");
      expectRaw(f, "GET /../etc/passwd" + close, 400, "BAD_REQUEST");
      expectRaw(f, "GET /v1/../../health" + close, 400, "BAD_REQUEST");
      String operator = " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + f.operatorToken + "\r\nConnection: close\r\n\r\n";
      expectRaw(f, "GET /v1/devices/%2e%2e/state" + operator, 400, "BAD_REQUEST");
      expectRaw(f, "GET /v1/devices/a%2fb/state" + operator, 400, "BAD_REQUEST");
      expectRaw(f, "GET /" + "a".repeat(20_000) + close, 414, "URI_TOO_LONG");
      expectRaw(f, "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(20_000) + "\r\nConnection: close\r\n\r\n",
          431, "HEADERS_TOO_LARGE");
      expectRaw(f, "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n", 400, "BAD_REQUEST");
      expectRaw(f, "\u0001\u0002 garbage\r\n\r\n", 400, "BAD_REQUEST");
      expectRaw(f, "POST /v1/devices HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 6\r\nConnection: close\r\n\r\n12345",
          400, "BAD_REQUEST");
      expectRaw(f, "GET /no/such/endpoint" + close, 404, "NOT_FOUND");
      expectRaw(f, "DELETE /v1/merchants" + close, 404, "NOT_FOUND");
      expectRaw(f, "GET /health\r\n\r\n", 505, "HTTP_VERSION_NOT_SUPPORTED");
      expectRaw(f, "POST /v1/devices HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + f.operatorToken
          + "\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\nConnection: close\r\n\r\n{}", 413, "TOO_LARGE");
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void jsonEndpoints_refuseOtherContentTypes415_andNothingIsStored(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      String merchant = merchantJson("m-415", "Shop");
      String[] types = {"text/plain", "application/xml", "text/xml", "application/json; charset=utf-16", "application/json;charset=UTF-16LE",
          "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "application/json; charset=latin1"};
      for (String type : types) {
        Response response = f.call("POST", "/v1/merchants", f.operatorToken, type, merchant.getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).as(type).isEqualTo(415);
        assertThat(response.error()).as(type).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
      }
      Response utf16 = f.call("POST", "/v1/merchants", f.operatorToken, "application/json", merchant.getBytes(StandardCharsets.UTF_16));
      assertThat(utf16.status()).isEqualTo(400);
      assertThat(utf16.error()).isEqualTo("BAD_ENCODING");
      Response none = f.call("POST", "/v1/merchants", f.operatorToken, null, merchant.getBytes(StandardCharsets.UTF_8));
      assertThat(none.status()).isEqualTo(415);
      assertThat(f.platform.merchants.find("m-415")).isEmpty();

      assertThat(f.call("POST", "/v1/merchants", f.operatorToken, "application/json; charset=utf-8",
          merchant.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
      assertThat(f.platform.merchants.find("m-415")).isPresent();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void invalidOrOverlongUtf8_isRefused400_neverDecodedAndStored(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      // Overlong forms of '/' and NUL, an encoded surrogate, a stray continuation byte, 0xFF, a truncated sequence
      // (RFC 3629 §3 and §10: decoders must refuse them).
      byte[][] bad = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, {(byte) 0xC0, (byte) 0x80},
          {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0x80},
          {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
      for (byte[] sequence : bad) {
        byte[] body = withNameBytes("m-utf8", sequence);
        Response response = f.call("POST", "/v1/merchants", f.operatorToken, "application/json", body);
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("BAD_ENCODING");
      }
      assertThat(f.platform.merchants.find("m-utf8")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void merchantNames_withControlOrBidiCharacters_areRefused_andNotStored(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      int[] refused = {0x00, 0x07, 0x09, 0x0A, 0x0D, 0x1B, 0x7F, 0x85, 0x9B, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
          0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0xFEFF};
      for (int c : refused) {
        String name = "Good Shop " + (char) c + "gnp.exe";
        Response response = f.call("POST", "/v1/merchants", f.operatorToken, merchantJson("m-bidi", name));
        assertThat(response.status()).as("U+%04X", c).isEqualTo(400);
        assertThat(response.json().path("detail").asText()).as("U+%04X", c).contains("control or bidi");
      }
      assertThat(f.platform.merchants.find("m-bidi")).isEmpty();
      Response plain = f.call("POST", "/v1/merchants", f.operatorToken, merchantJson("m-bidi", "Caf\u00e9 \u5317\u4eac \u0645\u0642\u0647\u0649"));
      assertThat(plain.status()).as(plain.toString()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void operatorTokenOnUserEndpoint_is403NotAllowedHere_notInvalid(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      f.enrol("meter-1");
      Response operator = f.call("POST", "/v1/mandates", f.operatorToken, "{\"device_id\":\"meter-1\",\"account_id\":" + ALICE_ACCOUNT + "}");
      assertThat(operator.status()).isEqualTo(403);
      assertThat(operator.error()).isEqualTo("FORBIDDEN");
      assertThat(operator.json().path("detail").asText()).contains("not allowed here").doesNotContain("not valid");
      Response stranger = f.call("GET", "/v1/mandates/1", "no-such-token", null);
      assertThat(stranger.status()).isEqualTo(401);
      Response user = f.call("GET", "/v1/devices", ALICE_TOKEN, null);
      assertThat(user.status()).isEqualTo(403);
      assertThat(f.platform.mandates.liveMandateOf(DeviceId.of("meter-1"))).isEmpty();
    }
  }

  static String merchantJson(String id, String name) {
    return HttpApiFixture.JSON.createObjectNode().put("merchant_id", id).put("name", name).put("category", "5399")
        .put("settlement_account_id", 9001).toString();
  }

  private static byte[] withNameBytes(String id, byte[] inName) {
    String[] halves = merchantJson(id, "Shop@@").split("@@");
    byte[] head = halves[0].getBytes(StandardCharsets.UTF_8);
    byte[] tail = halves[1].getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + inName.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(inName, 0, body, head.length, inName.length);
    System.arraycopy(tail, 0, body, head.length + inName.length, tail.length);
    return body;
  }
}

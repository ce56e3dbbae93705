package io.iotpay.platform.operator;

import static io.iotpay.platform.operator.HttpApiFixture.ALICE_ACCOUNT;
import static io.iotpay.platform.operator.HttpApiFixture.ALICE_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.operator.HttpApiFixture.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bad input at every endpoint (issue 18, item 6): malformed request lines, paths and headers on raw
 * sockets; bad tokens, content types, encodings and mutated bodies through {@code java.net.http}.
 * Every answer that is an error must be the JSON error shape, none may be a server failure (5xx other
 * than 505, which Jetty answers to an HTTP/0.9 request line), and no detail may name a Java class.
 * Prints the counts.
 */
class BadInputHttpTest {
  private static final int INPUTS_MIN = 500;
  private static final int MUTATIONS_PER_BODY = 20;
  private static final int EXAMPLES_KEPT = 5;

  @TempDir Path tempDir;

  /** The endpoints, with path parameters filled by {@code {id}}, {@code {m}} and {@code {c}}. */
  private static final List<String[]> ENDPOINTS = List.of(
      new String[] {"GET", "/health"}, new String[] {"GET", "/metrics"},
      new String[] {"POST", "/v1/devices"}, new String[] {"GET", "/v1/devices"}, new String[] {"GET", "/v1/devices/{id}/state"},
      new String[] {"POST", "/v1/devices/{id}/suspend"}, new String[] {"POST", "/v1/devices/{id}/resume"},
      new String[] {"POST", "/v1/devices/{id}/revoke"}, new String[] {"POST", "/v1/manufacturer-cas"},
      new String[] {"POST", "/v1/merchants"}, new String[] {"POST", "/v1/payments/{id}/{c}/capture"},
      new String[] {"POST", "/v1/payments/{id}/{c}/void"}, new String[] {"POST", "/v1/mandates"},
      new String[] {"GET", "/v1/mandates/{m}"}, new String[] {"POST", "/v1/mandates/{m}/suspend"},
      new String[] {"POST", "/v1/mandates/{m}/resume"}, new String[] {"POST", "/v1/mandates/{m}/revoke"},
      new String[] {"GET", "/v1/payments/{id}/{c}"}, new String[] {"POST", "/v1/payments/{id}/{c}/confirm"},
      new String[] {"GET", "/v1/payments/{id}/{c}/proof"}, new String[] {"POST", "/v1/devices/{id}/messages"},
      new String[] {"POST", "/v1/users"}, new String[] {"GET", "/v1/users"}, new String[] {"POST", "/v1/users/{u}/token"},
      new String[] {"POST", "/v1/accounts"}, new String[] {"GET", "/v1/accounts"}, new String[] {"GET", "/v1/accounts/{a}"},
      new String[] {"POST", "/v1/accounts/{a}/owner"}, new String[] {"POST", "/v1/accounts/{a}/deposits"},
      new String[] {"GET", "/v1/merchants"}, new String[] {"GET", "/v1/merchants/{id}"});

  /** Path parameters as an attacker writes them, percent-encoded or not. */
  private static final List<String> BAD_SEGMENTS = List.of("%00", "..", "%2e%2e", "a%2fb", "%zz", "%C0%AF", "%FF", "x;jsessionid=1", "",
      "%E2%80%AE", "%0a", "%0d%0aX-Injected:%201", "a%5cb", "%25", "x".repeat(3000), "-1", "99999999999999999999999", "%F0%9F%92%A9",
      "<script>");

  private final Map<String, Integer> byStatus = new TreeMap<>();
  private final List<String> offences = new ArrayList<>();
  private int inputs;
  private int nonJsonErrors;
  private int serverErrors;
  private int classNames;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everyEndpoint_badInput_getsJsonErrors_no5xx_noClassNames(AlgorithmSuite suite) throws Exception {
    long seed = new Random().nextLong();
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      f.enrol("meter-1");
      String mandate = f.call("POST", "/v1/mandates", ALICE_TOKEN, RequestBodies.bind()).json().path("mandate_id").asText();
      // A user and an account of the operator's directory for the {u} and {a} endpoints to act on.
      f.call("POST", "/v1/users", f.operatorToken, "{\"user_id\":\"fuzz-user\"}");
      f.call("POST", "/v1/accounts", f.operatorToken, "{\"account_id\":8001,\"currency\":\"CNY\",\"owner\":\"fuzz-user\"}");
      rawRequests(f, mandate);
      tokens(f, mandate);
      bodies(f, mandate, new Random(seed));
    }
    System.out.printf("Bad-input HTTP run [suite=%s, seed=%d, inputs=%d, statuses=%s, nonJsonErrors=%d, serverErrors=%d, classNames=%d]%n",
        suite, seed, inputs, byStatus, nonJsonErrors, serverErrors, classNames);
    assertThat(inputs).isGreaterThanOrEqualTo(INPUTS_MIN);
    assertThat(offences).as("seed " + seed).isEmpty();
    assertThat(nonJsonErrors + serverErrors + classNames).isZero();
  }

  private void rawRequests(HttpApiFixture f, String mandate) throws Exception {
    String head = " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + f.operatorToken + "\r\nConnection: close\r\n";
    for (String[] endpoint : ENDPOINTS) {
      for (String segment : BAD_SEGMENTS) {
        String path = endpoint[1].replace("{id}", segment).replace("{m}", segment).replace("{c}", segment).replace("{u}", segment)
            .replace("{a}", segment);
        if (path.equals(endpoint[1])) {
          path = path + "/" + segment;
        }
        raw(f, endpoint[0] + " " + path + head + "Content-Length: 0\r\n\r\n");
      }
    }
    String close = "Connection: close\r\n\r\n";
    String[] malformed = {
        "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(20_000) + "\r\n" + close,
        "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n" + close,
        "GET /health HTTP/1.1\r\n" + close,
        "GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n" + close,
        "\u0001\u0002 garbage\r\n\r\n",
        "GET\r\n\r\n",
        "GET /health\r\n\r\n",
        "GET  /health  HTTP/1.1\r\nHost: localhost\r\n" + close,
        "GET /health HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n" + close,
        "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Nul: a\u0000b\r\n" + close,
        "GET /health HTTP/1.1\r\nHost: localhost\r\n: empty-name\r\n" + close,
        "GET /health HTTP/1.1\r\nHost: localhost\r\n folded: x\r\n" + close,
        "POST /v1/merchants HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 6\r\n" + close + "12345",
        "POST /v1/merchants HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n" + close,
        "POST /v1/merchants HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n" + close,
        "POST /v1/merchants HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999999999999\r\n" + close,
        "POST /v1/merchants HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n" + close + "0\r\n\r\n",
        "POST /v1/merchants HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n" + close,
        "POST /v1/merchants HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n" + close + "zz\r\nabc\r\n0\r\n\r\n",
        "POST /v1/merchants HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + f.operatorToken
            + "\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n" + close + "{}",
        "DELETE /v1/merchants HTTP/1.1\r\nHost: localhost\r\n" + close,
        "PUT /v1/devices HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n" + close,
        "BREW /health HTTP/1.1\r\nHost: localhost\r\n" + close,
        "TRACE /health HTTP/1.1\r\nHost: localhost\r\n" + close,
        "GET http://evil.example/health HTTP/1.1\r\nHost: localhost\r\n" + close,
        "GET * HTTP/1.1\r\nHost: localhost\r\n" + close,
        "GET /health?%zz=%C0 HTTP/1.1\r\nHost: localhost\r\n" + close,
        "GET /v1/devices?limit=%00&after=%FF HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + f.operatorToken + "\r\n" + close,
        "GET /v1/devices?limit=-5 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + f.operatorToken + "\r\n" + close,
        "GET /v1/devices?limit=" + "9".repeat(40) + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + f.operatorToken + "\r\n" + close,
        "GET /v1/mandates/" + mandate + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \u00ff\u0001\r\n" + close,
        "GET /v1/mandates/" + mandate + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + "t".repeat(7000) + "\r\n" + close,
    };
    for (String request : malformed) {
      raw(f, request);
    }
  }

  private void tokens(HttpApiFixture f, String mandate) throws Exception {
    String[] tokens = {null, "", "wrong", "Bearer", f.operatorToken + "x", "x".repeat(5000), ALICE_TOKEN, f.operatorToken, "\u00e9t\u00e9"};
    for (String[] endpoint : ENDPOINTS) {
      String path = fill(endpoint[1], mandate);
      for (String token : tokens) {
        record(f.call(endpoint[0], path, token, endpoint[0].equals("POST") ? "{}" : null), endpoint[0] + " " + path + " token " + token);
      }
    }
  }

  private void bodies(HttpApiFixture f, String mandate, Random random) throws Exception {
    Map<String, String> valid = RequestBodies.valid(f.suite);
    for (Map.Entry<String, String> entry : valid.entrySet()) {
      String path = fill(entry.getKey(), mandate);
      String token = path.startsWith("/v1/mandates") || path.endsWith("/confirm") ? ALICE_TOKEN : f.operatorToken;
      byte[] body = entry.getValue().getBytes(StandardCharsets.UTF_8);
      for (String type : new String[] {"text/plain", "application/xml", "application/json; charset=utf-16", "text/html"}) {
        record(f.call("POST", path, token, type, body), "POST " + path + " as " + type);
      }
      record(f.call("POST", path, token, "application/json", entry.getValue().getBytes(StandardCharsets.UTF_16)), "POST " + path + " UTF-16");
      for (byte[] bad : RequestBodies.badJson()) {
        record(f.call("POST", path, token, "application/json", bad), "POST " + path + " " + new String(bad, StandardCharsets.UTF_8));
      }
      for (int i = 0; i < MUTATIONS_PER_BODY; i++) {
        byte[] mutated = RequestBodies.mutate(body, random);
        record(f.call("POST", path, token, "application/json", mutated), "POST " + path + " mutated");
      }
    }
    for (int i = 0; i < MUTATIONS_PER_BODY; i++) {
      byte[] envelope = new byte[random.nextInt(300)];
      random.nextBytes(envelope);
      record(f.call("POST", "/v1/devices/meter-1/messages", null, "application/cose", envelope), "envelope of random bytes");
    }
  }

  private static String fill(String template, String mandate) {
    return template.replace("{id}", "meter-1").replace("{m}", mandate).replace("{c}", "1").replace("{u}", "fuzz-user")
        .replace("{a}", "8001");
  }

  private void raw(HttpApiFixture f, String request) throws Exception {
    RawHttp.Answer answer = RawHttp.send(f.api.port(), request.getBytes(StandardCharsets.ISO_8859_1));
    String what = request.length() > 120 ? request.substring(0, 120) + "…" : request;
    check(answer.status(), answer.contentType(), answer.body(), what.lines().findFirst().orElse(""));
  }

  private void record(Response response, String what) {
    check(response.status(), response.contentType(), response.body(), what);
  }

  private void check(int status, String contentType, byte[] body, String what) {
    inputs++;
    byStatus.merge(status / 100 + "xx", 1, Integer::sum);
    // 505 is Jetty's answer to a request line without a version (HTTP/0.9): the client's protocol, not a server
    // failure; it must still be the JSON error, checked below.
    if (status == 0 || (status >= 500 && status != 505)) {
      serverErrors++;
      offend(what + " → " + status + " " + new String(body, StandardCharsets.UTF_8));
      return;
    }
    if (status < 400) {
      return;
    }
    JsonNode json;
    try {
      json = HttpApiFixture.JSON.readTree(body);
    } catch (Exception e) {
      json = null;
    }
    boolean shaped = json != null && json.isObject() && json.size() == 2 && json.path("error").asText().matches("[A-Z][A-Z0-9_]*")
        && json.path("detail").isTextual() && contentType.startsWith("application/json");
    if (!shaped) {
      nonJsonErrors++;
      offend(what + " → " + status + " " + contentType + " " + new String(body, StandardCharsets.UTF_8));
      return;
    }
    if (HttpErrorContractTest.CLASS_NAME.matcher(json.path("detail").asText()).find()) {
      classNames++;
      offend(what + " → " + status + " " + json);
    }
  }

  private void offend(String example) {
    if (offences.size() < EXAMPLES_KEPT) {
      offences.add(example.length() > 300 ? example.substring(0, 300) + "…" : example);
    }
  }

  /** Valid request bodies per endpoint, and the ways to break them. */
  static final class RequestBodies {
    private RequestBodies() {}

    static String bind() {
      return "{\"device_id\":\"meter-1\",\"account_id\":" + ALICE_ACCOUNT + ",\"terms\":{\"currency\":\"CNY\",\"per_payment_max_minor\":100,"
          + "\"per_day_max_minor\":1000,\"per_month_max_minor\":10000,\"confirmation_threshold_minor\":50,\"allowed_merchants\":[],"
          + "\"allowed_categories\":[\"5399\"]}}";
    }

    static Map<String, String> valid(AlgorithmSuite suite) {
      Map<String, String> valid = new TreeMap<>();
      valid.put("/v1/devices", "{\"suite\":\"" + suite.name() + "\",\"csr\":\"MIIBMzCB2QIBADAOMQwwCgYDVQQDDANhYmM=\"}");
      valid.put("/v1/manufacturer-cas", "{\"suite\":\"" + suite.name() + "\",\"certificate_pem\":\"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n\"}");
      valid.put("/v1/merchants", HttpErrorContractTest.merchantJson("m-fuzz", "Fuzz Shop"));
      valid.put("/v1/devices/{id}/suspend", "{\"reason\":\"test\"}");
      valid.put("/v1/mandates", bind());
      valid.put("/v1/mandates/{m}/suspend", "{}");
      valid.put("/v1/payments/{id}/{c}/confirm", "{\"approve\":true}");
      valid.put("/v1/payments/{id}/{c}/capture", "{}");
      valid.put("/v1/users", "{\"user_id\":\"fuzz-user\"}");
      valid.put("/v1/accounts", "{\"account_id\":8001,\"currency\":\"CNY\",\"owner\":\"fuzz-user\"}");
      valid.put("/v1/accounts/{a}/owner", "{\"owner\":\"fuzz-user\"}");
      valid.put("/v1/accounts/{a}/deposits", "{\"deposit_id\":\"fuzz-1\",\"amount_minor\":100}");
      return valid;
    }

    /** JSON that is wrong in each way the parser must refuse, and bytes that are not UTF-8 (RFC 3629 §3, §10). */
    static List<byte[]> badJson() {
      List<byte[]> bad = new ArrayList<>();
      String[] texts = {"", "null", "[]", "{", "}", "\"x\"", "1", "true", "{\"a\":1}", "{\"reason\":1}", "{\"reason\":\"a\",\"reason\":\"b\"}",
          "{} {}", "{}x", "{\"merchant_id\":" + "[".repeat(100) + "]".repeat(100) + "}", "{\"settlement_account_id\":1e400}",
          "{\"settlement_account_id\":" + "9".repeat(50) + "}", "{\"name\":\"\\ud800\"}", "{\"name\":\"\u0000\"}", "{'a':1}",
          "{\"approve\":\"true\"}", "{\"approve\":1}", "{\"account_id\":1.5}", "{\"@class\":\"java.lang.Runtime\"}",
          "{\"name\":\"a\u202Eb\"}", "<?xml version=\"1.0\"?><a/>", "{\"a\":1,}", "/* c */ {}", "{\"a\":NaN}", "\uFEFF{}"};
      for (String text : texts) {
        bad.add(text.getBytes(StandardCharsets.UTF_8));
      }
      byte[][] encodings = {{'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'},
          {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}, {(byte) 0xFF, (byte) 0xFE, '{', 0, '}', 0},
          {'{', '"', (byte) 0xE0, (byte) 0x80, (byte) 0xAF, '"', ':', '1', '}'}, {'{', (byte) 0x80, '}'}};
      bad.addAll(List.of(encodings));
      return bad;
    }

    /** One to four random edits: a byte flipped, inserted, deleted, or the body cut short. */
    static byte[] mutate(byte[] body, Random random) {
      byte[] out = body.clone();
      int edits = 1 + random.nextInt(4);
      for (int i = 0; i < edits && out.length > 0; i++) {
        int at = random.nextInt(out.length);
        switch (random.nextInt(4)) {
          case 0 -> out[at] = (byte) random.nextInt(256);
          case 1 -> {
            byte[] longer = new byte[out.length + 1];
            System.arraycopy(out, 0, longer, 0, at);
            longer[at] = (byte) random.nextInt(256);
            System.arraycopy(out, at, longer, at + 1, out.length - at);
            out = longer;
          }
          case 2 -> {
            byte[] shorter = new byte[out.length - 1];
            System.arraycopy(out, 0, shorter, 0, at);
            System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
            out = shorter;
          }
          default -> out = java.util.Arrays.copyOf(out, at);
        }
      }
      return out;
    }
  }
}

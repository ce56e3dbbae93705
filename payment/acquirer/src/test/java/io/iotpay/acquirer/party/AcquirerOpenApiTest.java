package io.iotpay.acquirer.party;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.acquirer.pos.console.ConsoleBrowserSession;
import io.iotpay.console.OpenApiChecks;
import io.iotpay.console.OpenApiChecks.Seen;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.swagger.v3.oas.models.OpenAPI;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The acquirer party's {@code GET /openapi.json} (issue 19), on a real {@link AcquirerParty} (registry,
 * host, console, sealed keys) in both suites: swagger-parser reads it as OpenAPI 3.1 without a message,
 * its operations are exactly the routes the party's HTTP server registered (no more, no fewer), and every
 * answer this test sees — the API's, its errors and the console's — has a documented status and holds
 * its JSON schema's required fields ({@link OpenApiChecks}, shared with the platform's test).
 */
class AcquirerOpenApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/json";
  private static final String REVIEW_OWNER_ID = "310101199001011234";
  /** At the bank the party's penny test knows, but not an open account there: a soft FAIL, so IN_REVIEW. */
  private static final String REVIEW_ACCOUNT = "6222020000123456";

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final List<Seen> seen = new ArrayList<>();
  private String base;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void openApi_validates_documentsExactlyTheRegisteredRoutes_andEveryAnswerSeen(AlgorithmSuite suite) throws Exception {
    Path data = AcquirerDirectories.init(dir.resolve("acq"), suite);
    String operator = AcquirerParty.operatorToken(data);
    String terminal = AcquirerParty.terminals(data).get(0);
    try (AcquirerParty party = AcquirerParty.start(data, AcquirerParty.Options.none())) {
      base = "http://127.0.0.1:" + party.registryPort();
      Seen document = call("GET", "/openapi.json", "/openapi.json", null, null);
      assertThat(document.status()).isEqualTo(200);
      assertThat(document.contentType()).startsWith(JSON_TYPE);
      OpenAPI api = OpenApiChecks.parseValid(document.body());
      OpenApiChecks.assertDocumentsExactly(api, party.registryRoutes(), 25);

      call("GET", "/health", "/health", null, null);
      call("GET", "/metrics", "/metrics", null, null);
      String merchant = merchantCalls(terminal);
      operatorCalls(operator, merchant, terminal);
      consoleCalls(operator, merchant);
      assertThat(seen.stream().map(Seen::status).distinct()).as("statuses seen")
          .contains(200, 201, 303, 400, 401, 403, 404, 409, 415);
      OpenApiChecks.assertAnswersMatch(api, seen);
    }
  }

  /** A merchant registers and asks what a merchant may; returns its id (IN_REVIEW). */
  private String merchantCalls(String someoneElsesTerminal) throws Exception {
    String registration = "{\"request_id\":\"openapi-test-0001\",\"legal_name\":\"Dumpling House\","
        + "\"business_licence_number\":\"91310000MA1K000002\",\"owner_id_number\":\"" + REVIEW_OWNER_ID + "\","
        + "\"mcc\":\"5812\",\"address\":\"2 Road\",\"settlement_account\":{\"bank_id\":\"10200000\",\"account_number\":\"" + REVIEW_ACCOUNT + "\"}}";
    Seen registered = call("POST", "/v1/pos/merchants", "/v1/pos/merchants", null, registration);
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    JsonNode merchant = JSON.readTree(registered.body());
    assertThat(merchant.get("state").asText()).isEqualTo("IN_REVIEW");
    String token = merchant.get("merchant_token").asText();
    call("POST", "/v1/pos/merchants", "/v1/pos/merchants", null, registration);
    call("POST", "/v1/pos/merchants", "/v1/pos/merchants", null, "{\"request_id\":");
    send("POST", "/v1/pos/merchants", "/v1/pos/merchants", null, "text/plain", "x");
    call("GET", "/v1/pos/merchant", "/v1/pos/merchant", token, null);
    call("GET", "/v1/pos/merchant", "/v1/pos/merchant", null, null);
    call("GET", "/v1/pos/merchant/terminals", "/v1/pos/merchant/terminals", token, null);
    call("POST", "/v1/pos/merchant/terminals", "/v1/pos/merchant/terminals", token, "{\"suite\":\"INTERNATIONAL\",\"csr\":\"AAAA\"}");
    call("POST", "/v1/pos/merchant/terminals", "/v1/pos/merchant/terminals", token, "{\"suite\":\"SM9\",\"csr\":\"AAAA\"}");
    call("GET", "/v1/pos/merchant/day", "/v1/pos/merchant/day?date=2026-01-05", token, null);
    call("GET", "/v1/pos/merchant/day", "/v1/pos/merchant/day", token, null);
    call("GET", "/v1/pos/merchant/transactions.csv", "/v1/pos/merchant/transactions.csv?date=2026-01-05", token, null);
    call("POST", "/v1/pos/merchant/terminals/{terminal}/nonce", "/v1/pos/merchant/terminals/" + someoneElsesTerminal + "/nonce", token, null);
    call("POST", "/v1/pos/merchant/terminals/{terminal}/attestations",
        "/v1/pos/merchant/terminals/" + someoneElsesTerminal + "/attestations", token, "{\"token\":\"AAAA\"}");
    call("GET", "/v1/pos/review-queue", "/v1/pos/review-queue", token, null);
    return merchant.get("merchant_id").asText();
  }

  /** The operator reviews and decides; with the merchant's every state change taken once and refused once. */
  private void operatorCalls(String operator, String merchant, String terminal) throws Exception {
    call("GET", "/v1/pos/review-queue", "/v1/pos/review-queue?limit=10", operator, null);
    call("GET", "/v1/pos/merchants", "/v1/pos/merchants?state=IN_REVIEW", operator, null);
    call("GET", "/v1/pos/merchants", "/v1/pos/merchants?state=NONE", operator, null);
    call("GET", "/v1/pos/merchants/{id}", "/v1/pos/merchants/" + merchant, operator, null);
    call("GET", "/v1/pos/merchants/{id}", "/v1/pos/merchants/m-0000000000000000", operator, null);
    call("GET", "/v1/pos/merchants/{id}/terminals", "/v1/pos/merchants/" + merchant + "/terminals", operator, null);
    String reason = "{\"reason\":\"checked by phone\"}";
    for (String action : List.of("approve", "suspend", "reactivate", "reject")) {
      call("POST", "/v1/pos/merchants/{id}/" + action, "/v1/pos/merchants/" + merchant + "/" + action, operator, reason);
    }
    call("POST", "/v1/pos/merchants/{id}/approve", "/v1/pos/merchants/" + merchant + "/approve", operator, reason);
    call("GET", "/v1/pos/terminals/{id}", "/v1/pos/terminals/" + terminal, operator, null);
    call("GET", "/v1/pos/terminals/{id}", "/v1/pos/terminals/12", operator, null);
    call("POST", "/v1/pos/terminals/{id}/block", "/v1/pos/terminals/" + terminal + "/block", operator, reason);
  }

  /** The console without a session, logged in, and a form without its CSRF token. */
  private void consoleCalls(String operator, String merchant) throws Exception {
    ConsoleBrowserSession browser = new ConsoleBrowserSession(base);
    console("GET", "/console", browser.get("/console"));
    console("GET", "/console/review-queue", browser.get("/console/review-queue"));
    console("GET", "/console/static/{name}", browser.get("/console/static/console.css"));
    console("GET", "/console/static/{name}", browser.get("/console/static/nothing.js"));
    console("GET", "/console/login", browser.get("/console/login"));
    console("POST", "/console/login", browser.post("/console/login", Map.of("token", operator)));
    console("POST", "/console/login", browser.login(operator));
    console("GET", "/console/review-queue", browser.get("/console/review-queue"));
    console("GET", "/console/merchants", browser.get("/console/merchants?q=dumpling"));
    console("GET", "/console/merchants", browser.get("/console/merchants?state=NONE"));
    console("GET", "/console/merchants/{id}", browser.get("/console/merchants/" + merchant));
    console("GET", "/console/merchants/{id}", browser.get("/console/merchants/m-0000000000000000"));
    console("GET", "/console/merchants/{id}/terminals", browser.get("/console/merchants/" + merchant + "/terminals"));
    console("POST", "/console/merchants/{id}/decision", browser.post("/console/merchants/" + merchant + "/decision",
        Map.of("action", "approve", "reason", "no CSRF token")));
    console("POST", "/console/terminals/{id}/block", browser.post("/console/terminals/12345678/block", Map.of("reason", "no CSRF token")));
    String csrf = ConsoleBrowserSession.csrfOf(browser.get("/console/merchants/" + merchant).body());
    console("POST", "/console/logout", browser.post("/console/logout", Map.of("csrf", csrf)));
  }

  private void console(String method, String template, HttpResponse<String> response) {
    seen.add(new Seen(method, template, response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), response.body()));
  }

  private Seen call(String method, String template, String path, String token, String json) throws Exception {
    return send(method, template, path, token, json == null ? null : JSON_TYPE, json);
  }

  private Seen send(String method, String template, String path, String token, String contentType, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    Seen answer = new Seen(method, template, response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
        response.body());
    seen.add(answer);
    return answer;
  }
}

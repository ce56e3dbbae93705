package io.iotpay.switching.party;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.console.OpenApiChecks;
import io.iotpay.console.OpenApiChecks.Seen;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.switching.online.SwitchPartyFixture;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The switch process's {@code GET /openapi.json} (issue 19), on a real switch party whose day was
 * presented ({@link SwitchPartyFixture}), both suites: swagger-parser reads it as OpenAPI 3.1 without a
 * message, its operations are exactly the routes the switch's HTTP listener registered (no more, no
 * fewer), and every answer this test provokes — the settlement API's 200, 400, 401, 404 and 409, the
 * metrics and the console's pages, refusals and forms — has a documented status and holds its JSON
 * schema's required fields ({@link OpenApiChecks}); a window's fields are exactly its schema's.
 */
class SwitchOpenApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DAY = SwitchPartyFixture.DAY.toString();
  private static final String FUTURE = SwitchPartyFixture.DAY.plusDays(2).toString();
  private static final String CLOSE = "/v1/settlement/{date}/close";
  private static final String WINDOW = "/v1/settlement/{date}";

  @TempDir Path dir;

  private final List<Seen> seen = new ArrayList<>();

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void openApi_validates_documentsExactlyTheRegisteredRoutes_andEveryAnswerSeen(AlgorithmSuite suite) throws Exception {
    try (SwitchPartyFixture sw = SwitchPartyFixture.start(dir, suite)) {
      sw.presentDay(suite);
      String token = SwitchParty.operatorToken(sw.dataDir);
      ConsoleClient anonymous = new ConsoleClient(sw.base());
      HttpResponse<String> document = see("GET", "/openapi.json", anonymous.get("/openapi.json"));
      assertThat(document.statusCode()).isEqualTo(200);
      assertThat(document.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
      OpenAPI api = OpenApiChecks.parseValid(document.body());
      OpenApiChecks.assertDocumentsExactly(api, sw.party.httpRoutes(), 12);

      see("GET", "/metrics", anonymous.get("/metrics"));
      refusedApiCalls(anonymous, token);
      ConsoleClient operator = new ConsoleClient(sw.base());
      consoleCalls(anonymous, operator, token);
      HttpResponse<String> window = see("GET", WINDOW, operator.apiGet(DAY, token));
      assertThat(window.statusCode()).isEqualTo(200);
      assertFieldsAreTheSchemas(api, JSON.readTree(window.body()));
      assertThat(see("POST", CLOSE, operator.apiClose(DAY, token)).body()).as("closed again: the same window").isEqualTo(window.body());

      assertThat(seen.stream().map(Seen::status).distinct()).as("statuses seen").contains(200, 303, 400, 401, 403, 404, 409);
      OpenApiChecks.assertAnswersMatch(api, seen);
      assertContentTypesDocumented(api);
    }
  }

  /** Each answer's media type (its parameters aside) is one its status documents, where the status documents a body. */
  private void assertContentTypesDocumented(OpenAPI api) {
    for (Seen s : seen) {
      var content = api.getPaths().get(s.template()).readOperationsMap().get(PathItem.HttpMethod.valueOf(s.method()))
          .getResponses().get(Integer.toString(s.status())).getContent();
      if (content != null) {
        assertThat(s.contentType()).as(s.toString()).isNotNull();
        assertThat(content).as(s.toString()).containsKey(s.contentType().split(";")[0].strip());
      }
    }
  }

  /** The settlement API refused before the day is closed: no token, a wrong one, a bad date, a future one, no window. */
  private void refusedApiCalls(ConsoleClient client, String token) throws Exception {
    assertThat(see("POST", CLOSE, client.apiClose(DAY, null)).statusCode()).isEqualTo(401);
    assertThat(see("POST", CLOSE, client.apiClose(DAY, token.substring(1) + "0")).statusCode()).isEqualTo(401);
    assertThat(see("POST", CLOSE, client.apiClose("2026-02-30", token)).statusCode()).isEqualTo(400);
    assertThat(see("POST", CLOSE, client.apiClose(FUTURE, token)).statusCode()).isEqualTo(409);
    assertThat(see("GET", WINDOW, client.apiGet(DAY, null)).statusCode()).isEqualTo(401);
    assertThat(see("GET", WINDOW, client.apiGet("yesterday", token)).statusCode()).isEqualTo(400);
    assertThat(see("GET", WINDOW, client.apiGet(DAY, token)).statusCode()).as("nothing closed yet").isEqualTo(404);
  }

  /** The console without a session, as htmx, logged in (every page, bad input, the close form), and logged out. */
  private void consoleCalls(ConsoleClient anonymous, ConsoleClient operator, String token) throws Exception {
    see("GET", "/console", anonymous.get("/console"));
    see("GET", "/console/files", anonymous.get("/console/files"));
    assertThat(see("GET", "/console/settlement", anonymous.htmxGet("/console/settlement")).statusCode()).isEqualTo(401);
    see("GET", "/console/static/{name}", anonymous.get("/console/static/console.css"));
    see("GET", "/console/static/{name}", anonymous.get("/console/static/htmx.min.js"));
    see("GET", "/console/static/{name}", anonymous.get("/console/static/nothing.js"));
    see("GET", "/console/login", anonymous.get("/console/login"));
    see("POST", "/console/login", anonymous.post("/console/login", Map.of("token", token)));
    see("POST", "/console/login", operator.post("/console/login", Map.of("csrf", ConsoleClient.csrfOf(operator.get("/console/login").body()),
        "token", "not-the-token")));
    see("POST", "/console/login", operator.login(token));
    see("GET", "/console/login", operator.get("/console/login"));
    see("GET", "/console", operator.get("/console"));
    for (String page : List.of("/console/files", "/console/files?direction=sent&party=acq1", "/console/files?direction=sideways")) {
      see("GET", "/console/files", operator.get(page));
    }
    see("GET", "/console/settlement", operator.get("/console/settlement"));
    see("GET", "/console/settlement", operator.get("/console/settlement?before=never"));
    see("GET", "/console/settlement/{date}", operator.get("/console/settlement/2026-13-01"));
    see("GET", "/console/settlement/{date}", operator.get("/console/settlement/" + DAY));
    see("GET", "/console/exceptions", operator.get("/console/exceptions?date=" + DAY));
    see("GET", "/console/exceptions", operator.get("/console/exceptions?after=nothing"));
    String csrf = ConsoleClient.csrfOf(operator.get("/console/settlement").body());
    String close = "/console/settlement/close";
    assertThat(see("POST", close, operator.post(close, Map.of("date", DAY))).statusCode()).isEqualTo(403);
    assertThat(see("POST", close, operator.post(close, Map.of("csrf", csrf, "date", "yesterday"))).statusCode()).isEqualTo(400);
    assertThat(see("POST", close, operator.post(close, Map.of("csrf", csrf, "date", FUTURE))).statusCode()).isEqualTo(409);
    assertThat(see("POST", close, operator.post(close, Map.of("csrf", csrf, "date", DAY))).statusCode()).isEqualTo(303);
    assertThat(see("GET", "/console/settlement/{date}", operator.get("/console/settlement/" + DAY)).statusCode()).isEqualTo(200);
    see("POST", "/console/logout", operator.post("/console/logout", Map.of("csrf", csrf)));
    see("POST", "/console/logout", operator.post("/console/logout", Map.of("csrf", csrf)));
  }

  /** A window answer has exactly the fields its schema names (additionalProperties is false), and so has each position. */
  private static void assertFieldsAreTheSchemas(OpenAPI api, JsonNode window) {
    var schemas = api.getComponents().getSchemas();
    assertThat(fields(window)).isEqualTo(new TreeSet<>(schemas.get("Window").getProperties().keySet()));
    assertThat(window.get("positions")).isNotEmpty();
    for (JsonNode position : window.get("positions")) {
      assertThat(fields(position)).isEqualTo(new TreeSet<>(schemas.get("Position").getProperties().keySet()));
    }
    assertThat(window.get("netSumMinor").asLong()).isZero();
  }

  private static Set<String> fields(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private HttpResponse<String> see(String method, String template, HttpResponse<String> response) {
    seen.add(new Seen(method, template, response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
        response.body()));
    return response;
  }
}

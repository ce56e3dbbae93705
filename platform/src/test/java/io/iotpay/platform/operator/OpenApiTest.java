package io.iotpay.platform.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.swagger.parser.OpenAPIParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code GET /openapi.json}: an OpenAPI 3.1 document that swagger-parser reads without a message, whose
 * operations are exactly the routes the server registered (the API's and the console's), and which
 * documents the status of every answer a client sees here, with its schema's required fields present.
 */
class OpenApiTest {
  private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void openApi_validates_andDocumentsExactlyTheRegisteredRoutes(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      HttpApiFixture.Response answer = f.api.call("GET", "/openapi.json", null, null);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.contentType()).startsWith("application/json");

      ParseOptions options = new ParseOptions();
      options.setResolve(true);
      SwaggerParseResult parsed = new OpenAPIParser().readContents(answer.text(), null, options);
      assertThat(parsed.getMessages()).as("swagger-parser's messages").isEmpty();
      OpenAPI api = parsed.getOpenAPI();
      assertThat(api.getOpenapi()).isEqualTo("3.1.0");

      Set<String> documented = new TreeSet<>();
      api.getPaths().forEach((path, item) -> item.readOperationsMap()
          .forEach((method, operation) -> documented.add(method.name().toUpperCase(Locale.ROOT) + " " + path)));
      Set<String> registered = new TreeSet<>();
      for (String route : f.api.api.routes()) {
        if (HTTP_METHODS.contains(route.substring(0, route.indexOf(' ')))) {
          registered.add(route);
        }
      }
      assertThat(registered).as("registered routes").hasSizeGreaterThan(30);
      assertThat(documented).as("documented operations").isEqualTo(registered);
    }
  }

  /** One answer a client saw, with the operation it came from. */
  private record Seen(String method, String template, HttpApiFixture.Response response) {}

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everyAnswerSeen_hasADocumentedStatus_andItsSchemasRequiredFields(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      OpenAPI api = new OpenAPIParser().readContents(f.api.call("GET", "/openapi.json", null, null).text(), null, new ParseOptions())
          .getOpenAPI();
      String operator = f.api.operatorToken;
      String alice = HttpApiFixture.ALICE_TOKEN;
      List<Seen> seen = new ArrayList<>();
      seen.add(new Seen("GET", "/health", f.api.call("GET", "/health", null, null)));
      seen.add(new Seen("GET", "/v1/devices", f.api.call("GET", "/v1/devices", operator, null)));
      seen.add(new Seen("GET", "/v1/devices", f.api.call("GET", "/v1/devices", null, null)));
      seen.add(new Seen("GET", "/v1/devices", f.api.call("GET", "/v1/devices?limit=0", operator, null)));
      seen.add(new Seen("GET", "/v1/devices/{id}/state", f.api.call("GET", "/v1/devices/car-2/state", operator, null)));
      seen.add(new Seen("GET", "/v1/devices/{id}/state", f.api.call("GET", "/v1/devices/nobody/state", operator, null)));
      seen.add(new Seen("GET", "/v1/devices/{id}/clone", f.api.call("GET", "/v1/devices/car-2/clone", operator, null)));
      seen.add(new Seen("GET", "/v1/payments/{device}/{counter}", f.api.call("GET", "/v1/payments/car-2/7", alice, null)));
      seen.add(new Seen("GET", "/v1/payments/{device}/{counter}", f.api.call("GET", "/v1/payments/car-2/7", HttpApiFixture.BOB_TOKEN, null)));
      seen.add(new Seen("GET", "/v1/payments/{device}/{counter}/proof", f.api.call("GET", "/v1/payments/car-2/8/proof", alice, null)));
      seen.add(new Seen("POST", "/v1/payments/{device}/{counter}/capture", f.api.call("POST", "/v1/payments/car-2/7/capture", operator, null)));
      seen.add(new Seen("POST", "/v1/payments/{device}/{counter}/void", f.api.call("POST", "/v1/payments/car-2/7/void", operator, null)));
      seen.add(new Seen("POST", "/v1/merchants", f.api.call("POST", "/v1/merchants", operator, "{\"merchant_id\":")));
      seen.add(new Seen("POST", "/v1/merchants", f.api.call("POST", "/v1/merchants", operator, "text/plain", new byte[] {'x'})));
      seen.add(new Seen("GET", "/operator/refusals", f.api.call("GET", "/operator/refusals", operator, null)));
      seen.add(new Seen("GET", "/console/devices", f.api.call("GET", "/console/devices", null, null)));
      seen.add(new Seen("GET", "/console/login", f.api.call("GET", "/console/login", null, null)));
      seen.add(new Seen("GET", "/openapi.json", f.api.call("GET", "/openapi.json", null, null)));
      seen.add(new Seen("POST", "/console/devices/{id}/clone", f.api.call("POST", "/console/devices/car-2/clone", null,
          "application/x-www-form-urlencoded", "action=clear&reason=x".getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
      seen.add(new Seen("POST", "/console/devices/bulk", f.api.call("POST", "/console/devices/bulk", null,
          "multipart/form-data; boundary=x", "--x--\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
      assertThat(seen.stream().map(s -> s.response().status()).distinct()).as("statuses seen")
          .contains(200, 303, 400, 401, 403, 404, 409, 415);
      for (Seen s : seen) {
        Operation operation = api.getPaths().get(s.template()).readOperationsMap()
            .get(PathItem.HttpMethod.valueOf(s.method()));
        String where = s.method() + " " + s.template() + " → " + s.response();
        ApiResponse documented = operation.getResponses().get(Integer.toString(s.response().status()));
        assertThat(documented).as(where).isNotNull();
        if (documented.getContent() == null || !s.response().contentType().startsWith("application/json")) {
          continue;
        }
        MediaType json = documented.getContent().get("application/json");
        assertThat(json).as(where + ": documented as JSON").isNotNull();
        assertThat(missingRequired(s.response().json(), json.getSchema(), api)).as(where).isEmpty();
      }
    }
  }

  /** The required fields of {@code schema} (its $ref and allOf parts resolved) that {@code body} lacks. */
  private static List<String> missingRequired(JsonNode body, Schema<?> schema, OpenAPI api) {
    List<String> missing = new ArrayList<>();
    if (schema.get$ref() != null) {
      String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
      return missingRequired(body, api.getComponents().getSchemas().get(name), api);
    }
    if (schema.getAllOf() != null) {
      schema.getAllOf().forEach(part -> missing.addAll(missingRequired(body, part, api)));
    }
    if (schema.getRequired() != null) {
      schema.getRequired().stream().filter(field -> !body.has(field)).forEach(missing::add);
    }
    return missing;
  }
}

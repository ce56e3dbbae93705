package io.iotpay.platform.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.console.OpenApiChecks;
import io.iotpay.console.OpenApiChecks.Seen;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.swagger.v3.oas.models.OpenAPI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code GET /openapi.json}: an OpenAPI 3.1 document that swagger-parser reads without a message, whose
 * operations are exactly the routes the server registered (the API's and the console's), and which
 * documents the status of every answer a client sees here, with its schema's required fields present
 * ({@link OpenApiChecks}, shared with the acquirer's test).
 */
class OpenApiTest {
  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void openApi_validates_andDocumentsExactlyTheRegisteredRoutes(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      HttpApiFixture.Response answer = f.api.call("GET", "/openapi.json", null, null);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.contentType()).startsWith("application/json");
      OpenAPI api = OpenApiChecks.parseValid(answer.text());
      OpenApiChecks.assertDocumentsExactly(api, f.api.api.routes(), 30);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everyAnswerSeen_hasADocumentedStatus_andItsSchemasRequiredFields(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      OpenAPI api = OpenApiChecks.parseValid(f.api.call("GET", "/openapi.json", null, null).text());
      String operator = f.api.operatorToken;
      String alice = HttpApiFixture.ALICE_TOKEN;
      List<Seen> seen = new ArrayList<>();
      seen.add(seen("GET", "/health", f.api.call("GET", "/health", null, null)));
      seen.add(seen("GET", "/v1/devices", f.api.call("GET", "/v1/devices", operator, null)));
      seen.add(seen("GET", "/v1/devices", f.api.call("GET", "/v1/devices", null, null)));
      seen.add(seen("GET", "/v1/devices", f.api.call("GET", "/v1/devices?limit=0", operator, null)));
      seen.add(seen("GET", "/v1/devices/{id}/state", f.api.call("GET", "/v1/devices/car-2/state", operator, null)));
      seen.add(seen("GET", "/v1/devices/{id}/state", f.api.call("GET", "/v1/devices/nobody/state", operator, null)));
      seen.add(seen("GET", "/v1/devices/{id}/clone", f.api.call("GET", "/v1/devices/car-2/clone", operator, null)));
      seen.add(seen("GET", "/v1/payments/{device}/{counter}", f.api.call("GET", "/v1/payments/car-2/7", alice, null)));
      seen.add(seen("GET", "/v1/payments/{device}/{counter}", f.api.call("GET", "/v1/payments/car-2/7", HttpApiFixture.BOB_TOKEN, null)));
      seen.add(seen("GET", "/v1/payments/{device}/{counter}/proof", f.api.call("GET", "/v1/payments/car-2/8/proof", alice, null)));
      seen.add(seen("POST", "/v1/payments/{device}/{counter}/capture", f.api.call("POST", "/v1/payments/car-2/7/capture", operator, null)));
      seen.add(seen("POST", "/v1/payments/{device}/{counter}/void", f.api.call("POST", "/v1/payments/car-2/7/void", operator, null)));
      seen.add(seen("POST", "/v1/merchants", f.api.call("POST", "/v1/merchants", operator, "{\"merchant_id\":")));
      seen.add(seen("POST", "/v1/merchants", f.api.call("POST", "/v1/merchants", operator, "text/plain", new byte[] {'x'})));
      seen.add(seen("GET", "/operator/refusals", f.api.call("GET", "/operator/refusals", operator, null)));
      seen.add(seen("GET", "/console/devices", f.api.call("GET", "/console/devices", null, null)));
      seen.add(seen("GET", "/console/login", f.api.call("GET", "/console/login", null, null)));
      seen.add(seen("GET", "/openapi.json", f.api.call("GET", "/openapi.json", null, null)));
      seen.add(seen("POST", "/console/devices/{id}/clone", f.api.call("POST", "/console/devices/car-2/clone", null,
          "application/x-www-form-urlencoded", "action=clear&reason=x".getBytes(StandardCharsets.US_ASCII))));
      seen.add(seen("POST", "/console/devices/bulk", f.api.call("POST", "/console/devices/bulk", null,
          "multipart/form-data; boundary=x", "--x--\r\n".getBytes(StandardCharsets.US_ASCII))));
      assertThat(seen.stream().map(Seen::status).distinct()).as("statuses seen").contains(200, 303, 400, 401, 403, 404, 409, 415);
      OpenApiChecks.assertAnswersMatch(api, seen);
    }
  }

  private static Seen seen(String method, String template, HttpApiFixture.Response response) {
    return new Seen(method, template, response.status(), response.contentType(), response.text());
  }
}

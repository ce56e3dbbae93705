package io.iotpay.platform.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code GET /openapi.json}: an OpenAPI 3.1 document that swagger-parser reads without a message, and
 * whose operations are exactly the routes the server registered (the API's and the console's).
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
}

package io.iotpay.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What every party's {@code OpenApiTest} checks of its {@code GET /openapi.json} (issue 19): swagger-parser
 * reads it without a message as OpenAPI 3.1, its operations are exactly the routes the server registered,
 * and each answer a test saw has a documented status whose JSON schema's required fields it holds.
 * Shared through this module's test jar. swagger-parser keeps only the {@code required} names a schema
 * also declares under {@code properties}: a required field left out there is silently not checked.
 */
public final class OpenApiChecks {
  private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenApiChecks() {}

  /** One answer a client saw: the operation it came from (method and path template) and what came back. */
  public record Seen(String method, String template, int status, String contentType, String body) {
    @Override
    public String toString() {
      return method + " " + template + " → " + status + " " + contentType + " " + (body.length() > 200 ? body.substring(0, 200) + "…" : body);
    }
  }

  /** The document parsed; fails the test unless swagger-parser (resolving references) reads it without a message as 3.1.0. */
  public static OpenAPI parseValid(String document) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult parsed = new OpenAPIParser().readContents(document, null, options);
    assertThat(parsed.getMessages()).as("swagger-parser's messages").isEmpty();
    assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
    return parsed.getOpenAPI();
  }

  /** Fails the test unless the documented operations are exactly the registered HTTP routes ({@code "METHOD /path/{param}"}). */
  public static void assertDocumentsExactly(OpenAPI api, Collection<String> registeredRoutes, int registeredMin) {
    Set<String> documented = new TreeSet<>();
    api.getPaths().forEach((path, item) -> item.readOperationsMap()
        .forEach((method, operation) -> documented.add(method.name().toUpperCase(Locale.ROOT) + " " + path)));
    Set<String> registered = new TreeSet<>();
    for (String route : registeredRoutes) {
      if (HTTP_METHODS.contains(route.substring(0, route.indexOf(' ')))) {
        registered.add(route);
      }
    }
    assertThat(registered).as("registered routes").hasSizeGreaterThan(registeredMin);
    assertThat(documented).as("documented operations").isEqualTo(registered);
  }

  /** Fails the test unless every answer's status is documented for its operation and a JSON answer holds its schema's required fields. */
  public static void assertAnswersMatch(OpenAPI api, List<Seen> seen) throws IOException {
    for (Seen s : seen) {
      PathItem item = api.getPaths().get(s.template());
      assertThat(item).as(s + ": path documented").isNotNull();
      Operation operation = item.readOperationsMap().get(PathItem.HttpMethod.valueOf(s.method()));
      assertThat(operation).as(s + ": operation documented").isNotNull();
      ApiResponse documented = operation.getResponses().get(Integer.toString(s.status()));
      assertThat(documented).as(s + ": status documented").isNotNull();
      if (documented.getContent() == null || s.contentType() == null || !s.contentType().startsWith("application/json")) {
        continue;
      }
      MediaType json = documented.getContent().get("application/json");
      assertThat(json).as(s + ": documented as JSON").isNotNull();
      assertThat(missingRequired(JSON.readTree(s.body()), json.getSchema(), api)).as(s.toString()).isEmpty();
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

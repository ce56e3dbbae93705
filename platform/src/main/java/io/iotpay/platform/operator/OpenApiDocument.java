package io.iotpay.platform.operator;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 description of every endpoint of the platform's HTTP server
 * (the API's and the console's), written by hand beside this class and read once. {@code OpenApiTest}
 * keeps it honest: it validates, and its operations are exactly the registered routes.
 */
final class OpenApiDocument {
  static final String PATH = "/openapi.json";
  private static final String RESOURCE = "openapi.json";

  private final byte[] document;

  /** @throws IllegalStateException when the document is missing from the class path (a broken build) */
  OpenApiDocument() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void serve(Context ctx) {
    ctx.status(200).contentType("application/json").result(document);
  }
}

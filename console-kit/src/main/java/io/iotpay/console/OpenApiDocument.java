package io.iotpay.console;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * {@code GET /openapi.json}: a party's OpenAPI 3.1 description of its HTTP server (API and console),
 * written by hand as a class-path resource and read once. Each party's {@code OpenApiTest} keeps its
 * document honest: it validates, and its operations are exactly the routes registered.
 */
public final class OpenApiDocument {
  public static final String PATH = "/openapi.json";

  private final byte[] document;

  /**
   * @param anchor the class whose package holds {@code resource}
   * @param resource the document's resource name, e.g. {@code openapi.json}
   * @throws IllegalStateException when the document is missing from the class path (a broken build)
   */
  public OpenApiDocument(Class<?> anchor, String resource) {
    Objects.requireNonNull(anchor, "anchor");
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the class path beside " + anchor.getName());
      }
      document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void serve(Context ctx) {
    ctx.status(200).contentType("application/json").result(document);
  }
}

package io.iotpay.platform.console;

import io.iotpay.platform.access.http.ApiException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The console's static files: a fixed table of names to class-path resources (the htmx and uPlot
 * WebJars, and the console's own script and style), read once at start. Nothing else on the class
 * path can be asked for, and nothing is fetched at run time.
 */
final class ConsoleStatic {
  private static final String WEBJARS = "/META-INF/resources/webjars/";
  private static final String OWN = "/io/iotpay/platform/console/static/";
  /** Served name → resource, content type. */
  private static final Map<String, String[]> FILES = Map.of(
      "htmx.min.js", new String[] {WEBJARS + "htmx.org/2.0.4/dist/htmx.min.js", "text/javascript; charset=utf-8"},
      "uPlot.iife.min.js", new String[] {WEBJARS + "uplot/1.6.30/dist/uPlot.iife.min.js", "text/javascript; charset=utf-8"},
      "uPlot.min.css", new String[] {WEBJARS + "uplot/1.6.30/dist/uPlot.min.css", "text/css; charset=utf-8"},
      "proof.js", new String[] {OWN + "proof.js", "text/javascript; charset=utf-8"},
      "live.js", new String[] {OWN + "live.js", "text/javascript; charset=utf-8"},
      "console.css", new String[] {OWN + "console.css", "text/css; charset=utf-8"});

  private final Map<String, byte[]> bytes;

  /** @throws IllegalStateException when a file is missing from the class path (a broken build) */
  ConsoleStatic() {
    Map<String, byte[]> read = new java.util.HashMap<>();
    FILES.forEach((name, file) -> read.put(name, resource(file[0])));
    bytes = Map.copyOf(read);
  }

  void serve(Context ctx) {
    String name = ctx.pathParam("name");
    byte[] body = bytes.get(name);
    if (body == null) {
      throw ApiException.notFound("NOT_FOUND", "no console file " + name.length() + " characters long by that name");
    }
    ctx.header("Cache-Control", "public, max-age=3600");
    ctx.status(200).contentType(FILES.get(name)[1]).result(body);
  }

  private static byte[] resource(String path) {
    try (InputStream in = ConsoleStatic.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("console file " + path + " is missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

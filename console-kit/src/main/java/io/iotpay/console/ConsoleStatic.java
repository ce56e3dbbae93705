package io.iotpay.console;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A console's static files: a fixed table of names to class-path resources (the kit's: the htmx and
 * uPlot WebJars and the console's style; and those a console adds, such as its own scripts), read once
 * at start. Nothing else on the class path can be asked for, and nothing is fetched at run time.
 */
public final class ConsoleStatic {
  /** Content type of a script. */
  public static final String JAVASCRIPT = "text/javascript; charset=utf-8";
  /** Content type of a style sheet. */
  public static final String CSS = "text/css; charset=utf-8";
  private static final String WEBJARS = "/META-INF/resources/webjars/";
  private static final String KIT = "/io/iotpay/console/static/";
  /** How long a browser may keep a static file, seconds. */
  private static final int CACHE_SECONDS = 3600;

  /**
   * One file.
   *
   * @param resource its absolute class-path resource name
   * @param contentType its content type
   */
  public record StaticFile(String resource, String contentType) {}

  /** The kit's files: served by every console. */
  private static final Map<String, StaticFile> KIT_FILES = Map.of(
      "htmx.min.js", new StaticFile(WEBJARS + "htmx.org/2.0.4/dist/htmx.min.js", JAVASCRIPT),
      "uPlot.iife.min.js", new StaticFile(WEBJARS + "uplot/1.6.30/dist/uPlot.iife.min.js", JAVASCRIPT),
      "uPlot.min.css", new StaticFile(WEBJARS + "uplot/1.6.30/dist/uPlot.min.css", CSS),
      "console.css", new StaticFile(KIT + "console.css", CSS));

  private final Map<String, StaticFile> files;
  private final Map<String, byte[]> bytes;

  /**
   * @param own the console's own files beside the kit's, by served name
   * @throws IllegalStateException when a file is missing from the class path (a broken build)
   */
  public ConsoleStatic(Map<String, StaticFile> own) {
    Map<String, StaticFile> all = new HashMap<>(KIT_FILES);
    own.forEach((name, file) -> {
      if (all.putIfAbsent(name, file) != null) {
        throw new IllegalArgumentException("console file " + name + " is the kit's already");
      }
    });
    files = Map.copyOf(all);
    Map<String, byte[]> read = new HashMap<>();
    files.forEach((name, file) -> read.put(name, resource(file.resource())));
    bytes = Map.copyOf(read);
  }

  /** Answers {@code GET /console/static/{name}}; 404 for a name not in the table. */
  void serve(Context ctx) {
    String name = ctx.pathParam("name");
    byte[] body = bytes.get(name);
    if (body == null) {
      throw new ConsoleInputException(404, "no console file " + name.length() + " characters long by that name");
    }
    ctx.header("Cache-Control", "public, max-age=" + CACHE_SECONDS);
    ctx.status(200).contentType(files.get(name).contentType()).result(body);
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

package io.iotpay.platform.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.iotpay.platform.console.ConsoleViews.Frame;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Renders the console's jte templates ({@code platform/src/main/jte}), precompiled into Java classes at
 * build time by the jte Maven plugin: no template compiler and no writable directory at run time. HTML
 * output escapes every value by its context.
 */
final class ConsoleRenderer {
  private static final String TEMPLATES_PACKAGE = "io.iotpay.platform.console.templates";

  private final TemplateEngine engine =
      TemplateEngine.createPrecompiled(null, ContentType.Html, ConsoleRenderer.class.getClassLoader(), TEMPLATES_PACKAGE);

  /** Renders {@code template} with the page's frame and view as the answer, status 200. */
  void page(Context ctx, String template, Frame frame, Object view) {
    StringOutput out = new StringOutput();
    engine.render(template, Map.of("frame", frame, "view", view), out);
    ctx.status(200).contentType("text/html; charset=utf-8").result(out.toString());
  }

  /** A refused request's page: the status and one line saying why (nothing was changed). */
  void refusal(Context ctx, int status, String message) {
    StringOutput out = new StringOutput();
    engine.render("refused.jte", Map.of("status", status, "message", message), out);
    ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
  }
}

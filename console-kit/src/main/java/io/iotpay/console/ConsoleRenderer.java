package io.iotpay.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Renders a console's jte templates, precompiled into Java classes at build time by the jte Maven
 * plugin (no template compiler and no writable directory at run time): the console's own pages from
 * its templates package, the login and refusal pages from the kit's. HTML output escapes every value
 * by its context.
 */
public final class ConsoleRenderer {
  /** Where the kit's own templates (layout, login, refusal) are compiled to. */
  static final String KIT_TEMPLATES = "io.iotpay.console.templates";

  private final TemplateEngine pages;

  /**
   * @param templatesPackage the package the console's templates were precompiled into
   * @param classLoader the loader that sees them
   */
  public ConsoleRenderer(String templatesPackage, ClassLoader classLoader) {
    this.pages = TemplateEngine.createPrecompiled(null, ContentType.Html, classLoader, templatesPackage);
  }

  /** Renders the console's {@code template} with the page's frame and view as the answer, status 200. */
  public void page(Context ctx, String template, Object frame, Object view) {
    StringOutput out = new StringOutput();
    pages.render(template, Map.of("frame", frame, "view", view), out);
    ctx.status(200).contentType("text/html; charset=utf-8").result(out.toString());
  }

  /** A refused request's page: the status and one line saying why (nothing was changed). */
  public void refusal(Context ctx, int status, String message) {
    StringOutput out = new StringOutput();
    ConsoleLayout.KIT.render("refused.jte", Map.of("status", status, "message", message), out);
    ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
  }

  /** The kit's login page. */
  void login(Context ctx, ConsoleFrame frame, LoginView view) {
    StringOutput out = new StringOutput();
    ConsoleLayout.KIT.render("login.jte", Map.of("frame", frame, "view", view), out);
    ctx.status(200).contentType("text/html; charset=utf-8").result(out.toString());
  }
}

package io.iotpay.console;

import gg.jte.Content;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import java.util.HashMap;
import java.util.Map;

/**
 * The kit's page layout (header, navigation, log-out form, the console's style and htmx) for a
 * console's own templates: a console's {@code layout.jte} is one line,
 * {@code ${ConsoleLayout.of(frame, content, head)}}, so every console looks the same and its pages
 * call {@code @template.layout(...)} as usual.
 */
public final class ConsoleLayout {
  /** The kit's precompiled templates. */
  static final TemplateEngine KIT =
      TemplateEngine.createPrecompiled(null, ContentType.Html, ConsoleLayout.class.getClassLoader(), ConsoleRenderer.KIT_TEMPLATES);

  private ConsoleLayout() {}

  /**
   * The page: {@code content} inside the kit's layout.
   *
   * @param head more elements for the page's {@code <head>} (scripts and styles from the static files), or null
   */
  public static Content of(ConsoleFrame frame, Content content, Content head) {
    Map<String, Object> params = new HashMap<>();
    params.put("frame", frame);
    params.put("content", content);
    params.put("head", head);
    return output -> KIT.render("layout.jte", params, output);
  }
}

package io.iotpay.platform.console;

import io.iotpay.console.ConsoleFrame;
import io.iotpay.console.ConsoleFrame.NavLink;
import io.iotpay.platform.console.ConsoleViews.Frame;
import java.util.List;

/**
 * The platform console's navigation, for the console kit's layout ({@code layout.jte}). Public because
 * the precompiled templates live in a package of their own.
 */
public final class ConsoleNav {
  /** The sections: path segment under {@code /console} and label. */
  private static final List<String[]> SECTIONS = List.of(
      new String[] {"devices", "Devices"}, new String[] {"payments", "Payments"}, new String[] {"books", "Books"},
      new String[] {"live", "Live"});

  /** The console's name in the page header. */
  static final String BRAND = "iotpay console";

  private ConsoleNav() {}

  /** The kit's frame of a page: its navigation with {@code frame.page()} marked; none when the page names no section. */
  public static ConsoleFrame frame(Frame frame) {
    List<NavLink> nav = frame.page().isEmpty() ? List.of() : SECTIONS.stream()
        .map(s -> new NavLink(OperatorConsole.ROOT + "/" + s[0], s[1], s[0].equals(frame.page()))).toList();
    String who = frame.who().isEmpty() || !frame.readOnly() ? frame.who() : "user " + frame.who() + " (read-only)";
    return new ConsoleFrame(frame.title(), BRAND, nav, frame.csrfToken(), who);
  }
}

package io.iotpay.console;

import java.util.List;
import java.util.Objects;

/**
 * What the kit's layout needs of every page: plain text, so a template cannot print an object that
 * holds a secret.
 *
 * @param title the page's title
 * @param brand the console's name in the header (e.g. "iotpay console", "acquirer ACQ1 console")
 * @param nav the navigation links; empty on the login page (then no log-out form either)
 * @param csrfToken the session's CSRF token, put in every form
 * @param who who is logged in, as the header shows it (e.g. "operator", "user alice (read-only)"), or ""
 */
public record ConsoleFrame(String title, String brand, List<NavLink> nav, String csrfToken, String who) {
  /** One navigation link; {@code active} marks the page's own section. */
  public record NavLink(String href, String label, boolean active) {}

  public ConsoleFrame {
    nav = List.copyOf(nav);
    Objects.requireNonNull(who, "who");
  }

  /** A frame that names nobody in the header. */
  public ConsoleFrame(String title, String brand, List<NavLink> nav, String csrfToken) {
    this(title, brand, nav, csrfToken, "");
  }

  /** Whether an operator is logged in on this page (the login page has no navigation). */
  public boolean loggedIn() {
    return !nav.isEmpty();
  }
}

package io.iotpay.platform.console;

import io.iotpay.console.ConsoleKit;
import io.iotpay.console.ConsolePaths;
import io.iotpay.console.ConsoleRenderer;
import io.iotpay.console.ConsoleSessions;
import io.iotpay.console.ConsoleStatic;
import io.iotpay.console.ConsoleStatic.StaticFile;
import io.iotpay.platform.operator.HttpAuth;
import io.iotpay.platform.operator.HttpMount;
import io.javalin.Javalin;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The operator console at {@code /console}, served by the platform's HTTP server
 * ({@code PlatformHttpApi}, mounted as an {@link HttpMount}): server-rendered pages for devices
 * (with bulk registration), payments with their audit proofs, the books, and a live view, behind the console kit's login,
 * sessions, CSRF tokens and headers ({@link ConsoleKit}). What each page shows and the security
 * model: {@code docs/console.md}.
 */
public final class OperatorConsole implements HttpMount {
  static final String ROOT = ConsolePaths.ROOT;
  static final String LIVE_DATA = ROOT + "/live/data";
  /** The one operator's name in the platform (its token is the HTTP API's operator token). */
  static final String OPERATOR = "operator";
  private static final String TEMPLATES_PACKAGE = "io.iotpay.platform.console.templates";
  private static final String OWN_FILES = "/io/iotpay/platform/console/static/";

  private final ConsoleServices services;
  private final ConsoleSessions sessions;

  /** @param services never null */
  public OperatorConsole(ConsoleServices services) {
    this(services, new SecureRandom(), Clock.systemUTC());
  }

  OperatorConsole(ConsoleServices services, SecureRandom random, Clock clock) {
    this.services = Objects.requireNonNull(services, "services");
    this.sessions = new ConsoleSessions(random, clock);
  }

  @Override
  public void register(Javalin app, boolean tls) {
    HttpAuth auth = services.platform().auth();
    ConsoleKit kit = new ConsoleKit(new ConsoleKit.Settings(ConsoleNav.BRAND, DevicePages.PATH,
        "The operator's token is in operator.token in iotpay serve's data directory. A user's token (POST /v1/users) opens the"
            + " console read-only.",
        token -> auth.isOperator(token) ? Optional.of(OPERATOR) : Optional.empty(),
        // Users have no roles yet: a user's token opens every page and no form that acts.
        token -> auth.users().userOf(token), HttpAuth.TOKEN_CHARS_MAX, Set.of(LIVE_DATA),
        Map.of("proof.js", new StaticFile(OWN_FILES + "proof.js", ConsoleStatic.JAVASCRIPT),
            "live.js", new StaticFile(OWN_FILES + "live.js", ConsoleStatic.JAVASCRIPT))), sessions);
    ConsoleRenderer renderer = new ConsoleRenderer(TEMPLATES_PACKAGE, OperatorConsole.class.getClassLoader());
    // Before the kit's guard, which reads the upload's CSRF field: bounds the upload first.
    app.before(BulkPage.PATH, BulkPage::bound);
    kit.mount(app, tls, renderer);
    new DevicePages(services, renderer).register(app);
    new BulkPage(services, renderer).register(app);
    new PaymentPages(services, renderer).register(app);
    new BooksPage(services, renderer).register(app);
    new LivePage(services, renderer).register(app);
  }
}

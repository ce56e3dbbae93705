package io.iotpay.platform.console;

import io.iotpay.platform.operator.HttpMount;
import io.javalin.Javalin;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * The operator console at {@code /console}, served by the platform's HTTP server
 * ({@code PlatformHttpApi}, mounted as an {@link HttpMount}): server-rendered pages for devices,
 * payments with their audit proofs, the books, and a live view. What each page shows and the security
 * model: {@code docs/console.md}.
 */
public final class OperatorConsole implements HttpMount {
  static final String ROOT = "/console";
  static final String LOGIN = ROOT + "/login";
  static final String LOGOUT = ROOT + "/logout";
  static final String STATIC = ROOT + "/static";
  static final String LIVE_DATA = ROOT + "/live/data";

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
    ConsoleGuard guard = new ConsoleGuard(sessions, tls);
    ConsoleRenderer renderer = new ConsoleRenderer();
    ConsoleStatic files = new ConsoleStatic();
    // Before the guard, which reads the upload's CSRF field: bounds the upload first.
    app.before(BulkPage.PATH, BulkPage::bound);
    app.before(guard::before);
    app.exception(ConsoleInput.ConsoleInputException.class, (e, ctx) -> renderer.refusal(ctx, e.status(), e.getMessage()));
    app.get(STATIC + "/{name}", files::serve);
    app.get(ROOT, ctx -> ctx.redirect(DevicePages.PATH, io.javalin.http.HttpStatus.SEE_OTHER));
    new LoginPage(services.platform().auth(), sessions, guard, renderer).register(app);
    new DevicePages(services, renderer).register(app);
    new BulkPage(services, renderer).register(app);
    new PaymentPages(services, renderer).register(app);
    new BooksPage(services, renderer).register(app);
    new LivePage(services, renderer).register(app);
  }
}

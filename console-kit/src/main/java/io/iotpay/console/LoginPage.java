package io.iotpay.console;

import io.iotpay.console.ConsoleSessions.Session;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login with an operator's token (every right) or, where the console has readers, a user's token
 * (read-only), and logout. The login form has its CSRF token from an anonymous session; a correct
 * token ends that session and starts the logged-in one under a new id.
 */
final class LoginPage {
  private static final Logger LOG = LoggerFactory.getLogger(LoginPage.class);

  private final ConsoleKit.Settings settings;
  private final ConsoleSessions sessions;
  private final ConsoleGuard guard;
  private final ConsoleRenderer renderer;

  LoginPage(ConsoleKit.Settings settings, ConsoleSessions sessions, ConsoleGuard guard, ConsoleRenderer renderer) {
    this.settings = settings;
    this.sessions = sessions;
    this.guard = guard;
    this.renderer = renderer;
  }

  void register(Javalin app) {
    app.get(ConsolePaths.LOGIN, this::form);
    app.post(ConsolePaths.LOGIN, this::login);
    app.post(ConsolePaths.LOGOUT, this::logout);
  }

  private void form(Context ctx) {
    Session session = ConsoleGuard.session(ctx).orElse(null);
    if (session != null && session.loggedIn()) {
      ctx.redirect(settings.home(), HttpStatus.SEE_OTHER);
      return;
    }
    if (session == null) {
      session = sessions.anonymous();
      guard.setCookie(ctx, session);
    }
    renderer.login(ctx, frame(session), new LoginView("", settings.loginHint()));
  }

  private void login(Context ctx) {
    // The guard has checked the form's CSRF token against the (anonymous) session.
    Session before = ConsoleGuard.session(ctx).orElseThrow();
    String token = ctx.formParam("token");
    boolean usable = token != null && !token.isEmpty() && token.length() <= settings.tokenCharsMax();
    Optional<String> operator = usable ? settings.operatorOfToken().apply(token) : Optional.empty();
    if (operator.isPresent()) {
      loggedIn(ctx, sessions.login(before.id(), operator.get(), false));
      return;
    }
    Optional<String> reader = usable && settings.readerOfToken() != null ? settings.readerOfToken().apply(token) : Optional.empty();
    if (reader.isPresent()) {
      loggedIn(ctx, sessions.login(before.id(), reader.get(), true));
      return;
    }
    LOG.warn("Console login refused [remote={}]", ctx.ip());
    String error = settings.readerOfToken() == null ? "That is not the operator token." : "That is not the operator token nor a user's token.";
    renderer.login(ctx, frame(before), new LoginView(error, settings.loginHint()));
    ctx.status(HttpStatus.UNAUTHORIZED);
  }

  private void loggedIn(Context ctx, Session session) {
    guard.setCookie(ctx, session);
    LOG.info("Console login [operator={}, readOnly={}, remote={}]", session.operator(), session.readOnly(), ctx.ip());
    ctx.redirect(settings.home(), HttpStatus.SEE_OTHER);
  }

  private void logout(Context ctx) {
    ConsoleGuard.session(ctx).ifPresent(session -> sessions.end(session.id()));
    guard.clearCookie(ctx);
    ctx.redirect(ConsolePaths.LOGIN, HttpStatus.SEE_OTHER);
  }

  private ConsoleFrame frame(Session session) {
    return new ConsoleFrame("Log in", settings.brand(), List.of(), session.csrfToken());
  }
}

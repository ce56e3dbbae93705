package io.iotpay.platform.console;

import io.iotpay.platform.console.ConsoleSessions.Session;
import io.iotpay.platform.console.ConsoleViews.Frame;
import io.iotpay.platform.operator.HttpAuth;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login with the operator token (every right) or a user's token the operator issued (read-only: users
 * have no roles yet), and logout. The login form has its CSRF token from an anonymous session; a
 * correct token ends that session and starts the logged-in one under a new id.
 */
final class LoginPage {
  private static final Logger LOG = LoggerFactory.getLogger(LoginPage.class);

  private final HttpAuth auth;
  private final ConsoleSessions sessions;
  private final ConsoleGuard guard;
  private final ConsoleRenderer renderer;

  LoginPage(HttpAuth auth, ConsoleSessions sessions, ConsoleGuard guard, ConsoleRenderer renderer) {
    this.auth = auth;
    this.sessions = sessions;
    this.guard = guard;
    this.renderer = renderer;
  }

  void register(Javalin app) {
    app.get(OperatorConsole.LOGIN, this::form);
    app.post(OperatorConsole.LOGIN, this::login);
    app.post(OperatorConsole.LOGOUT, this::logout);
  }

  private void form(Context ctx) {
    Session session = ConsoleGuard.session(ctx).orElse(null);
    if (session != null && session.operator()) {
      ctx.redirect(DevicePages.PATH, HttpStatus.SEE_OTHER);
      return;
    }
    if (session == null) {
      session = sessions.anonymous();
      guard.setCookie(ctx, session);
    }
    renderer.page(ctx, "login.jte", new Frame("Log in", "", session.csrfToken()), "");
  }

  private void login(Context ctx) {
    // The guard has checked the form's CSRF token against the (anonymous) session.
    Session before = ConsoleGuard.session(ctx).orElseThrow();
    String token = ctx.formParam("token");
    boolean usable = token != null && !token.isEmpty() && token.length() <= HttpAuth.TOKEN_CHARS_MAX;
    if (usable && auth.isOperator(token)) {
      loggedIn(ctx, sessions.login(before.id()));
      return;
    }
    Optional<String> user = usable ? auth.users().userOf(token) : Optional.empty();
    if (user.isPresent()) {
      loggedIn(ctx, sessions.login(before.id(), user.get()));
      return;
    }
    LOG.warn("Console login refused [remote={}]", ctx.ip());
    renderer.page(ctx, "login.jte", new Frame("Log in", "", before.csrfToken()), "That is not the operator token nor a user's token.");
    ctx.status(HttpStatus.UNAUTHORIZED);
  }

  private void loggedIn(Context ctx, Session session) {
    guard.setCookie(ctx, session);
    LOG.info("Console login [remote={}, who={}]", ctx.ip(), session.readOnly() ? "user " + session.user() + " (read-only)" : "operator");
    ctx.redirect(DevicePages.PATH, HttpStatus.SEE_OTHER);
  }

  private void logout(Context ctx) {
    ConsoleGuard.session(ctx).ifPresent(session -> sessions.end(session.id()));
    guard.clearCookie(ctx);
    ctx.redirect(OperatorConsole.LOGIN, HttpStatus.SEE_OTHER);
  }
}

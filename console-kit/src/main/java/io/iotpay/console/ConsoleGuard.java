package io.iotpay.console;

import io.iotpay.console.ConsoleSessions.Session;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.util.Optional;
import java.util.Set;

/**
 * A console's security at the door of every {@code /console} request: the headers every answer
 * carries (a strict Content-Security-Policy: scripts and styles from the console's own files only, no
 * inline script; no framing; no caching; no referrer), the session cookie ({@code HttpOnly},
 * {@code SameSite=Strict}, {@code Secure} over TLS), an operator's session required on every page but
 * the login page and the static files, the CSRF token required on every POST, and no POST but logout
 * from a read-only session.
 */
public final class ConsoleGuard {
  /** The session cookie's name. */
  public static final String COOKIE = "iotpay_console";
  /** The hidden form field every form carries its session's CSRF token in. */
  public static final String CSRF_FIELD = "csrf";
  /** On every {@code /console} answer. */
  public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  /** Where a request's session is kept between the guard and the handler. */
  private static final String SESSION_ATTRIBUTE = "io.iotpay.console.session";

  private final ConsoleSessions sessions;
  private final boolean tls;
  private final Set<String> dataPaths;

  /**
   * @param tls whether the server runs TLS (the cookie is then {@code Secure})
   * @param dataPaths paths a script polls (JSON): without a session they are answered 401, not redirected
   */
  public ConsoleGuard(ConsoleSessions sessions, boolean tls, Set<String> dataPaths) {
    this.sessions = sessions;
    this.tls = tls;
    this.dataPaths = Set.copyOf(dataPaths);
  }

  /** Runs before every request; does nothing outside {@code /console}. */
  public void before(Context ctx) {
    String path = ctx.path();
    if (!path.equals(ConsolePaths.ROOT) && !path.startsWith(ConsolePaths.ROOT + "/")) {
      return;
    }
    securityHeaders(ctx);
    if (path.startsWith(ConsolePaths.STATIC + "/")) {
      return;
    }
    Optional<Session> session = sessions.find(ctx.cookie(COOKIE));
    if (ctx.method() == HandlerType.POST && (session.isEmpty() || !session.get().csrfMatches(ctx.formParam(CSRF_FIELD)))) {
      refuse(ctx, HttpStatus.FORBIDDEN, "Refused: this form has no valid CSRF token. Open the page again and resubmit.");
      return;
    }
    if (path.equals(ConsolePaths.LOGIN)) {
      session.ifPresent(s -> ctx.attribute(SESSION_ATTRIBUTE, s));
      return;
    }
    if (session.isEmpty() || !session.get().loggedIn()) {
      if ("true".equals(ctx.header("HX-Request")) || dataPaths.contains(path)) {
        refuse(ctx, HttpStatus.UNAUTHORIZED, "Refused: log in first.");
      } else {
        ctx.redirect(ConsolePaths.LOGIN, HttpStatus.SEE_OTHER);
        ctx.skipRemainingHandlers();
      }
      return;
    }
    if (session.get().readOnly() && ctx.method() == HandlerType.POST && !path.equals(ConsolePaths.LOGOUT)) {
      refuse(ctx, HttpStatus.FORBIDDEN, "Refused: " + session.get().operator() + " may only read this console; only an operator acts.");
      return;
    }
    ctx.attribute(SESSION_ATTRIBUTE, session.get());
  }

  /** The request's session as the guard found it; empty on the login page before one was made. */
  public static Optional<Session> session(Context ctx) {
    return Optional.ofNullable(ctx.attribute(SESSION_ATTRIBUTE));
  }

  /** Sets the cookie for {@code session} (a new id at every login). */
  void setCookie(Context ctx, Session session) {
    ctx.res().addHeader("Set-Cookie", COOKIE + "=" + session.id() + "; Path=" + ConsolePaths.ROOT + "; HttpOnly; SameSite=Strict"
        + (tls ? "; Secure" : ""));
  }

  /** Removes the cookie from the browser. */
  void clearCookie(Context ctx) {
    ctx.res().addHeader("Set-Cookie", COOKIE + "=; Path=" + ConsolePaths.ROOT + "; Max-Age=0; HttpOnly; SameSite=Strict"
        + (tls ? "; Secure" : ""));
  }

  /** The headers every {@code /console} answer carries; for a console's own handler that answers before the guard runs. */
  public static void securityHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
  }

  private static void refuse(Context ctx, HttpStatus status, String message) {
    ctx.status(status).contentType("text/plain; charset=utf-8").result(message);
    ctx.skipRemainingHandlers();
  }
}

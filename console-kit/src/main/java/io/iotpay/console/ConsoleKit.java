package io.iotpay.console;

import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What every operator console shares, mounted on its party's Javalin server: the guard (sessions,
 * CSRF, CSP and the other headers), the static files, login and logout, the refusal page, and
 * {@code /console} itself leading to the console's home page. A console then registers its own pages
 * behind it (they see the operator's session through {@link ConsoleGuard#session}).
 */
public final class ConsoleKit {
  /**
   * One console's settings.
   *
   * @param brand the console's name in the page header
   * @param home the page a login (and {@code /console}) leads to
   * @param loginHint the line on the login page telling where the token is
   * @param operatorOfToken an operator's name by token (compared in constant time), empty for any other token
   * @param readerOfToken a read-only user's name by token (asked only when {@code operatorOfToken} found no
   *     operator; must not leak by its timing how much of a token matched), empty for any other token;
   *     null when nobody logs in read-only
   * @param tokenCharsMax longer tokens are refused before they are looked up
   * @param dataPaths paths scripts poll: answered 401 without a session instead of a redirect
   * @param ownFiles the console's static files beside the kit's
   */
  public record Settings(String brand, String home, String loginHint, Function<String, Optional<String>> operatorOfToken,
      Function<String, Optional<String>> readerOfToken, int tokenCharsMax, Set<String> dataPaths,
      Map<String, ConsoleStatic.StaticFile> ownFiles) {
    public Settings {
      Objects.requireNonNull(brand, "brand");
      Objects.requireNonNull(home, "home");
      Objects.requireNonNull(loginHint, "loginHint");
      Objects.requireNonNull(operatorOfToken, "operatorOfToken");
      dataPaths = Set.copyOf(dataPaths);
      ownFiles = Map.copyOf(ownFiles);
    }

    /** Settings where only operators log in (no read-only users). */
    public Settings(String brand, String home, String loginHint, Function<String, Optional<String>> operatorOfToken,
        int tokenCharsMax, Set<String> dataPaths, Map<String, ConsoleStatic.StaticFile> ownFiles) {
      this(brand, home, loginHint, operatorOfToken, null, tokenCharsMax, dataPaths, ownFiles);
    }
  }

  private final Settings settings;
  private final ConsoleSessions sessions;

  /** A kit with its own sessions (random ids from a {@link SecureRandom}, idle time by the system clock). */
  public ConsoleKit(Settings settings) {
    this(settings, new ConsoleSessions(new SecureRandom(), Clock.systemUTC()));
  }

  /** A kit with these sessions (tests give a clock). */
  public ConsoleKit(Settings settings, ConsoleSessions sessions) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
  }

  /**
   * Mounts the shared parts on {@code app} before its pages are registered.
   *
   * @param tls whether {@code app} runs TLS (the session cookie is then {@code Secure})
   */
  public void mount(Javalin app, boolean tls, ConsoleRenderer renderer) {
    ConsoleGuard guard = new ConsoleGuard(sessions, tls, settings.dataPaths());
    ConsoleStatic files = new ConsoleStatic(settings.ownFiles());
    app.before(guard::before);
    app.exception(ConsoleInputException.class, (e, ctx) -> renderer.refusal(ctx, e.status(), e.getMessage()));
    app.get(ConsolePaths.STATIC + "/{name}", files::serve);
    app.get(ConsolePaths.ROOT, ctx -> ctx.redirect(settings.home(), HttpStatus.SEE_OTHER));
    new LoginPage(settings, sessions, guard, renderer).register(app);
  }
}

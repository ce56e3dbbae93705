package io.iotpay.switching.party.console;

import io.iotpay.console.ConsoleFrame;
import io.iotpay.console.ConsoleFrame.NavLink;
import io.iotpay.console.ConsoleGuard;
import io.iotpay.console.ConsoleKit;
import io.iotpay.console.ConsolePaths;
import io.iotpay.console.ConsoleRenderer;
import io.iotpay.console.ConsoleSessions;
import io.iotpay.console.FormInput;
import io.iotpay.switching.online.SettlementClose;
import io.iotpay.switching.online.SettlementWindowStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The switch's operator console at {@code /console} on the switch process's HTTP listener: the
 * clearing files received and sent, the settlement windows with each participant's net position (and
 * the form that closes a business date), and the presentments refused. The same look, login,
 * sessions, CSRF tokens and headers as the other consoles ({@link ConsoleKit}); docs/console.md.
 */
public final class SwitchConsole {
  static final String ROOT = ConsolePaths.ROOT;
  static final String BRAND = "iotpay switch console";
  private static final String TEMPLATES_PACKAGE = "io.iotpay.switching.party.console.templates";
  private static final List<String[]> SECTIONS = List.of(new String[] {"files", "Files"},
      new String[] {"settlement", "Settlement windows"}, new String[] {"exceptions", "Exceptions"});

  /**
   * What the console reads and acts on.
   *
   * @param store the windows, the file log and the refused presentments
   * @param close closes a business date (the same call as {@code POST /v1/settlement/{date}/close})
   * @param currencyMinorDigits the settlement currency's digits after the point
   * @param operatorOfToken an operator's name by token, compared in constant time; empty for any other
   * @param clock the switch's clock (the close form's default date)
   */
  public record Services(SettlementWindowStore store, SettlementClose close, int currencyMinorDigits,
      Function<String, Optional<String>> operatorOfToken, Clock clock) {
    public Services {
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(close, "close");
      Objects.requireNonNull(operatorOfToken, "operatorOfToken");
      Objects.requireNonNull(clock, "clock");
    }
  }

  /** Longest token looked up. */
  public static final int TOKEN_CHARS_MAX = 512;

  private final Services services;
  private final ConsoleSessions sessions;

  public SwitchConsole(Services services) {
    this.services = Objects.requireNonNull(services, "services");
    this.sessions = new ConsoleSessions(new SecureRandom(), Clock.systemUTC());
  }

  /** Mounts the console on {@code app} (before it starts). @param tls whether {@code app} runs TLS */
  public void register(Javalin app, boolean tls) {
    ConsoleKit kit = new ConsoleKit(new ConsoleKit.Settings(BRAND, SettlementPages.PATH,
        "The token is the switch's operator token: iotpay party operator-token --data-dir <the switch's directory>.",
        services.operatorOfToken(), TOKEN_CHARS_MAX, Set.of(), Map.of()), sessions);
    ConsoleRenderer renderer = new ConsoleRenderer(TEMPLATES_PACKAGE, SwitchConsole.class.getClassLoader());
    kit.mount(app, tls, renderer);
    new FilesPage(services, renderer).register(app);
    new SettlementPages(services, renderer).register(app);
    new ExceptionsPage(services, renderer).register(app);
  }

  static ConsoleFrame frame(Context ctx, String title, String section) {
    List<NavLink> nav = SECTIONS.stream().map(s -> new NavLink(ROOT + "/" + s[0], s[1], s[0].equals(section))).toList();
    return new ConsoleFrame(title, BRAND, nav, ConsoleGuard.session(ctx).orElseThrow().csrfToken());
  }

  static String operator(Context ctx) {
    return ConsoleGuard.session(ctx).orElseThrow().operator();
  }

  static LocalDate date(String name, String text) {
    return FormInput.parse(name, text, LocalDate::parse);
  }

  /** Minor units shown in major units with the currency's digits ("1234.50"). */
  static String amount(long minor, int digits) {
    return BigDecimal.valueOf(minor, digits).toPlainString();
  }

  static String text(Object value) {
    return value == null ? "" : value.toString();
  }
}

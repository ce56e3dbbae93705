package io.iotpay.issuer.party.console;

import io.iotpay.console.ConsoleFrame;
import io.iotpay.console.ConsoleFrame.NavLink;
import io.iotpay.console.ConsoleGuard;
import io.iotpay.console.ConsoleKit;
import io.iotpay.console.ConsolePaths;
import io.iotpay.console.ConsoleRenderer;
import io.iotpay.console.ConsoleSessions;
import io.iotpay.issuer.authorisation.card.CardAuthorisationService;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.VerificationReport;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The issuer's operator console at {@code /console} on the issuer process's HTTP listener: its books
 * (ledger accounts and balances, the audit log's size and latest signed checkpoint, and {@code audit
 * verify} on demand) and its authorisation records. The same look, login, sessions, CSRF tokens and
 * headers as the other consoles ({@link ConsoleKit}); docs/console.md, "The issuer's console".
 */
public final class IssuerConsole {
  static final String ROOT = ConsolePaths.ROOT;
  static final String BRAND = "iotpay issuer console";
  /** Longest token looked up. */
  public static final int TOKEN_CHARS_MAX = 512;
  private static final String TEMPLATES_PACKAGE = "io.iotpay.issuer.party.console.templates";
  private static final List<String[]> SECTIONS = List.of(new String[] {"books", "Books"},
      new String[] {"authorisations", "Authorisations"});

  /**
   * What the console reads and runs.
   *
   * @param balances every ledger account's balances (served from the ledger's memory)
   * @param accountName what an account is for, by its id ("card 3", "settlement", …)
   * @param audit the ledger's audit log (size and latest checkpoint)
   * @param verify runs the audit log's verification with the issuer's public key, as {@code iotpay
   *     audit verify} does (every leaf, checkpoint, ledger row and account)
   * @param authorisations the card authorisation host (its records)
   * @param currency the books' currency code, e.g. "CNY"
   * @param currencyMinorDigits its digits after the point
   * @param operatorOfToken an operator's name by token, compared in constant time; empty for any other
   */
  public record Services(Supplier<Map<Long, AccountBalance>> balances, Function<Long, String> accountName, AuditLog audit,
      Supplier<VerificationReport> verify, CardAuthorisationService authorisations, String currency,
      int currencyMinorDigits, Function<String, Optional<String>> operatorOfToken) {
    public Services {
      Objects.requireNonNull(balances, "balances");
      Objects.requireNonNull(accountName, "accountName");
      Objects.requireNonNull(audit, "audit");
      Objects.requireNonNull(verify, "verify");
      Objects.requireNonNull(authorisations, "authorisations");
      Objects.requireNonNull(currency, "currency");
      Objects.requireNonNull(operatorOfToken, "operatorOfToken");
    }
  }

  private final Services services;
  private final ConsoleSessions sessions;

  public IssuerConsole(Services services) {
    this.services = Objects.requireNonNull(services, "services");
    this.sessions = new ConsoleSessions(new SecureRandom(), Clock.systemUTC());
  }

  /** Mounts the console on {@code app} (before it starts). @param tls whether {@code app} runs TLS */
  public void register(Javalin app, boolean tls) {
    ConsoleKit kit = new ConsoleKit(new ConsoleKit.Settings(BRAND, BooksPage.PATH,
        "The token is the issuer's operator token: iotpay party operator-token --data-dir <the issuer's directory>.",
        services.operatorOfToken(), TOKEN_CHARS_MAX, Set.of(), Map.of()), sessions);
    ConsoleRenderer renderer = new ConsoleRenderer(TEMPLATES_PACKAGE, IssuerConsole.class.getClassLoader());
    kit.mount(app, tls, renderer);
    new BooksPage(services, renderer).register(app);
    new AuthorisationsPage(services, renderer).register(app);
  }

  static ConsoleFrame frame(Context ctx, String title, String section) {
    List<NavLink> nav = SECTIONS.stream().map(s -> new NavLink(ROOT + "/" + s[0], s[1], s[0].equals(section))).toList();
    return new ConsoleFrame(title, BRAND, nav, ConsoleGuard.session(ctx).orElseThrow().csrfToken());
  }

  /** Minor units shown in major units with the currency's digits ("1234.50"). */
  static String amount(long minor, int digits) {
    return BigDecimal.valueOf(minor, digits).toPlainString();
  }
}

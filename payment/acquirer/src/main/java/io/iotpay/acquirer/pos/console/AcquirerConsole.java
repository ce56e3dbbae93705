package io.iotpay.acquirer.pos.console;

import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.risk.TerminalRiskService;
import io.iotpay.console.ConsoleKit;
import io.iotpay.console.ConsolePaths;
import io.iotpay.console.ConsoleRenderer;
import io.iotpay.console.ConsoleSessions;
import io.javalin.Javalin;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The acquirer's operator console at {@code /console} on the onboarding HTTP API's port
 * ({@code PosHttpApi}): the review queue with the automatic checks' findings, merchants with their
 * audited history and the operator's decisions, and each merchant's terminals with their attestation
 * and risk state. The same look, login, sessions, CSRF tokens and headers as {@code iotpay serve}'s
 * console ({@link ConsoleKit}); what each page shows: {@code docs/console.md}.
 */
public final class AcquirerConsole {
  static final String ROOT = ConsolePaths.ROOT;
  static final String BRAND = "iotpay acquirer console";
  private static final String TEMPLATES_PACKAGE = "io.iotpay.acquirer.pos.console.templates";

  /**
   * What the console reads and acts on.
   *
   * @param onboarding merchants, findings, terminals and the operator's decisions (audited there)
   * @param operatorOfToken an operator's name by token, compared in constant time; empty for any other
   * @param tokenCharsMax longer tokens are refused before they are looked up
   * @param trail where each state change sits in the audit log; supplies null when not known
   * @param risk terminal risk sensing; supplies null where it does not run in this process
   */
  public record Services(OnboardingService onboarding, Function<String, Optional<String>> operatorOfToken, int tokenCharsMax,
      Supplier<OnboardingTrail> trail, Supplier<TerminalRiskService> risk) {
    public Services {
      Objects.requireNonNull(onboarding, "onboarding");
      Objects.requireNonNull(operatorOfToken, "operatorOfToken");
      Objects.requireNonNull(trail, "trail");
      Objects.requireNonNull(risk, "risk");
    }
  }

  private final Services services;
  private final ConsoleSessions sessions;

  public AcquirerConsole(Services services) {
    this(services, new ConsoleSessions(new SecureRandom(), Clock.systemUTC()));
  }

  AcquirerConsole(Services services, ConsoleSessions sessions) {
    this.services = Objects.requireNonNull(services, "services");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
  }

  /** Mounts the console on {@code app} (before it starts). @param tls whether {@code app} runs TLS */
  public void register(Javalin app, boolean tls) {
    ConsoleKit kit = new ConsoleKit(new ConsoleKit.Settings(BRAND, ReviewQueuePage.PATH,
        "The token is the registry's operator token: iotpay party operator-token --data-dir <the acquirer's directory>.",
        services.operatorOfToken(), services.tokenCharsMax(), Set.of(), Map.of()), sessions);
    ConsoleRenderer renderer = new ConsoleRenderer(TEMPLATES_PACKAGE, AcquirerConsole.class.getClassLoader());
    kit.mount(app, tls, renderer);
    new ReviewQueuePage(services, renderer).register(app);
    new MerchantPages(services, renderer).register(app);
    new TerminalPages(services, renderer).register(app);
  }
}

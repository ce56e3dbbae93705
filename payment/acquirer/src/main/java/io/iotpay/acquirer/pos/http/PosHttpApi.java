package io.iotpay.acquirer.pos.http;

import io.iotpay.acquirer.pos.console.AcquirerConsole;
import io.iotpay.acquirer.pos.console.OnboardingTrail;
import io.iotpay.acquirer.pos.merchant.KeyedHash;
import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.online.MerchantStatements;
import io.iotpay.acquirer.pos.risk.TerminalRiskService;
import io.iotpay.console.HttpsConnector;
import io.iotpay.console.OpenApiDocument;
import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpResponseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acquirer's merchant onboarding HTTP API (Javalin on Jetty): merchants register and enrol
 * their phones as terminals, operators review, decide, suspend and block. Endpoints and examples:
 * {@code docs/merchant-onboarding.md}; the phone SDK's (enrolment, the monitoring service's nonce
 * and attestation): {@code docs/phone-sdk.md}. The operators' web console ({@link AcquirerConsole},
 * HTML at {@code /console}, login with an operator's token) is served beside it: {@code docs/console.md}.
 *
 * <p>Every answer is JSON; every error is {@code {"error":"<CODE>","detail":"…"}} (400 bad input, 401
 * no or bad token, 403 not an operator, 404 unknown, 409 conflict with the state, 413 too large, 415
 * not JSON, 429 rate-limited, 503 store failure) and a refused request changed nothing. Every route is
 * described at {@code GET /openapi.json} (OpenAPI 3.1). Plain HTTP on the address given unless
 * {@link PosHttpConfig#tls()} holds a key and certificate, then TLS only: without it bind to loopback.
 *
 * <p>One instance serves once: {@link #start} it, {@link #close} it.
 */
public final class PosHttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PosHttpApi.class);

  private final OnboardingService onboarding;
  private final PosHttpConfig config;
  private final Gate gate;
  private volatile MerchantStatements statements;
  private volatile TerminalRiskService monitoring;
  private volatile Supplier<String> metrics;
  private volatile OnboardingTrail trail;
  private final List<String> routes = Collections.synchronizedList(new ArrayList<>());
  private Javalin app;

  /**
   * @param suite the suite of the merchant token MAC (HMAC-SHA-256 or HMAC-SM3)
   */
  public PosHttpApi(OnboardingService onboarding, PosHttpConfig config, AlgorithmSuite suite) {
    this.onboarding = Assert.notNull(onboarding, "onboarding");
    this.config = Assert.notNull(config, "config");
    this.gate = new Gate(config, new KeyedHash(Assert.notNull(suite, "suite"), config.merchantTokenKey()));
  }

  /**
   * As {@link #PosHttpApi(OnboardingService, PosHttpConfig, AlgorithmSuite)}, also serving the
   * merchants' days from {@code statements}.
   */
  public PosHttpApi(OnboardingService onboarding, PosHttpConfig config, AlgorithmSuite suite,
      MerchantStatements statements) {
    this(onboarding, config, suite);
    this.statements = Assert.notNull(statements, "statements");
  }

  /**
   * Serves the merchants' days ({@code GET /v1/pos/merchant/day} and {@code …/transactions.csv})
   * from {@code statements} from now on, also once started: the registry's API starts before the
   * host that transacts. Until then both answer 503.
   *
   * @return this
   */
  public PosHttpApi serveStatements(MerchantStatements statements) {
    this.statements = Assert.notNull(statements, "statements");
    return this;
  }

  /**
   * Serves the terminal monitoring service ({@code POST /v1/pos/merchant/terminals/{terminal}/nonce}
   * and {@code …/attestations}) from {@code risk} from now on, also once started. Until then both
   * answer 503.
   *
   * @return this
   */
  public PosHttpApi serveMonitoring(TerminalRiskService risk) {
    this.monitoring = Assert.notNull(risk, "risk");
    return this;
  }

  /**
   * Serves {@code GET /metrics} (Prometheus text, no login, as Prometheus scrapes) from {@code scrape}
   * from now on, also once started. Until then it answers 503.
   *
   * @return this
   */
  public PosHttpApi serveMetrics(Supplier<String> scrape) {
    this.metrics = Assert.notNull(scrape, "scrape");
    return this;
  }

  /**
   * Lets the console show each state change checked against the audit log ({@code trail}) from now on;
   * until then its history pages say "not checked here".
   *
   * @return this
   */
  public PosHttpApi auditTrail(OnboardingTrail trail) {
    this.trail = Assert.notNull(trail, "trail");
    return this;
  }

  /**
   * Starts listening.
   *
   * @param host the address to bind, e.g. {@code 127.0.0.1}
   * @param port the port, 0 for any free one ({@link #port()} tells which)
   * @return this
   * @throws IllegalStateException when already started or the port cannot be bound
   */
  public synchronized PosHttpApi start(String host, int port) {
    if (app != null) {
      throw new IllegalStateException("the onboarding HTTP API was already started");
    }
    Javalin created = Javalin.create(javalin -> configure(javalin, host, port));
    routes(created);
    try {
      if (config.tls() == null) {
        created.start(host, port);
      } else {
        created.start();
      }
    } catch (RuntimeException e) {
      created.stop();
      throw new IllegalStateException("the onboarding HTTP API cannot listen on " + host + ":" + port, e);
    }
    app = created;
    LOG.info("Acquirer onboarding API listening [host={}, port={}, tls={}]", host, created.port(), config.tls() != null);
    return this;
  }

  /** The bound port. @throws IllegalStateException before {@link #start} */
  public synchronized int port() {
    if (app == null) {
      throw new IllegalStateException("the onboarding HTTP API is not started");
    }
    return app.port();
  }

  /** Whether the API is served over TLS. */
  public boolean tls() {
    return config.tls() != null;
  }

  /** Every registered route as {@code "METHOD /path/{param}"}, in registration order (the OpenAPI test compares them). */
  public List<String> routes() {
    synchronized (routes) {
      return List.copyOf(routes);
    }
  }

  /** Stops listening; requests in flight are cut. Idempotent. */
  @Override
  public synchronized void close() {
    if (app != null) {
      app.stop();
      app = null;
    }
  }

  private void configure(JavalinConfig javalin, String host, int port) {
    javalin.showJavalinBanner = false;
    javalin.startupWatcherEnabled = false;
    javalin.http.maxRequestSize = config.jsonBytesMax();
    javalin.http.disableCompression();
    javalin.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
    javalin.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JsonErrorHandler()));
    javalin.events.handlerAdded(handler -> routes.add(handler.getHttpMethod().name().toUpperCase(Locale.ROOT) + " " + handler.getPath()));
    if (config.tls() != null) {
      HttpsConnector.install(javalin, host, port, config.tls().keyStore(), config.tls().password());
    }
  }

  private void routes(Javalin created) {
    RateLimiter registrations = new RateLimiter(config.registrationsPerMinuteMax(), config.clientsTrackedMax(), System::nanoTime);
    created.get("/health", ctx -> Exchange.json(ctx, 200, Views.JSON.createObjectNode().put("status", "UP")));
    created.get(OpenApiDocument.PATH, new OpenApiDocument(PosHttpApi.class, "openapi.json")::serve);
    created.get("/metrics", ctx -> {
      Supplier<String> scrape = metrics;
      if (scrape == null) {
        throw new ApiException(503, "UNAVAILABLE", "metrics not served yet");
      }
      ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8").result(scrape.get());
    });
    new MerchantEndpoints(onboarding, config, gate, registrations).register(created);
    new OperatorEndpoints(onboarding, config, gate).register(created);
    new StatementEndpoints(gate, () -> statements).register(created);
    new MonitoringEndpoints(onboarding, config, gate, () -> monitoring).register(created);
    new AcquirerConsole(new AcquirerConsole.Services(onboarding, gate::operatorOf, PosHttpConfig.TOKEN_CHARS_MAX, () -> trail,
        () -> monitoring)).register(created, config.tls() != null);
    created.exception(HttpResponseException.class,
        (e, ctx) -> Exchange.error(ctx, new ApiException(e.getStatus(), JsonErrorHandler.code(e.getStatus()), "refused (" + e.getStatus() + ")")));
    created.exception(Exception.class, (e, ctx) -> {
      if (ctx.res().isCommitted()) {
        // A streamed answer (the CSV export) failed after its first bytes: nothing can be added to
        // it; it ends short of its X-Row-Count.
        LOG.warn("HTTP answer failed after it was sent in part [method={}, path={}, exception={}]", ctx.method(),
            Exchange.clip(ctx.path()), e.getClass().getName(), e);
        return;
      }
      ApiException error = ErrorTable.of(e);
      if (error.status() >= 500) {
        LOG.warn("Onboarding HTTP request failed [method={}, path={}, status={}, exception={}]",
            ctx.method(), Exchange.clip(ctx.path()), error.status(), e.getClass().getName(), e);
      }
      Exchange.error(ctx, error);
    });
    created.error(404, ctx -> {
      if (ctx.resultInputStream() == null) {
        Exchange.error(ctx, new ApiException(404, "NOT_FOUND", "no endpoint " + ctx.method() + " " + Exchange.clip(ctx.path())));
      }
    });
  }
}

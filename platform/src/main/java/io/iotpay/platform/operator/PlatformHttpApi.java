package io.iotpay.platform.operator;

import io.iotpay.platform.access.http.ApiException;
import io.iotpay.platform.access.http.DeviceMessages;
import io.iotpay.platform.access.http.Exchange;
import io.iotpay.console.HttpsConnector;
import io.iotpay.console.OpenApiDocument;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's HTTP API (Javalin on Jetty): operators register and manage devices, users manage
 * their mandates and payments, cloud-connected devices post envelopes. Endpoints and examples:
 * {@code docs/http-api.md}.
 *
 * <p>Every answer is JSON with snake_case fields except device answers ({@code application/cose})
 * and {@code /metrics} (Prometheus text). Every error, the HTTP server's own included, is
 * {@code {"error":"<CODE>","detail":"…"}} with 400 bad input, 401 no or bad token, 403 not yours or
 * not allowed here, 404 unknown, 409 conflict, 413 too large, 415 not JSON, 503 store failure; a
 * refused request changed nothing. Bodies are bounded
 * ({@link HttpApiConfig#jsonBytesMax()}, {@link HttpApiConfig#envelopeBytesMax()}).
 *
 * <p>Plain HTTP unless {@link HttpApiConfig#tls()} holds a key store; then TLS only. One instance serves once:
 * {@link #start} it, {@link #close} it.
 */
public final class PlatformHttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PlatformHttpApi.class);

  private final HttpApiServices services;
  private final HttpApiConfig config;
  private final DirectoryServices directory;
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private Javalin app;
  private final List<HttpMount> mounts = new ArrayList<>();
  private final List<String> routes = Collections.synchronizedList(new ArrayList<>());

  /** @param services never null; @param config never null */
  public PlatformHttpApi(HttpApiServices services, HttpApiConfig config) {
    this(services, config, null);
  }

  /**
   * As {@link #PlatformHttpApi(HttpApiServices, HttpApiConfig)}, with the operator's directory
   * (users, accounts, merchant listing: {@link DirectoryEndpoints}) and each device's PSK in its
   * registration answer.
   *
   * @param directory null for none
   */
  public PlatformHttpApi(HttpApiServices services, HttpApiConfig config, DirectoryServices directory) {
    this.services = Objects.requireNonNull(services, "services");
    this.config = Objects.requireNonNull(config, "config");
    this.directory = directory;
  }

  /**
   * Starts listening.
   *
   * @param host the address to bind, e.g. {@code 127.0.0.1}
   * @param port the port, 0 for any free one ({@link #port()} tells which)
   * @return this
   * @throws IllegalStateException when already started, or the port cannot be bound (the TLS key store
   *     was read with the configuration: {@link HttpApiConfig#withTls})
   */
  public synchronized PlatformHttpApi start(String host, int port) {
    if (app != null) {
      throw new IllegalStateException("the HTTP API was already started");
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
      throw new IllegalStateException("the HTTP API cannot listen on " + host + ":" + port, e);
    }
    app = created;
    LOG.info("HTTP API listening [host={}, port={}, tls={}]", host, created.port(), config.tls() != null);
    return this;
  }

  /** The bound port. @throws IllegalStateException before {@link #start} */
  public synchronized int port() {
    if (app == null) {
      throw new IllegalStateException("the HTTP API is not started");
    }
    return app.port();
  }

  /**
   * Serves {@code mount}'s routes (the operator console's) beside the API's, registered after them.
   *
   * @return this
   * @throws IllegalStateException when already started
   */
  public synchronized PlatformHttpApi mount(HttpMount mount) {
    if (app != null) {
      throw new IllegalStateException("mount before start");
    }
    mounts.add(Objects.requireNonNull(mount, "mount"));
    return this;
  }

  /** Every registered route as {@code "METHOD /path/{param}"}, in registration order (the OpenAPI test compares them). */
  public List<String> routes() {
    synchronized (routes) {
      return List.copyOf(routes);
    }
  }

  /**
   * The registry {@code GET /metrics} shows, so the composition root can bind a node's own meters to it
   * (the issuer host's authorisations behind {@code iotpay serve}). Closed with this API.
   */
  public io.micrometer.core.instrument.MeterRegistry metrics() {
    return metrics;
  }

  /** Whether the API is served over TLS. */
  public boolean tls() {
    return config.tls() != null;
  }

  /** Stops listening; requests in flight are cut. Idempotent. */
  @Override
  public synchronized void close() {
    if (app != null) {
      app.stop();
      app = null;
    }
    metrics.close();
  }

  private void configure(JavalinConfig javalin, String host, int port) {
    javalin.showJavalinBanner = false;
    javalin.http.maxRequestSize = Math.max(config.jsonBytesMax(), config.envelopeBytesMax());
    javalin.http.disableCompression();
    // Jetty's own refusals (bad URI or path, 414, 431, …) are answered in the API's error shape too.
    javalin.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
    javalin.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JsonErrorHandler()));
    javalin.requestLogger.http(this::measure);
    javalin.events.handlerAdded(handler -> routes.add(handler.getHttpMethod().name().toUpperCase(Locale.ROOT) + " " + handler.getPath()));
    HttpApiConfig.Tls tls = config.tls();
    if (tls != null) {
      HttpsConnector.install(javalin, host, port, tls.keyStore(), tls.password());
    }
  }

  private void routes(Javalin created) {
    BearerTokenCheck bearer = new BearerTokenCheck(services.auth());
    created.get("/health", ctx -> Exchange.json(ctx, 200, Exchange.JSON.createObjectNode().put("status", "UP")));
    created.get(OpenApiDocument.PATH, new OpenApiDocument(PlatformHttpApi.class, "openapi.json")::serve);
    created.get("/metrics", ctx -> {
      bearer.requireOperator(ctx);
      ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    });
    new OperatorEndpoints(services, config, directory == null ? null : directory.psks()).register(created, bearer);
    if (directory != null) {
      new DirectoryEndpoints(services, directory, config).register(created, bearer);
    }
    new UserEndpoints(services, config).register(created, bearer);
    new AttackEndpoints(services, config, new CloneVerdicts(services, directory == null ? null : directory.audit())).register(created, bearer, metrics);
    PlatformMeters.register(metrics, services.payments(), services.inbox());
    new DeviceMessages(services.inbox(), config.envelopeBytesMax()).register(created);
    mounts.forEach(mount -> mount.register(created, config.tls() != null));
    created.exception(HttpResponseException.class, (e, ctx) -> Exchange.error(ctx, fromJavalin(e)));
    created.exception(Exception.class, (e, ctx) -> {
      ApiException error = ErrorTable.of(e);
      if (error.status() >= 500) {
        LOG.warn("HTTP request failed [method={}, path={}, status={}, exception={}]",
            ctx.method(), Exchange.clip(ctx.path()), error.status(), e.getClass().getName(), e);
      }
      Exchange.error(ctx, error);
    });
    created.error(404, ctx -> {
      if (ctx.resultInputStream() == null) {
        Exchange.error(ctx, ApiException.notFound("NOT_FOUND", "no endpoint " + ctx.method() + " " + Exchange.clip(ctx.path())));
      }
    });
  }

  /**
   * Javalin's own refusals (unknown route, body over its limit) in our error shape, with a fixed
   * detail: Javalin's messages may name Java types or echo the request.
   */
  private static ApiException fromJavalin(HttpResponseException e) {
    return new ApiException(e.getStatus(), JsonErrorHandler.code(e.getStatus()), JsonErrorHandler.detail(e.getStatus()));
  }

  /** One timer per route template, method and status: the label set stays bounded whatever paths are asked for. */
  private void measure(Context ctx, Float executionMs) {
    String route;
    try {
      route = ctx.endpointHandlerPath();
    } catch (RuntimeException e) {
      route = "unmatched";
    }
    Timer.builder("iotpay.http.requests")
        .description("HTTP API requests by route template, method and status")
        .tag("route", route)
        .tag("method", ctx.method().name())
        .tag("status", Integer.toString(ctx.statusCode()))
        .register(metrics)
        .record(Duration.ofNanos((long) (executionMs * 1_000_000)));
  }
}

package io.iotpay.console;

import io.javalin.Javalin;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * A card party process's one HTTP listener (the switch's, the issuer's): a Javalin server that keeps
 * the routes registered on it (each party's OpenAPI test compares them with its document), plain HTTP
 * or, given a key store, TLS only ({@link HttpsConnector}). Register the routes on {@link #app()},
 * then {@link #start}.
 */
public final class PartyHttpServer implements AutoCloseable {
  /** Largest request body taken: the console's forms and the parties' JSON requests are small. */
  public static final long REQUEST_BYTES_MAX = 64 * 1024;

  private final Javalin app;
  private final List<String> routes;
  private final InetSocketAddress address;
  private final boolean tls;

  private PartyHttpServer(Javalin app, List<String> routes, InetSocketAddress address, boolean tls) {
    this.app = app;
    this.routes = routes;
    this.address = address;
    this.tls = tls;
  }

  /**
   * A server not yet listening.
   *
   * @param address where it will listen (port 0 picks a free one)
   * @param keyStore the TLS key and certificate chain (then TLS only), or null for plain HTTP
   * @param password the key store's password, or null with no key store
   */
  public static PartyHttpServer create(InetSocketAddress address, KeyStore keyStore, String password) {
    List<String> routes = Collections.synchronizedList(new ArrayList<>());
    Javalin app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.startupWatcherEnabled = false;
      config.http.maxRequestSize = REQUEST_BYTES_MAX;
      config.events.handlerAdded(handler -> routes.add(handler.getHttpMethod().name().toUpperCase(Locale.ROOT) + " " + handler.getPath()));
      if (keyStore != null) {
        HttpsConnector.install(config, address.getHostString(), address.getPort(), keyStore, password);
      }
    });
    return new PartyHttpServer(app, routes, address, keyStore != null);
  }

  /**
   * The console's operator lookup for a party with one operator token: {@code operator} for exactly
   * that token, compared in constant time; empty for any other token, and for every token when the
   * party has none (a data directory written before its console).
   *
   * @param operatorToken the token, or null
   */
  public static Function<String, Optional<String>> operatorOfToken(String operatorToken, String operator) {
    byte[] expected = operatorToken == null ? null : operatorToken.getBytes(StandardCharsets.UTF_8);
    return token -> token != null && expected != null
        && MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8)) ? Optional.of(operator) : Optional.empty();
  }

  /** Where routes are registered before {@link #start}. */
  public Javalin app() {
    return app;
  }

  /**
   * Starts listening.
   *
   * @param what the listener's name in the error, e.g. "the switch's HTTP listener"
   * @throws IllegalStateException when it cannot listen (the server is stopped)
   */
  public PartyHttpServer start(String what) {
    try {
      if (tls) {
        app.start(); // the TLS connector only: start(host, port) would add a plain one
      } else {
        app.start(address.getHostString(), address.getPort());
      }
    } catch (RuntimeException e) {
      app.stop();
      throw new IllegalStateException(what + " cannot listen on " + address, e);
    }
    return this;
  }

  public int port() {
    return app.port();
  }

  public boolean tls() {
    return tls;
  }

  /** Every registered route as {@code "METHOD /path/{param}"}, in registration order. */
  public List<String> routes() {
    synchronized (routes) {
      return List.copyOf(routes);
    }
  }

  @Override
  public void close() {
    app.stop();
  }
}

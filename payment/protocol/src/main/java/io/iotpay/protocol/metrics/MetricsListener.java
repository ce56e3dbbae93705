package io.iotpay.protocol.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.iotpay.foundation.Assert;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * A metrics-only HTTP listener for a party process that has no HTTP API of its own (the switch, the
 * issuers): {@code GET /metrics} answers Prometheus text; any other path 404, any other method 405.
 * Plain HTTP and no login, as Prometheus scrapes: bind it to loopback or a private network.
 */
public final class MetricsListener implements AutoCloseable {
  /** Prometheus's text exposition format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;

  private MetricsListener(HttpServer server) {
    this.server = server;
  }

  /**
   * Listens on {@code address} (port 0 picks a free one, see {@link #port()}).
   *
   * @throws IOException when the address cannot be bound
   */
  public static MetricsListener start(InetSocketAddress address, Supplier<String> scrape) throws IOException {
    Assert.notNull(scrape, "scrape");
    HttpServer server = HttpServer.create(Assert.notNull(address, "address"), 0);
    server.createContext("/", exchange -> answer(exchange, scrape));
    server.start();
    return new MetricsListener(server);
  }

  private static void answer(HttpExchange exchange, Supplier<String> scrape) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals("/metrics")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops listening at once. */
  @Override
  public void close() {
    server.stop(0);
  }
}

package io.iotpay.issuer.party;

import io.iotpay.console.OpenApiDocument;
import io.iotpay.console.PartyHttpServer;
import io.iotpay.foundation.crypto.TlsIdentity;
import io.iotpay.issuer.party.console.IssuerConsole;
import io.javalin.Javalin;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;

/**
 * The issuer process's HTTP listener: {@code GET /metrics} (Prometheus text, no login, as Prometheus
 * scrapes), the operator console at {@code /console} (its books and authorisations), the deposit
 * accounts at {@code /v1/deposit-accounts/{number}} (bearer: the operator token; {@link DepositAccountApi}),
 * and {@code GET /openapi.json} (the OpenAPI 3.1 description of all of them, no login). Plain HTTP unless
 * given a TLS identity, then TLS only (and the console's cookie {@code Secure}); without TLS bind it to
 * loopback or a private network.
 */
final class IssuerHttp implements AutoCloseable {
  static final String OPERATOR = "operator";

  private final PartyHttpServer server;

  private IssuerHttp(PartyHttpServer server) {
    this.server = server;
  }

  /**
   * Listens on {@code address} (port 0 picks a free one).
   *
   * @param console what the console reads and runs (its operator lookup included)
   * @param tls the listener's TLS key and certificate (then TLS only), or null for plain HTTP
   * @throws IllegalStateException when it cannot listen
   */
  static IssuerHttp start(InetSocketAddress address, Supplier<String> scrape, IssuerConsole.Services console,
      TlsIdentity tls) {
    PartyHttpServer server = PartyHttpServer.create(address, tls == null ? null : tls.keyStore(),
        tls == null ? null : tls.password());
    Javalin app = server.app();
    app.get(OpenApiDocument.PATH, new OpenApiDocument(IssuerHttp.class, "openapi.json")::serve);
    app.get("/metrics", ctx -> ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8").result(scrape.get()));
    new DepositAccountApi(console.authorisations().deposits(), console.operatorOfToken()).register(app);
    new IssuerConsole(console).register(app, tls != null);
    return new IssuerHttp(server.start("the issuer's HTTP listener"));
  }

  int port() {
    return server.port();
  }

  boolean tls() {
    return server.tls();
  }

  /** Every registered route as {@code "METHOD /path/{param}"}, in registration order (the OpenAPI test compares them). */
  List<String> routes() {
    return server.routes();
  }

  @Override
  public void close() {
    server.close();
  }
}

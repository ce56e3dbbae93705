package io.iotpay.switching.party;

import io.iotpay.console.OpenApiDocument;
import io.iotpay.console.PartyHttpServer;
import io.iotpay.foundation.crypto.TlsIdentity;
import io.iotpay.switching.online.SettlementClose;
import io.iotpay.switching.online.SettlementWindowStore;
import io.iotpay.switching.party.console.SwitchConsole;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The switch process's HTTP listener: {@code GET /metrics} (Prometheus text, no login, as Prometheus
 * scrapes), {@code POST /v1/settlement/{date}/close} and {@code GET /v1/settlement/{date}} (bearer: the
 * switch's operator token), the operator console at {@code /console}, and {@code GET /openapi.json} (the
 * OpenAPI 3.1 description of all of them, no login). Plain HTTP unless given a TLS identity, then TLS
 * only (and the console's cookie {@code Secure}); without TLS bind it to loopback or a private network.
 */
final class SwitchHttp implements AutoCloseable {
  static final String OPERATOR = "operator";
  private static final String BEARER = "Bearer ";

  private final PartyHttpServer server;

  private SwitchHttp(PartyHttpServer server) {
    this.server = server;
  }

  /**
   * Listens on {@code address} (port 0 picks a free one).
   *
   * @param operatorToken the operator's token; null when the directory has none (then nobody logs in)
   * @param tls the listener's TLS key and certificate (then TLS only), or null for plain HTTP
   */
  static SwitchHttp start(InetSocketAddress address, Supplier<String> scrape, SettlementWindowStore store,
      SettlementClose close, int minorDigits, String operatorToken, Clock clock, TlsIdentity tls) {
    Function<String, Optional<String>> operatorOf = PartyHttpServer.operatorOfToken(operatorToken, OPERATOR);
    PartyHttpServer server = PartyHttpServer.create(address, tls == null ? null : tls.keyStore(),
        tls == null ? null : tls.password());
    Javalin app = server.app();
    app.get(OpenApiDocument.PATH, new OpenApiDocument(SwitchHttp.class, "openapi.json")::serve);
    app.get("/metrics", ctx -> ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8").result(scrape.get()));
    app.post("/v1/settlement/{date}/close", ctx -> {
      if (authorised(ctx, operatorOf)) {
        LocalDate date = date(ctx);
        if (date != null) {
          try {
            json(ctx, 200, close.close(date, OPERATOR));
          } catch (SettlementClose.RefusedException e) {
            error(ctx, 409, "REFUSED", e.getMessage());
          }
        }
      }
    });
    app.get("/v1/settlement/{date}", ctx -> {
      if (authorised(ctx, operatorOf)) {
        LocalDate date = date(ctx);
        if (date != null) {
          store.window(date).ifPresentOrElse(w -> json(ctx, 200, w),
              () -> error(ctx, 404, "NOT_FOUND", "no settlement window for " + date));
        }
      }
    });
    new SwitchConsole(new SwitchConsole.Services(store, close, minorDigits, operatorOf, clock)).register(app, tls != null);
    return new SwitchHttp(server.start("the switch's HTTP listener"));
  }

  private static boolean authorised(Context ctx, Function<String, Optional<String>> operatorOf) {
    String header = ctx.header("Authorization");
    String token = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
        ? header.substring(BEARER.length()).trim() : null;
    if (token == null || token.length() > SwitchConsole.TOKEN_CHARS_MAX || operatorOf.apply(token).isEmpty()) {
      error(ctx, 401, "UNAUTHENTICATED", "an 'Authorization: Bearer <operator token>' header is required");
      return false;
    }
    return true;
  }

  private static LocalDate date(Context ctx) {
    try {
      return LocalDate.parse(ctx.pathParam("date"));
    } catch (DateTimeParseException e) {
      error(ctx, 400, "BAD_DATE", "the business date must be YYYY-MM-DD");
      return null;
    }
  }

  /** A window as JSON: every value is a date, a number, an enum name or a party id, none needs escaping. */
  private static void json(Context ctx, int status, SettlementWindowStore.Window w) {
    StringBuilder out = new StringBuilder("{\"windowId\":\"").append(w.windowId()).append("\",\"businessDate\":\"")
        .append(w.businessDate()).append("\",\"currency\":\"").append(w.currency()).append("\",\"state\":\"")
        .append(w.state()).append("\",\"records\":").append(w.records()).append(",\"netSumMinor\":")
        .append(w.netSumMinor()).append(",\"positions\":[");
    for (int n = 0; n < w.positions().size(); n++) {
      SettlementWindowStore.Position p = w.positions().get(n);
      out.append(n == 0 ? "" : ",").append("{\"party\":\"").append(p.party()).append("\",\"role\":\"").append(p.role())
          .append("\",\"paysMinor\":").append(p.paysMinor()).append(",\"receivesMinor\":").append(p.receivesMinor())
          .append(",\"netMinor\":").append(p.netMinor()).append('}');
    }
    ctx.status(status).contentType("application/json").result(out.append("]}").toString());
  }

  private static void error(Context ctx, int status, String code, String message) {
    ctx.status(status).contentType("application/json")
        .result("{\"error\":\"" + code + "\",\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
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

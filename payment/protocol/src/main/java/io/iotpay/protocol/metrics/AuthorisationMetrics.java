package io.iotpay.protocol.metrics;

import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Iso8583Server;

/**
 * Where a card host reports each answer it gives (docs/metrics.md). Hosts hold {@link #NONE} until a
 * party wires a real one, so a host in a unit test needs no registry.
 */
@FunctionalInterface
public interface AuthorisationMetrics {
  /** Reports nothing. */
  AuthorisationMetrics NONE = (request, response, answeredBy, elapsedNs) -> {};

  /**
   * One answer given.
   *
   * @param request the request answered, never null
   * @param response the answer, never null; only card responses (0110, 0210, 0410, 0430) are counted
   * @param answeredBy who decided, lower case ({@code issuer}, {@code stand_in}, {@code acquirer}, …)
   * @param elapsedNs from the request's arrival to the answer, nanoseconds
   */
  void answered(Iso8583Message request, Iso8583Message response, String answeredBy, long elapsedNs);

  /**
   * {@code handler}, reporting each answer it returns to {@code metrics} as {@code answeredBy}. A
   * handler that throws is reported by nothing here (the server answers 96 itself).
   */
  static Iso8583Server.Handler metered(Iso8583Server.Handler handler, String answeredBy, AuthorisationMetrics metrics) {
    return request -> {
      long startNs = System.nanoTime();
      Iso8583Message response = handler.handle(request);
      metrics.answered(request, response, answeredBy, System.nanoTime() - startNs);
      return response;
    };
  }
}

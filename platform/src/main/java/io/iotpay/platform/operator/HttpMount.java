package io.iotpay.platform.operator;

import io.javalin.Javalin;

/**
 * Routes another package adds to the platform's HTTP server (the operator console, for one), registered
 * after the API's own so they share its port, TLS, error handling and request metrics.
 */
@FunctionalInterface
public interface HttpMount {
  /**
   * Registers routes and before/after handlers on {@code app}.
   *
   * @param app the server being configured; never null
   * @param tls whether the server is served over TLS (cookies then carry {@code Secure})
   */
  void register(Javalin app, boolean tls);
}

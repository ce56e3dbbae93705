package io.iotpay.acquirer.pos.online;

import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.merchant.TerminalId;
import java.util.Optional;

/**
 * An optional hook of the {@link AcquirerHost}: asked about each purchase (0100) and refund (0200)
 * of a terminal in good standing, before anything is written or forwarded. A refusal is answered 58
 * (not permitted to terminal) and the request never reaches the switch. The terminal risk sensing
 * ({@code io.iotpay.acquirer.pos.risk.TerminalRiskService}) implements it; {@code null} in
 * {@link AcquirerHostConfig#riskCheck()} means none.
 */
@FunctionalInterface
public interface TerminalRiskCheck {
  /** Which request. */
  enum Kind {
    PURCHASE,
    REFUND
  }

  /**
   * One request as the host sees it: the terminal's STAN and field 7 identify it (a repeat carries the same).
   *
   * @param transmittedAt field 7, MMddHHmmss
   */
  record Request(TerminalId terminalId, MerchantId merchantId, Kind kind, long amountMinor, int stan,
      String transmittedAt) {}

  /**
   * @return empty to let the request through, or the reason (one line, no card data) it is refused
   * @throws RuntimeException when the check cannot decide (the host refuses: fail closed)
   */
  Optional<String> refusal(Request request);
}

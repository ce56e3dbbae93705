package io.iotpay.platform.decision;

/**
 * Bounds of the decision service.
 *
 * @param holdTimeoutMs business time a hold waits for delivery before the ledger expires it (default
 *     7 days: a parcel of detergent); 1 min..90 days
 * @param ledgerWaitMs how long to wait for the ledger or audit log to commit before giving up with
 *     {@link DecisionStoreException} (default 30 s); 1..600,000
 * @param decisionsMax idempotency keys remembered (default 10,000,000 ≈ 2 GB at most), a bound on
 *     memory; 1..100,000,000
 */
public record DecisionConfig(long holdTimeoutMs, long ledgerWaitMs, int decisionsMax) {
  /** @throws DecisionInputException when a value is outside its bound */
  public DecisionConfig {
    check(holdTimeoutMs >= 60_000 && holdTimeoutMs <= 90L * 86_400_000, "holdTimeoutMs", holdTimeoutMs);
    check(ledgerWaitMs >= 1 && ledgerWaitMs <= 600_000, "ledgerWaitMs", ledgerWaitMs);
    check(decisionsMax >= 1 && decisionsMax <= 100_000_000, "decisionsMax", decisionsMax);
  }

  public static DecisionConfig defaults() {
    return new DecisionConfig(7L * 86_400_000, 30_000, 10_000_000);
  }

  private static void check(boolean ok, String name, long value) {
    if (!ok) {
      throw new DecisionInputException("decision config: " + name + " = " + value + " is outside its bound");
    }
  }
}

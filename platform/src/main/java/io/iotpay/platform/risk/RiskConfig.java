package io.iotpay.platform.risk;

import io.iotpay.foundation.InvalidInputException;

/**
 * Risk thresholds.
 *
 * @param merchantDistanceMetresMax farthest a device may be from a merchant with a place (default
 *     1,000 m: a car at a fuel station or car park is within metres; GPS error is tens of metres);
 *     1..20,000,000
 * @param velocityWindowMs the sliding window for velocity (default 1 h); 1 s..31 days
 * @param velocityCountMax approved payments per window before asking the user (default 10); 1..100,000
 * @param velocityAmountMinorMax approved minor units per window before asking the user (default
 *     100,000, e.g. 1,000.00 CNY); positive
 * @param paymentsRememberedMax approved payments remembered per device for velocity (default 1,024),
 *     a bound on memory; at least {@code velocityCountMax + 1}
 */
public record RiskConfig(
    long merchantDistanceMetresMax, long velocityWindowMs, int velocityCountMax, long velocityAmountMinorMax, int paymentsRememberedMax) {

  /** @throws InvalidInputException when a value is outside its bound */
  public RiskConfig {
    check(merchantDistanceMetresMax >= 1 && merchantDistanceMetresMax <= 20_000_000, "merchantDistanceMetresMax", merchantDistanceMetresMax);
    check(velocityWindowMs >= 1_000 && velocityWindowMs <= 31L * 86_400_000, "velocityWindowMs", velocityWindowMs);
    check(velocityCountMax >= 1 && velocityCountMax <= 100_000, "velocityCountMax", velocityCountMax);
    check(velocityAmountMinorMax >= 1, "velocityAmountMinorMax", velocityAmountMinorMax);
    check(paymentsRememberedMax > velocityCountMax && paymentsRememberedMax <= 1_000_000, "paymentsRememberedMax", paymentsRememberedMax);
  }

  public static RiskConfig defaults() {
    return new RiskConfig(1_000, 3_600_000, 10, 100_000, 1_024);
  }

  public RiskConfig withVelocity(long windowMs, int countMax, long amountMinorMax) {
    return new RiskConfig(merchantDistanceMetresMax, windowMs, countMax, amountMinorMax, Math.max(paymentsRememberedMax, countMax + 1));
  }

  private static void check(boolean ok, String name, long value) {
    if (!ok) {
      throw new InvalidInputException("risk config: " + name + " = " + value + " is outside its bound");
    }
  }
}

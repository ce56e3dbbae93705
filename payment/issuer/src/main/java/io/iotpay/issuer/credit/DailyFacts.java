package io.iotpay.issuer.credit;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One business day of one cardholder's wallet, as the issuer's day end knows it: the offline
 * purchases cleared for that day, the loads (top-ups), and the online account's balance at the end
 * of the day. A day without a row is a day without purchases or loads whose balance did not change.
 *
 * @param date the business date, not null
 * @param purchases purchases cleared (offline debits and split payments' offline parts), ≥ 0
 * @param purchasesMinor their total, minor units of the cardholder's currency, ≥ 0
 * @param loads loads of the wallet, ≥ 0
 * @param loadsMinor their total, minor units, ≥ 0
 * @param loadsAuto loads that were automatic or initiated online (not cash at a counter), 0..loads
 * @param onlineBalanceMinor the online account's balance at the day's end, any sign
 * @throws CreditInputException naming the field out of range
 */
public record DailyFacts(LocalDate date, int purchases, long purchasesMinor, int loads, long loadsMinor, int loadsAuto,
    long onlineBalanceMinor) {
  /** Purchases or loads a wallet can clear in one day at most; more is a feed error, not a customer. */
  public static final int EVENTS_PER_DAY_MAX = 10_000;
  /** Largest daily total accepted, minor units (10^12: far above any wallet, far below overflow). */
  public static final long AMOUNT_MINOR_MAX = 1_000_000_000_000L;

  public DailyFacts {
    Objects.requireNonNull(date, "date");
    requireRange("purchases", purchases, 0, EVENTS_PER_DAY_MAX);
    requireRange("loads", loads, 0, EVENTS_PER_DAY_MAX);
    requireRange("loadsAuto", loadsAuto, 0, loads);
    requireRange("purchasesMinor", purchasesMinor, 0, AMOUNT_MINOR_MAX);
    requireRange("loadsMinor", loadsMinor, 0, AMOUNT_MINOR_MAX);
    requireRange("onlineBalanceMinor", onlineBalanceMinor, -AMOUNT_MINOR_MAX, AMOUNT_MINOR_MAX);
    if (purchases == 0 && purchasesMinor != 0 || loads == 0 && loadsMinor != 0) {
      throw new CreditInputException("daily facts of " + date + ": an amount without any purchase or load");
    }
  }

  static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new CreditInputException(name + " " + value + " is outside " + min + ".." + max);
    }
  }
}

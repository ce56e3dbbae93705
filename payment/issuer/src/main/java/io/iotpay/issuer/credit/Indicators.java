package io.iotpay.issuer.credit;

import static io.iotpay.issuer.credit.Indicator.BEHAVIOUR_WINDOW_DAYS;
import static io.iotpay.issuer.credit.Indicator.FAILURE_WINDOW_DAYS;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Computes a cardholder's {@link IndicatorValues} as of a business date: a pure function of the
 * facts and the date. The input lists may come in any order (days are sorted by date first, so even
 * floating-point sums are taken in one order); facts dated after the business date are ignored,
 * as is a recovery dated after it (the debt was still outstanding then).
 *
 * <p>Spending is the sum of purchases' amounts; "a day of spending" is the window's total spend
 * divided by the window's 30 days. Amount indicators are expressed in tenths of such days so that
 * one table serves every currency.
 */
public final class Indicators {
  /** Days with purchases needed for the spending variation; fewer leave it missing. */
  static final int VARIATION_ACTIVE_DAYS_MIN = 3;
  private static final Comparator<DailyFacts> BY_DATE = Comparator.comparing(DailyFacts::date);

  private Indicators() {}

  /**
   * @param facts the cardholder's facts, not null
   * @param asOf the business date being scored (inclusive end of every window), not null
   * @return the values; never null
   */
  public static IndicatorValues compute(CardholderFacts facts, LocalDate asOf) {
    DailyFacts[] days = facts.days().toArray(new DailyFacts[0]);
    Arrays.sort(days, BY_DATE);
    IndicatorValues.Builder out = IndicatorValues.builder();
    long spendMinor = behaviour(days, asOf, out);
    failures(facts, asOf, spendMinor, out);
    balances(days, asOf, spendMinor, out);
    long tenureDays = asOf.toEpochDay() - facts.issuedOn().toEpochDay();
    out.set(Indicator.TENURE, Math.max(0, tenureDays));
    return out.build();
  }

  /** Purchases and loads in the behaviour window; returns the window's total spend, minor units. */
  private static long behaviour(DailyFacts[] days, LocalDate asOf, IndicatorValues.Builder out) {
    LocalDate windowStart = asOf.minusDays(BEHAVIOUR_WINDOW_DAYS - 1);
    int activeDays = 0;
    long spendMinor = 0;
    double spendSquares = 0;
    long loads = 0;
    long loadsMinor = 0;
    long loadsAuto = 0;
    for (DailyFacts day : days) {
      if (day.date().isBefore(windowStart) || day.date().isAfter(asOf)) {
        continue;
      }
      if (day.purchases() > 0) {
        activeDays++;
        spendMinor += day.purchasesMinor();
        spendSquares += (double) day.purchasesMinor() * day.purchasesMinor();
      }
      loads += day.loads();
      loadsMinor += day.loadsMinor();
      loadsAuto += day.loadsAuto();
    }
    out.set(Indicator.ACTIVE_DAY_SHARE, activeDays * 1000L / BEHAVIOUR_WINDOW_DAYS);
    if (activeDays < VARIATION_ACTIVE_DAYS_MIN) {
      out.missing(Indicator.DAILY_SPEND_VARIATION);
    } else {
      double mean = (double) spendMinor / activeDays;
      double variance = Math.max(0, spendSquares / activeDays - mean * mean);
      out.set(Indicator.DAILY_SPEND_VARIATION, mean == 0 ? 0 : Math.round(100 * Math.sqrt(variance) / mean));
    }
    out.set(Indicator.LOADS, loads);
    if (loads == 0) {
      out.missing(Indicator.AUTO_LOAD_SHARE).missing(Indicator.LOAD_COVER);
      return spendMinor;
    }
    out.set(Indicator.AUTO_LOAD_SHARE, loadsAuto * 1000 / loads);
    if (spendMinor == 0) {
      out.missing(Indicator.LOAD_COVER);
    } else {
      out.set(Indicator.LOAD_COVER, tenthsOfSpendDay(loadsMinor, loads, spendMinor));
    }
    return spendMinor;
  }

  /** {@code amountMinor / divisor} in tenths of an average day of spending ({@code spendMinor / 30}). */
  private static long tenthsOfSpendDay(long amountMinor, long divisor, long spendMinor) {
    // amount ≤ 10^15 and 10 × 30 = 300: the product stays below 2^63.
    return Math.floorDiv(amountMinor * 10 * BEHAVIOUR_WINDOW_DAYS, divisor * spendMinor);
  }

  private static void failures(CardholderFacts facts, LocalDate asOf, long spendMinor, IndicatorValues.Builder out) {
    long windowStartDay = asOf.toEpochDay() - (FAILURE_WINDOW_DAYS - 1);
    long failed = 0;
    long unsettledDaysMax = 0;
    long outstanding = 0;
    long outstandingMinor = 0;
    for (FailedOnlinePart part : facts.failedParts()) {
      if (part.failedOn().isAfter(asOf)) {
        continue;
      }
      boolean recovered = part.recoveredBy(asOf);
      if (part.failedOn().toEpochDay() >= windowStartDay) {
        failed++;
        LocalDate settledOn = recovered ? part.recoveredOn() : asOf;
        unsettledDaysMax = Math.max(unsettledDaysMax, settledOn.toEpochDay() - part.failedOn().toEpochDay());
      }
      if (!recovered) {
        outstanding++;
        outstandingMinor += part.amountMinor();
      }
    }
    out.set(Indicator.FAILED_PARTS, failed).set(Indicator.UNSETTLED_DAYS_MAX, unsettledDaysMax)
        .set(Indicator.OUTSTANDING_PARTS, outstanding);
    if (outstandingMinor == 0) {
      out.set(Indicator.OUTSTANDING_DEBT, 0);
    } else if (spendMinor == 0) {
      // Debt with no spending to compare it with: as large as it gets.
      out.set(Indicator.OUTSTANDING_DEBT, Long.MAX_VALUE);
    } else {
      out.set(Indicator.OUTSTANDING_DEBT, tenthsOfSpendDay(outstandingMinor, 1, spendMinor));
    }
  }

  /**
   * The online balance is known from the first daily row in the window onwards and carried forward
   * over days without a row (its balance did not change).
   */
  private static void balances(DailyFacts[] days, LocalDate asOf, long spendMinor, IndicatorValues.Builder out) {
    long windowStartDay = asOf.toEpochDay() - (BEHAVIOUR_WINDOW_DAYS - 1);
    long asOfDay = asOf.toEpochDay();
    long knownDays = 0;
    long balanceDaySum = 0;
    long negativeDays = 0;
    for (int i = 0; i < days.length; i++) {
      long day = days[i].date().toEpochDay();
      if (day < windowStartDay || day > asOfDay) {
        continue;
      }
      long nextDay = i + 1 < days.length ? Math.min(days[i + 1].date().toEpochDay(), asOfDay + 1) : asOfDay + 1;
      long span = nextDay - day;
      long balance = days[i].onlineBalanceMinor();
      knownDays += span;
      balanceDaySum += balance * span;
      negativeDays += balance < 0 ? span : 0;
    }
    if (knownDays == 0) {
      out.missing(Indicator.BALANCE_AVERAGE).missing(Indicator.BALANCE_NEGATIVE_DAYS);
      return;
    }
    out.set(Indicator.BALANCE_NEGATIVE_DAYS, negativeDays);
    if (spendMinor > 0) {
      out.set(Indicator.BALANCE_AVERAGE, tenthsOfSpendDay(balanceDaySum, knownDays, spendMinor));
    } else {
      out.set(Indicator.BALANCE_AVERAGE, Long.signum(balanceDaySum) * Long.MAX_VALUE);
    }
  }
}

package io.iotpay.bench.credit;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.issuer.credit.CardholderFacts;
import io.iotpay.issuer.credit.CardholderId;
import io.iotpay.issuer.credit.DailyFacts;
import io.iotpay.issuer.credit.FailedOnlinePart;
import io.iotpay.issuer.credit.Indicator;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Wallet cardholders with varied, realistic facts over the scoring window, each a pure function of
 * (seed, id) so any thread can make any cardholder and every run sees the same population:
 *
 * <ul>
 *   <li>commuters (40 %): two bus or metro fares on most weekdays, automatic loads;
 *   <li>canteen regulars (25 %): one to three canteen meals most days, cash loads now and then;
 *   <li>occasional shoppers (15 %): a few larger shop purchases a month;
 *   <li>stretched (12 %): irregular spending, an online balance that dips below zero, failed
 *       online parts of which some are recovered at a later load;
 *   <li>newcomers (8 %): issued in the last month.
 * </ul>
 * Amounts are CNY fen, one cardholder in 10 in HKD cents.
 */
public final class CardholderGenerator {
  /** The profiles, in the order of {@link #profileOf}. */
  public enum Profile {
    COMMUTER,
    CANTEEN,
    OCCASIONAL,
    STRETCHED,
    NEWCOMER
  }

  private final long seed;
  private final LocalDate asOf;

  public CardholderGenerator(long seed, LocalDate asOf) {
    this.seed = seed;
    this.asOf = asOf;
  }

  /** The profile of a cardholder (from its own random stream, so it agrees with {@link #facts}). */
  public Profile profileOf(long id) {
    return profile(random(id));
  }

  private SplittableRandom random(long id) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id);
  }

  private static Profile profile(SplittableRandom random) {
    int p = random.nextInt(100);
    return p < 40 ? Profile.COMMUTER : p < 65 ? Profile.CANTEEN : p < 80 ? Profile.OCCASIONAL
        : p < 92 ? Profile.STRETCHED : Profile.NEWCOMER;
  }

  /** Cardholder {@code id}'s facts: days in the 30-day window only (older days cannot change a score). */
  public CardholderFacts facts(long id) {
    SplittableRandom random = random(id);
    Profile profile = profile(random);
    int tenureDays = profile == Profile.NEWCOMER ? random.nextInt(0, 31) : random.nextInt(31, 1_500);
    CurrencyUnit currency = id % 10 == 0 ? CurrencyUnit.HKD : CurrencyUnit.CNY;
    long balance = switch (profile) {
      case STRETCHED -> random.nextLong(-2_000, 8_000);
      case COMMUTER, CANTEEN, OCCASIONAL, NEWCOMER -> random.nextLong(2_000, 200_000);
    };
    List<DailyFacts> days = new ArrayList<>(Indicator.BEHAVIOUR_WINDOW_DAYS);
    int firstOffset = Math.min(tenureDays, Indicator.BEHAVIOUR_WINDOW_DAYS - 1);
    for (int offset = firstOffset; offset >= 0; offset--) {
      LocalDate date = asOf.minusDays(offset);
      DailyFacts day = day(profile, random, date, balance);
      if (day != null) {
        balance = day.onlineBalanceMinor();
        days.add(day);
      }
    }
    List<FailedOnlinePart> parts = profile == Profile.STRETCHED ? failedParts(random, tenureDays) : List.of();
    return new CardholderFacts(CardholderId.of(id), currency, asOf.minusDays(tenureDays), days, parts);
  }

  /** One day, or null for a day without a row (no purchase, no load, balance unchanged). */
  private static DailyFacts day(Profile profile, SplittableRandom random, LocalDate date, long balance) {
    boolean weekday = date.getDayOfWeek() != DayOfWeek.SATURDAY && date.getDayOfWeek() != DayOfWeek.SUNDAY;
    int purchases = switch (profile) {
      case COMMUTER -> weekday && random.nextInt(100) < 85 ? 2 : random.nextInt(100) < 15 ? 1 : 0;
      case CANTEEN -> random.nextInt(100) < 75 ? random.nextInt(1, 4) : 0;
      case OCCASIONAL -> random.nextInt(100) < 12 ? random.nextInt(1, 3) : 0;
      case STRETCHED -> random.nextInt(100) < 45 ? random.nextInt(1, 5) : 0;
      case NEWCOMER -> random.nextInt(100) < 50 ? random.nextInt(1, 3) : 0;
    };
    long spend = 0;
    for (int i = 0; i < purchases; i++) {
      spend += switch (profile) {
        case COMMUTER -> random.nextLong(200, 600);
        case CANTEEN -> random.nextLong(800, 2_500);
        case OCCASIONAL -> random.nextLong(1_000, 20_000);
        case STRETCHED, NEWCOMER -> random.nextLong(300, 8_000);
      };
    }
    int loadChancePercent = switch (profile) {
      case COMMUTER -> 12;
      case CANTEEN -> 8;
      case OCCASIONAL, NEWCOMER -> 5;
      case STRETCHED -> 6;
    };
    int loads = random.nextInt(100) < loadChancePercent ? 1 : 0;
    long loadMinor = loads == 0 ? 0 : random.nextLong(1, 11) * 5_000;
    int loadsAuto = loads == 1 && (profile == Profile.COMMUTER ? random.nextInt(100) < 80 : random.nextInt(100) < 25)
        ? 1 : 0;
    boolean balanceMoves = random.nextInt(100) < (profile == Profile.STRETCHED ? 30 : 5);
    if (purchases == 0 && loads == 0 && !balanceMoves) {
      return null;
    }
    long drift = profile == Profile.STRETCHED ? random.nextLong(-6_000, 4_000) : random.nextLong(-3_000, 3_000);
    long newBalance = balanceMoves ? balance + drift : balance;
    return new DailyFacts(date, purchases, spend, loads, loadMinor, loadsAuto, newBalance);
  }

  private List<FailedOnlinePart> failedParts(SplittableRandom random, int tenureDays) {
    int count = random.nextInt(100) < 60 ? random.nextInt(1, 4) : 0;
    List<FailedOnlinePart> parts = new ArrayList<>(count);
    for (int p = 1; p <= count; p++) {
      LocalDate failedOn = asOf.minusDays(random.nextInt(0, Math.min(tenureDays, 240) + 1));
      LocalDate recoveredOn = null;
      if (random.nextInt(100) < 65) {
        LocalDate recovery = failedOn.plusDays(random.nextInt(0, 21));
        recoveredOn = recovery.isAfter(asOf) ? null : recovery;
      }
      parts.add(new FailedOnlinePart(p, failedOn, random.nextLong(200, 6_000), recoveredOn));
    }
    return parts;
  }
}

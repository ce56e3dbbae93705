package io.iotpay.issuer.credit;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A points scorecard: every indicator's bin is worth a whole number of points, and the total is the
 * score. The table is given in log-odds (thousandths of a nat of good:bad odds per bin, plus an
 * intercept) and turned into points by the settings' scaling, so the total maps back to odds:
 * {@code points(bin) = round(factor × (logOdds(bin) + intercept / n) + offset / n)} for n
 * indicators, hence {@code score ≈ offset + factor × ln(odds)} (within n/2 points of rounding).
 *
 * <p>Immutable and thread-safe. Version 1's table ({@link #tableV1()}) is expert-set, not
 * fitted: there are no outcomes to fit it to yet. When outcomes exist, refit the log-odds (e.g. a
 * logistic regression on weights of evidence) and raise the version; codes, bins and scaling stay.
 */
public final class Scorecard {
  /** Version 1's intercept: ln(30) ≈ 3.401, odds of 30:1 for a cardholder whose every bin is neutral. */
  public static final int INTERCEPT_MILLI_V1 = 3_401;

  /** Version 1's table, thousandths of a nat per bin, in {@link Indicator} order (missing bin last). */
  private static final Map<Indicator, int[]> LOG_ODDS_MILLI_V1 = table();

  private static final Indicator[] INDICATORS = Indicator.values();

  private final ScorecardSettings settings;
  private final int[][] points;
  private final int[] pointsMax;
  private final ReasonCode[][] reasonOfBin;
  private final Map<RatingBand, BandPolicy> policies;

  /**
   * @param settings the scaling and band settings
   * @param logOddsMilli per indicator, one entry per bin ({@link Indicator#bins()}); each indicator's
   *     value bins must move in its {@link Indicator#direction()} (non-strictly)
   * @param interceptMilli the intercept, thousandths of a nat
   * @throws CreditInputException if an indicator is absent, a row has the wrong length, or a row
   *     breaks its indicator's direction
   */
  public Scorecard(ScorecardSettings settings, Map<Indicator, int[]> logOddsMilli, int interceptMilli) {
    this.settings = settings;
    this.points = new int[INDICATORS.length][];
    this.pointsMax = new int[INDICATORS.length];
    this.reasonOfBin = new ReasonCode[INDICATORS.length][];
    double factor = settings.factor();
    double perIndicator = settings.offset() / INDICATORS.length;
    double interceptShare = interceptMilli / 1000.0 / INDICATORS.length;
    for (Indicator indicator : INDICATORS) {
      int[] row = checkedRow(indicator, logOddsMilli.get(indicator));
      int[] binPoints = new int[row.length];
      ReasonCode[] reasons = new ReasonCode[row.length];
      int max = Integer.MIN_VALUE;
      for (int bin = 0; bin < row.length; bin++) {
        binPoints[bin] = (int) Math.round(factor * (row[bin] / 1000.0 + interceptShare) + perIndicator);
        max = Math.max(max, binPoints[bin]);
        boolean missingBin = indicator.mayBeMissing() && bin == indicator.missingBin();
        reasons[bin] = missingBin ? indicator.missingReason() : indicator.reason();
      }
      points[indicator.ordinal()] = binPoints;
      pointsMax[indicator.ordinal()] = max;
      reasonOfBin[indicator.ordinal()] = reasons;
    }
    this.policies = settings.byBand();
  }

  /** Version 1's table (a copy): thousandths of a nat per bin, value bins ascending, missing bin last. */
  public static Map<Indicator, int[]> tableV1() {
    Map<Indicator, int[]> copy = new EnumMap<>(Indicator.class);
    LOG_ODDS_MILLI_V1.forEach((indicator, row) -> copy.put(indicator, row.clone()));
    return copy;
  }

  /** Version 1: default settings and {@link #tableV1()}. */
  public static Scorecard standard() {
    return new Scorecard(ScorecardSettings.defaults(), LOG_ODDS_MILLI_V1, INTERCEPT_MILLI_V1);
  }

  public ScorecardSettings settings() {
    return settings;
  }

  /** Points of an indicator's bin. */
  public int points(Indicator indicator, int bin) {
    return points[indicator.ordinal()][bin];
  }

  /** The most points an indicator can give. */
  public int pointsMax(Indicator indicator) {
    return pointsMax[indicator.ordinal()];
  }

  /** The score: the sum of every indicator's bin points. */
  public int score(IndicatorValues values) {
    int score = 0;
    for (Indicator indicator : INDICATORS) {
      score += points[indicator.ordinal()][values.binOf(indicator)];
    }
    return score;
  }

  /** The band of a score: the first band whose floor it reaches. */
  public RatingBand bandOf(int score) {
    for (BandPolicy policy : settings.bands()) {
      if (score >= policy.scoreMin()) {
        return policy.band();
      }
    }
    throw io.iotpay.foundation.Assert.unreachable("band E takes every score [score={}]", score);
  }

  public BandPolicy policy(RatingBand band) {
    return policies.get(band);
  }

  /**
   * The reason codes of a score: the indicators that cost the most points against their best bin,
   * worst first (ties in {@link Indicator} order), at most the settings' {@code reasonsMax}; an
   * indicator at its best bin gives no reason.
   */
  public List<ReasonCode> reasons(IndicatorValues values) {
    long[] losses = new long[INDICATORS.length];
    int count = 0;
    for (Indicator indicator : INDICATORS) {
      int bin = values.binOf(indicator);
      int loss = pointsMax[indicator.ordinal()] - points[indicator.ordinal()][bin];
      if (loss > 0) {
        // Sort key: loss descending, then indicator order; bin kept to pick the reason.
        losses[count++] = ((long) (Integer.MAX_VALUE - loss) << 16) | ((long) indicator.ordinal() << 8) | bin;
      }
    }
    java.util.Arrays.sort(losses, 0, count);
    List<ReasonCode> reasons = new ArrayList<>(Math.min(count, settings.reasonsMax()));
    for (int i = 0; i < count && i < settings.reasonsMax(); i++) {
      int ordinal = (int) (losses[i] >> 8) & 0xFF;
      int bin = (int) losses[i] & 0xFF;
      reasons.add(reasonOfBin[ordinal][bin]);
    }
    return reasons;
  }

  /** The full rating of a cardholder as of a business date. */
  public Rating rate(CardholderId cardholder, LocalDate businessDate, CurrencyUnit currency, IndicatorValues values) {
    int score = score(values);
    BandPolicy policy = policies.get(bandOf(score));
    return new Rating(cardholder, businessDate, settings.version(), score, policy.band(),
        Money.ofMinor(policy.allowanceMinor(currency), currency), policy.splitKinds(), reasons(values));
  }

  private static int[] checkedRow(Indicator indicator, int[] row) {
    if (row == null || row.length != indicator.bins()) {
      throw new CreditInputException("scorecard row of " + indicator + " needs " + indicator.bins() + " bins");
    }
    for (int bin = 1; bin < indicator.valueBins(); bin++) {
      boolean broken = switch (indicator.direction()) {
        case HIGHER_IS_BETTER -> row[bin] < row[bin - 1];
        case HIGHER_IS_WORSE -> row[bin] > row[bin - 1];
        case NONE -> false;
      };
      if (broken) {
        throw new CreditInputException("scorecard row of " + indicator + " breaks " + indicator.direction()
            + " at bin " + indicator.binLabel(bin));
      }
    }
    return row.clone();
  }

  private static Map<Indicator, int[]> table() {
    Map<Indicator, int[]> table = new EnumMap<>(Indicator.class);
    table.put(Indicator.ACTIVE_DAY_SHARE, new int[] {-300, -100, 100, 200});
    table.put(Indicator.DAILY_SPEND_VARIATION, new int[] {150, 50, -50, -150, -100});
    table.put(Indicator.LOADS, new int[] {-200, 0, 100, 50});
    table.put(Indicator.LOAD_COVER, new int[] {-100, 0, 100, 150, 0});
    table.put(Indicator.AUTO_LOAD_SHARE, new int[] {0, 100, 200, 0});
    table.put(Indicator.FAILED_PARTS, new int[] {300, -200, -700, -1500});
    table.put(Indicator.UNSETTLED_DAYS_MAX, new int[] {200, 50, -200, -600, -1200});
    table.put(Indicator.OUTSTANDING_PARTS, new int[] {200, -500, -1200, -2000});
    table.put(Indicator.OUTSTANDING_DEBT, new int[] {100, -100, -400, -800, -1500});
    table.put(Indicator.BALANCE_AVERAGE, new int[] {-400, -100, 50, 150, -100});
    table.put(Indicator.BALANCE_NEGATIVE_DAYS, new int[] {150, -100, -400, -800, -100});
    table.put(Indicator.TENURE, new int[] {-400, -200, 0, 150, 250});
    Map<Indicator, int[]> frozen = new EnumMap<>(Indicator.class);
    table.forEach((indicator, row) -> frozen.put(indicator, row));
    return java.util.Collections.unmodifiableMap(frozen);
  }
}

package io.iotpay.issuer.credit;

import io.iotpay.foundation.money.CurrencyUnit;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * How scores are scaled and used.
 *
 * <p>Scaling by points to double the odds: {@code score = offset + factor × ln(odds)} with
 * {@code factor = pointsToDoubleOdds / ln 2} and {@code offset = baseScore − factor × ln(baseOdds)},
 * so a score of {@code baseScore} means good:bad odds of {@code baseOdds}:1 and every
 * {@code pointsToDoubleOdds} points more doubles them (Siddiqi, <i>Credit Risk Scorecards</i>,
 * 2006, ch. 6 "Scaling"; defaults 600 at 50:1 with PDO 20 as in its example).
 *
 * @param version the scorecard's version, stored with every rating, 1..65535
 * @param baseScore the score at the base odds, 1..10,000
 * @param baseOdds good:bad odds at the base score, {@code baseOdds}:1, 1..10,000
 * @param pointsToDoubleOdds points that double the odds, 1..1,000
 * @param reasonsMax reason codes per rating, 1..{@link #REASONS_MAX}
 * @param bands one policy per band, A first, score floors strictly descending, E taking every score
 */
public record ScorecardSettings(int version, int baseScore, int baseOdds, int pointsToDoubleOdds, int reasonsMax,
    List<BandPolicy> bands) {
  /**
   * Reason codes per rating at most: four, as US adverse-action practice gives "up to four key
   * factors" (FCRA §609(f)(1)(C)) and Regulation B's commentary finds more than four unlikely to
   * help the applicant (12 CFR 1002.9(b)(2), comment 9(b)(2)-1).
   */
  public static final int REASONS_MAX = 4;

  /** @throws CreditInputException naming the setting out of range */
  public ScorecardSettings {
    DailyFacts.requireRange("version", version, 1, 65_535);
    DailyFacts.requireRange("baseScore", baseScore, 1, 10_000);
    DailyFacts.requireRange("baseOdds", baseOdds, 1, 10_000);
    DailyFacts.requireRange("pointsToDoubleOdds", pointsToDoubleOdds, 1, 1_000);
    DailyFacts.requireRange("reasonsMax", reasonsMax, 1, REASONS_MAX);
    bands = List.copyOf(bands);
    checkBands(bands);
  }

  private static void checkBands(List<BandPolicy> bands) {
    RatingBand[] order = RatingBand.values();
    if (bands.size() != order.length) {
      throw new CreditInputException("one policy per band A..E is needed, got " + bands.size());
    }
    for (int i = 0; i < order.length; i++) {
      BandPolicy policy = bands.get(i);
      if (policy.band() != order[i]) {
        throw new CreditInputException("band policies must run A..E, found " + policy.band() + " at " + i);
      }
      if (i == order.length - 1) {
        if (policy.scoreMin() != Integer.MIN_VALUE) {
          throw new CreditInputException("band " + policy.band() + " must take every score below the others");
        }
        continue;
      }
      BandPolicy next = bands.get(i + 1);
      if (next.scoreMin() >= policy.scoreMin() || !policy.splitKinds().containsAll(next.splitKinds())) {
        throw new CreditInputException("band " + next.band() + " must have a lower floor and no more kinds than "
            + policy.band());
      }
      for (Map.Entry<CurrencyUnit, Long> entry : next.allowanceMinor().entrySet()) {
        if (entry.getValue() > policy.allowanceMinor(entry.getKey())) {
          throw new CreditInputException("band " + next.band() + " allows more in " + entry.getKey().alphaCode()
              + " than band " + policy.band());
        }
      }
    }
  }

  /** 600 points at 50:1, PDO 20, four reasons; the bands of {@code docs/credit.md}. */
  public static ScorecardSettings defaults() {
    EnumSet<PurchaseKind> all = EnumSet.allOf(PurchaseKind.class);
    return new ScorecardSettings(1, 600, 50, 20, REASONS_MAX, List.of(
        band(RatingBand.A, 620, all, 20_000, 3_000),
        band(RatingBand.B, 590, EnumSet.of(PurchaseKind.CANTEEN, PurchaseKind.BUS, PurchaseKind.METRO,
            PurchaseKind.SHOP), 10_000, 1_500),
        band(RatingBand.C, 560, EnumSet.of(PurchaseKind.CANTEEN, PurchaseKind.BUS, PurchaseKind.METRO), 5_000, 800),
        band(RatingBand.D, 520, EnumSet.of(PurchaseKind.BUS, PurchaseKind.METRO), 2_000, 300),
        band(RatingBand.E, Integer.MIN_VALUE, EnumSet.noneOf(PurchaseKind.class), 0, 0)));
  }

  /** A band whose allowance is {@code centsMinor} in the two-decimal currencies and {@code yenMinor} in JPY. */
  private static BandPolicy band(RatingBand band, int scoreMin, EnumSet<PurchaseKind> kinds, long centsMinor,
      long yenMinor) {
    Map<CurrencyUnit, Long> allowance = new java.util.HashMap<>();
    for (CurrencyUnit currency : List.of(CurrencyUnit.CNY, CurrencyUnit.HKD, CurrencyUnit.USD, CurrencyUnit.EUR)) {
      allowance.put(currency, centsMinor);
    }
    allowance.put(CurrencyUnit.JPY, yenMinor);
    return new BandPolicy(band, scoreMin, kinds, allowance);
  }

  /** The scaling factor, points per unit of ln(odds). */
  public double factor() {
    return pointsToDoubleOdds / Math.log(2);
  }

  /** The scaling offset, points at odds 1:1. */
  public double offset() {
    return baseScore - factor() * Math.log(baseOdds);
  }

  /** The good:bad odds a score stands for. */
  public double oddsAt(double score) {
    return Math.exp((score - offset()) / factor());
  }

  /** The policies by band. */
  Map<RatingBand, BandPolicy> byBand() {
    Map<RatingBand, BandPolicy> map = new EnumMap<>(RatingBand.class);
    bands.forEach(policy -> map.put(policy.band(), policy));
    return map;
  }
}

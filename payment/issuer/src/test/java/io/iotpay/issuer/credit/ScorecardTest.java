package io.iotpay.issuer.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScorecardTest {
  private static final Scorecard SCORECARD = Scorecard.standard();

  @Test
  void scaling_600At50To1WithPdo20_givesSiddiqisFactorAndOffset() {
    // Known answer: N. Siddiqi, "Credit Risk Scorecards" (Wiley, 2006), ch. 6 "Scaling", worked
    // example: odds 50:1 at 600 points, pdo 20 → Factor = 20 / ln 2 = 28.8539, Offset = 487.123.
    ScorecardSettings settings = ScorecardSettings.defaults();
    assertThat(settings.factor()).isCloseTo(28.8539, within(1e-4));
    assertThat(settings.offset()).isCloseTo(487.123, within(1e-3));
    assertThat(settings.oddsAt(600)).isCloseTo(50, within(1e-9));
    assertThat(settings.oddsAt(620)).isCloseTo(100, within(1e-9));
    assertThat(settings.oddsAt(560)).isCloseTo(12.5, within(1e-9));
  }

  @Test
  void binPoints_areTheScaledLogOdds_rounded() {
    // points = round(28.8539 × (logOdds + ln(30)/12) + 487.123/12); worked by hand for four bins:
    // FAILED_PARTS 0 (+0.300): 57.43 → 57; FAILED_PARTS > 3 (−1.500): 5.49 → 5;
    // OUTSTANDING_PARTS > 3 (−2.000): −8.94 → −9; TENURE > 730 (+0.250): 55.98 → 56.
    assertThat(SCORECARD.points(Indicator.FAILED_PARTS, 0)).isEqualTo(57);
    assertThat(SCORECARD.points(Indicator.FAILED_PARTS, 3)).isEqualTo(5);
    assertThat(SCORECARD.points(Indicator.OUTSTANDING_PARTS, 3)).isEqualTo(-9);
    assertThat(SCORECARD.points(Indicator.TENURE, 4)).isEqualTo(56);
  }

  @Test
  void theTotal_mapsBackToOdds_withinRoundingOfHalfAPointPerIndicator() {
    ScorecardSettings settings = ScorecardSettings.defaults();
    Map<Indicator, int[]> table = Scorecard.tableV1();
    for (int variant = 0; variant < 6; variant++) {
      IndicatorValues.Builder builder = IndicatorValues.builder();
      double logOdds = Scorecard.INTERCEPT_MILLI_V1 / 1000.0;
      for (Indicator indicator : Indicator.values()) {
        int bin = (variant + indicator.ordinal()) % indicator.bins();
        setToBin(builder, indicator, bin);
        logOdds += table.get(indicator)[bin] / 1000.0;
      }
      int score = SCORECARD.score(builder.build());
      assertThat((double) score).isCloseTo(settings.offset() + settings.factor() * logOdds,
          within(Indicator.values().length / 2.0));
    }
  }

  @Test
  void bands_followTheScoreFloors() {
    assertThat(SCORECARD.bandOf(620)).isEqualTo(RatingBand.A);
    assertThat(SCORECARD.bandOf(619)).isEqualTo(RatingBand.B);
    assertThat(SCORECARD.bandOf(590)).isEqualTo(RatingBand.B);
    assertThat(SCORECARD.bandOf(589)).isEqualTo(RatingBand.C);
    assertThat(SCORECARD.bandOf(560)).isEqualTo(RatingBand.C);
    assertThat(SCORECARD.bandOf(559)).isEqualTo(RatingBand.D);
    assertThat(SCORECARD.bandOf(520)).isEqualTo(RatingBand.D);
    assertThat(SCORECARD.bandOf(519)).isEqualTo(RatingBand.E);
    assertThat(SCORECARD.policy(RatingBand.E).splitKinds()).isEmpty();
    assertThat(SCORECARD.policy(RatingBand.C).allowanceMinor(CurrencyUnit.CNY)).isEqualTo(5_000);
    assertThat(SCORECARD.policy(RatingBand.A).allowanceMinor(CurrencyUnit.of("SGD"))).isZero();
  }

  @Test
  void reasons_nameTheIndicatorsThatCostMostPoints_worstFirst_withMissingDataCodes() {
    IndicatorValues.Builder builder = best();
    builder.set(Indicator.OUTSTANDING_PARTS, 5); // −2.000 against +0.200: 63 points lost
    builder.set(Indicator.TENURE, 10); // −0.400 against +0.250: 19 points lost
    builder.missing(Indicator.BALANCE_AVERAGE); // −0.100 against +0.150: 7 points lost
    IndicatorValues values = builder.build();
    assertThat(SCORECARD.reasons(values)).extracting(ReasonCode::code).containsExactly("CR08", "CR12", "CR60");
    assertThat(SCORECARD.reasons(best().build())).isEmpty();
    Rating rating = SCORECARD.rate(CardholderId.of(1), LocalDate.of(2026, 12, 6), CurrencyUnit.CNY, values);
    assertThat(rating.reasons().get(2).sentence()).startsWith("Not enough history");
    assertThat(rating.score()).isEqualTo(SCORECARD.score(values));
    assertThat(rating.allowance()).isEqualTo(Money.ofMinor(
        SCORECARD.policy(SCORECARD.bandOf(rating.score())).allowanceMinor(CurrencyUnit.CNY), CurrencyUnit.CNY));
  }

  @Test
  void reasonCodes_areUniqueAndRoundTripThroughTheirStoredForm() {
    Set<String> codes = new HashSet<>();
    for (ReasonCode reason : ReasonCodes.all()) {
      assertThat(codes.add(reason.code())).as(reason.code()).isTrue();
      assertThat(reason.code()).matches("CR[0-9]{2}");
    }
    List<ReasonCode> four = ReasonCodes.all().subList(0, 4);
    assertThat(ReasonCodes.parse(ReasonCodes.format(four))).isEqualTo(four);
    assertThatThrownBy(() -> ReasonCodes.parse("CR01 CR99")).isInstanceOf(CreditInputException.class);
    assertThatThrownBy(() -> ReasonCodes.parse("CR01 CR02 CR03 CR04 CR05")).isInstanceOf(CreditInputException.class);
  }

  @Test
  void settings_refuseBandsOutOfOrderOrAllowancesRisingDownTheBands() {
    List<BandPolicy> bands = new ArrayList<>(ScorecardSettings.defaults().bands());
    BandPolicy c = bands.get(2);
    bands.set(2, new BandPolicy(RatingBand.C, c.scoreMin(), c.splitKinds(), Map.of(CurrencyUnit.CNY, 50_000L)));
    assertThatThrownBy(() -> new ScorecardSettings(1, 600, 50, 20, 4, bands))
        .isInstanceOf(CreditInputException.class).hasMessageContaining("allows more");
    List<BandPolicy> swapped = new ArrayList<>(ScorecardSettings.defaults().bands());
    swapped.set(1, new BandPolicy(RatingBand.B, 700, EnumSet.of(PurchaseKind.BUS), Map.of()));
    assertThatThrownBy(() -> new ScorecardSettings(1, 600, 50, 20, 4, swapped))
        .isInstanceOf(CreditInputException.class).hasMessageContaining("lower floor");
    assertThatThrownBy(() -> new ScorecardSettings(1, 600, 50, 0, 4, ScorecardSettings.defaults().bands()))
        .isInstanceOf(CreditInputException.class).hasMessageContaining("pointsToDoubleOdds");
  }

  /** Every indicator in its best bin (the first bin of the highest points). */
  private static IndicatorValues.Builder best() {
    IndicatorValues.Builder builder = IndicatorValues.builder();
    for (Indicator indicator : Indicator.values()) {
      for (int bin = 0; bin < indicator.bins(); bin++) {
        if (SCORECARD.points(indicator, bin) == SCORECARD.pointsMax(indicator)) {
          setToBin(builder, indicator, bin);
          break;
        }
      }
    }
    return builder;
  }

  private static void setToBin(IndicatorValues.Builder builder, Indicator indicator, int bin) {
    if (indicator.mayBeMissing() && bin == indicator.missingBin()) {
      builder.missing(indicator);
      return;
    }
    long[] bounds = indicator.upperBounds();
    builder.set(indicator, bin < bounds.length ? bounds[bin] : bounds[bounds.length - 1] + 1);
  }
}

package io.iotpay.issuer.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.money.CurrencyUnit;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Indicator values worked by hand from their definitions (docs/credit.md, "Indicators"). */
class IndicatorsTest {
  private static final LocalDate AS_OF = LocalDate.of(2026, 12, 6); // window 2026-11-07..2026-12-06

  private static DailyFacts day(String date, int purchases, long spendMinor, int loads, long loadsMinor, int auto,
      long balanceMinor) {
    return new DailyFacts(LocalDate.parse(date), purchases, spendMinor, loads, loadsMinor, auto, balanceMinor);
  }

  private static FailedOnlinePart part(long id, String failed, long amountMinor, String recovered) {
    return new FailedOnlinePart(id, LocalDate.parse(failed), amountMinor,
        recovered == null ? null : LocalDate.parse(recovered));
  }

  @Test
  void aCardholderWorkedByHand() {
    CardholderFacts facts = new CardholderFacts(CardholderId.of(42), CurrencyUnit.CNY, LocalDate.parse("2026-01-01"),
        List.of(
            day("2026-12-07", 9, 99_999, 0, 0, 0, 0), // after the business date: ignored
            day("2026-11-20", 1, 2_000, 2, 20_000, 1, -1_000),
            day("2026-10-20", 5, 5_000, 1, 10_000, 0, 7_000), // before the window: ignored
            day("2026-11-10", 2, 1_000, 0, 0, 0, 5_000),
            day("2026-12-01", 4, 3_000, 0, 0, 0, 2_000)),
        List.of(
            part(1, "2026-11-01", 3_000, "2026-11-05"), // recovered after 4 days
            part(2, "2026-11-25", 1_200, null), // outstanding 11 days
            part(3, "2026-03-01", 500, null), // outside the 180-day window, still outstanding
            part(4, "2026-12-02", 800, "2026-12-10"), // recovered after the business date: outstanding as of it
            part(5, "2026-12-08", 900, null))); // fails after the business date: ignored
    IndicatorValues values = Indicators.compute(facts, AS_OF);
    // 3 active days of 30 → 100 ‰. Daily spend 1000, 2000, 3000: mean 2000, population sd 816.5 → CV 41 %.
    assertThat(values.value(Indicator.ACTIVE_DAY_SHARE)).hasValue(100);
    assertThat(values.value(Indicator.DAILY_SPEND_VARIATION)).hasValue(41);
    // 2 loads, one automatic; average load 10,000 over a spend day of 6,000 / 30 = 200 → 50 days = 500 tenths.
    assertThat(values.value(Indicator.LOADS)).hasValue(2);
    assertThat(values.value(Indicator.AUTO_LOAD_SHARE)).hasValue(500);
    assertThat(values.value(Indicator.LOAD_COVER)).hasValue(500);
    // Failed in window: parts 1, 2, 4; longest unsettled: part 2, 11-25 → 12-06 = 11 days.
    assertThat(values.value(Indicator.FAILED_PARTS)).hasValue(3);
    assertThat(values.value(Indicator.UNSETTLED_DAYS_MAX)).hasValue(11);
    // Outstanding: parts 2, 3, 4 = 2,500 minor over a spend day of 200 → 12.5 days = 125 tenths.
    assertThat(values.value(Indicator.OUTSTANDING_PARTS)).hasValue(3);
    assertThat(values.value(Indicator.OUTSTANDING_DEBT)).hasValue(125);
    // Balance known from 11-10: 10 days at 5,000, 11 days at −1,000, 6 days at 2,000 = 51,000 over 27 days;
    // 51,000 / 27 / 200 = 9.44 days = 94 tenths; 11 days negative.
    assertThat(values.value(Indicator.BALANCE_AVERAGE)).hasValue(94);
    assertThat(values.value(Indicator.BALANCE_NEGATIVE_DAYS)).hasValue(11);
    assertThat(values.value(Indicator.TENURE)).hasValue(339);
  }

  @Test
  void aNewCardholder_hasMissingIndicatorsAndTheirReasonCodes() {
    CardholderFacts facts = new CardholderFacts(CardholderId.of(1), CurrencyUnit.CNY, AS_OF, List.of(), List.of());
    IndicatorValues values = Indicators.compute(facts, AS_OF);
    for (Indicator indicator : List.of(Indicator.DAILY_SPEND_VARIATION, Indicator.LOAD_COVER, Indicator.AUTO_LOAD_SHARE,
        Indicator.BALANCE_AVERAGE, Indicator.BALANCE_NEGATIVE_DAYS)) {
      assertThat(values.isMissing(indicator)).as(indicator.name()).isTrue();
    }
    assertThat(values.value(Indicator.TENURE)).hasValue(0);
    assertThat(values.value(Indicator.FAILED_PARTS)).hasValue(0);
    Rating rating = Scorecard.standard().rate(facts.id(), AS_OF, facts.currency(), values);
    assertThat(rating.reasonCodes()).contains("CR12"); // recently issued
  }

  @Test
  void debtWithoutAnySpending_isTheWorstDebtBin() {
    CardholderFacts facts = new CardholderFacts(CardholderId.of(1), CurrencyUnit.CNY, AS_OF.minusDays(400), List.of(),
        List.of(part(1, "2026-12-01", 1, null)));
    IndicatorValues values = Indicators.compute(facts, AS_OF);
    assertThat(values.binOf(Indicator.OUTSTANDING_DEBT)).isEqualTo(Indicator.OUTSTANDING_DEBT.valueBins() - 1);
  }

  @Test
  void invalidFacts_areRefusedTyped() {
    DailyFacts good = day("2026-12-01", 1, 100, 0, 0, 0, 0);
    assertThatThrownBy(() -> new CardholderFacts(CardholderId.of(1), CurrencyUnit.CNY, AS_OF.minusDays(30),
        List.of(good, good), List.of())).isInstanceOf(CreditInputException.class).hasMessageContaining("duplicate");
    assertThatThrownBy(() -> new CardholderFacts(CardholderId.of(1), CurrencyUnit.CNY, AS_OF, List.of(good), List.of()))
        .isInstanceOf(CreditInputException.class);
    assertThatThrownBy(() -> day("2026-12-01", 0, 0, 1, 100, 2, 0)).isInstanceOf(CreditInputException.class)
        .hasMessageContaining("loadsAuto");
    assertThatThrownBy(() -> part(1, "2026-12-01", 100, "2026-11-30")).isInstanceOf(CreditInputException.class)
        .hasMessageContaining("before it failed");
    assertThatThrownBy(() -> CardholderId.of(0)).isInstanceOf(CreditInputException.class);
  }
}

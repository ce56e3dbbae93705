package io.iotpay.issuer.credit;

import static io.iotpay.issuer.credit.CreditArbitraries.AS_OF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.money.CurrencyUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The scorecard's guarantees as properties over random cardholders (docs/credit.md, "Monotone where
 * it must be"). No keys are involved, so the two crypto suites do not apply here.
 */
class CreditProperties {
  private static final Scorecard SCORECARD = Scorecard.standard();

  private static int score(CardholderFacts facts) {
    return SCORECARD.score(Indicators.compute(facts, AS_OF));
  }

  @Provide
  Arbitrary<CardholderFacts> cardholders() {
    return CreditArbitraries.cardholders();
  }

  @Provide
  Arbitrary<FailedOnlinePart> newPart() {
    return CreditArbitraries.parts(10_000_000);
  }

  @Property(tries = 2000)
  void moreFailedOnlinePartsNeverRaiseTheScore(@ForAll("cardholders") CardholderFacts facts,
      @ForAll("newPart") FailedOnlinePart extra) {
    List<FailedOnlinePart> more = new ArrayList<>(facts.failedParts());
    more.add(extra);
    assertThat(score(CreditArbitraries.withParts(facts, more))).isLessThanOrEqualTo(score(facts));
  }

  @Property(tries = 2000)
  void moreOutstandingDebtNeverRaisesTheScore(@ForAll("cardholders") CardholderFacts facts,
      @ForAll("newPart") FailedOnlinePart extra, @ForAll @IntRange(min = 1, max = 1_000_000) int moreMinor) {
    // Either a new outstanding part, or more owed on every outstanding one.
    List<FailedOnlinePart> withNew = new ArrayList<>(facts.failedParts());
    withNew.add(new FailedOnlinePart(extra.partId(), extra.failedOn(), extra.amountMinor(), null));
    assertThat(score(CreditArbitraries.withParts(facts, withNew))).isLessThanOrEqualTo(score(facts));
    List<FailedOnlinePart> larger = facts.failedParts().stream()
        .map(p -> p.recoveredBy(AS_OF) ? p : new FailedOnlinePart(p.partId(), p.failedOn(), p.amountMinor() + moreMinor,
            p.recoveredOn()))
        .toList();
    assertThat(score(CreditArbitraries.withParts(facts, larger))).isLessThanOrEqualTo(score(facts));
  }

  @Property(tries = 2000)
  void longerTenureNeverLowersTheScore(@ForAll("cardholders") CardholderFacts facts,
      @ForAll @IntRange(min = 1, max = 2_000) int moreDays) {
    CardholderFacts older = new CardholderFacts(facts.id(), facts.currency(), facts.issuedOn().minusDays(moreDays),
        facts.days(), facts.failedParts());
    assertThat(score(older)).isGreaterThanOrEqualTo(score(facts));
  }

  @Property(tries = 2000)
  void aRecoveredFailureScoresAtLeastAsWellAsAnUnrecoveredOne(@ForAll("cardholders") CardholderFacts facts,
      @ForAll("newPart") FailedOnlinePart part, @ForAll @IntRange(min = 0, max = 400) int recoveryDays) {
    Assume.that(!part.failedOn().isAfter(AS_OF));
    FailedOnlinePart outstanding = new FailedOnlinePart(part.partId(), part.failedOn(), part.amountMinor(), null);
    java.time.LocalDate recoveredOn = part.failedOn().plusDays(recoveryDays);
    Assume.that(!recoveredOn.isAfter(AS_OF));
    List<FailedOnlinePart> unrecovered = new ArrayList<>(facts.failedParts());
    unrecovered.add(outstanding);
    List<FailedOnlinePart> recovered = new ArrayList<>(facts.failedParts());
    recovered.add(outstanding.recovered(recoveredOn));
    assertThat(score(CreditArbitraries.withParts(facts, recovered)))
        .isGreaterThanOrEqualTo(score(CreditArbitraries.withParts(facts, unrecovered)));
  }

  @Property(tries = 1000)
  void bandAllowanceAndKindsAreMonotoneInScore(@ForAll @IntRange(min = 200, max = 800) int low,
      @ForAll @IntRange(min = 0, max = 300) int more) {
    int high = low + more;
    RatingBand lowBand = SCORECARD.bandOf(low);
    RatingBand highBand = SCORECARD.bandOf(high);
    assertThat(highBand.ordinal()).isLessThanOrEqualTo(lowBand.ordinal());
    for (CurrencyUnit currency : List.of(CurrencyUnit.CNY, CurrencyUnit.JPY, CurrencyUnit.GBP)) {
      assertThat(SCORECARD.policy(highBand).allowanceMinor(currency))
          .isGreaterThanOrEqualTo(SCORECARD.policy(lowBand).allowanceMinor(currency));
    }
    assertThat(SCORECARD.policy(highBand).splitKinds()).containsAll(SCORECARD.policy(lowBand).splitKinds());
  }

  @Property(tries = 2000)
  void theRatingIsAPureFunctionOfTheFacts_inAnyOrder(@ForAll("cardholders") CardholderFacts facts,
      @ForAll long shuffleSeed) {
    List<DailyFacts> days = new ArrayList<>(facts.days());
    List<FailedOnlinePart> parts = new ArrayList<>(facts.failedParts());
    Collections.shuffle(days, new Random(shuffleSeed));
    Collections.shuffle(parts, new Random(~shuffleSeed));
    CardholderFacts shuffled = new CardholderFacts(facts.id(), facts.currency(), facts.issuedOn(), days, parts);
    IndicatorValues values = Indicators.compute(facts, AS_OF);
    assertThat(Indicators.compute(shuffled, AS_OF)).isEqualTo(values);
    assertThat(SCORECARD.rate(facts.id(), AS_OF, facts.currency(), Indicators.compute(shuffled, AS_OF)))
        .isEqualTo(SCORECARD.rate(facts.id(), AS_OF, facts.currency(), values));
  }

  @Property(tries = 2000)
  void everyScoreIsExplained_byTheIndicatorsThatCostTheMostPoints(@ForAll("cardholders") CardholderFacts facts) {
    IndicatorValues values = Indicators.compute(facts, AS_OF);
    List<ReasonCode> reasons = SCORECARD.reasons(values);
    List<Integer> losses = new ArrayList<>();
    int lost = 0;
    for (Indicator indicator : Indicator.values()) {
      int loss = SCORECARD.pointsMax(indicator) - SCORECARD.points(indicator, values.binOf(indicator));
      lost += loss;
      if (loss > 0) {
        losses.add(loss);
      }
    }
    losses.sort(Collections.reverseOrder());
    assertThat(reasons).hasSize(Math.min(losses.size(), ScorecardSettings.REASONS_MAX));
    // The reasons name the largest losses, worst first.
    int previous = Integer.MAX_VALUE;
    for (int i = 0; i < reasons.size(); i++) {
      int loss = lossOf(values, reasons.get(i));
      assertThat(loss).isEqualTo(losses.get(i)).isLessThanOrEqualTo(previous);
      previous = loss;
    }
    int best = 0;
    for (Indicator indicator : Indicator.values()) {
      best += SCORECARD.pointsMax(indicator);
    }
    assertThat(SCORECARD.score(values)).isEqualTo(best - lost);
  }

  private static int lossOf(IndicatorValues values, ReasonCode reason) {
    for (Indicator indicator : Indicator.values()) {
      boolean named = reason.equals(indicator.reason())
          || indicator.mayBeMissing() && reason.equals(indicator.missingReason());
      if (named) {
        return SCORECARD.pointsMax(indicator) - SCORECARD.points(indicator, values.binOf(indicator));
      }
    }
    throw new AssertionError("no indicator gives " + reason);
  }

  // --- fuzzing: only the typed exception may escape ---

  @Provide
  Arbitrary<String> reasonTexts() {
    Arbitrary<String> valid = Arbitraries.of(ReasonCodes.all()).list().ofMaxSize(5).map(ReasonCodes::format);
    Arbitrary<String> mutated = valid.flatMap(text -> Arbitraries.strings().withChars("CR0123456789 x\u0000é")
        .ofMaxLength(4).flatMap(insert -> Arbitraries.integers().between(0, text.length())
            .map(at -> text.substring(0, at) + insert + text.substring(Math.min(text.length(), at + 1)))));
    return Arbitraries.oneOf(valid, mutated, Arbitraries.strings().ofMaxLength(64));
  }

  @Property(tries = 3000)
  void reasonCodeTextsParseOrFailTyped(@ForAll("reasonTexts") String text) {
    try {
      List<ReasonCode> reasons = ReasonCodes.parse(text);
      assertThat(reasons.size()).isLessThanOrEqualTo(ScorecardSettings.REASONS_MAX);
      assertThat(ReasonCodes.format(reasons)).isEqualTo(text);
    } catch (CreditInputException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 1000)
  void purchaseKindMasksDecodeOrFailTyped(@ForAll int mask) {
    try {
      assertThat(PurchaseKind.maskOf(PurchaseKind.ofMask(mask))).isEqualTo(mask);
    } catch (CreditInputException expected) {
      assertThat(mask < 0 || mask > 0xFF || (mask & ~0x1F) != 0).isTrue();
    }
  }

  @Property(tries = 2000)
  void dailyFactsFromAnyNumbersAreBuiltOrRefusedTyped(@ForAll int purchases, @ForAll long purchasesMinor,
      @ForAll int loads, @ForAll long loadsMinor, @ForAll int loadsAuto, @ForAll long balanceMinor) {
    try {
      DailyFacts day = new DailyFacts(AS_OF, purchases, purchasesMinor, loads, loadsMinor, loadsAuto, balanceMinor);
      assertThat(day.loadsAuto()).isBetween(0, day.loads());
    } catch (CreditInputException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 200)
  void aScorecardRowAgainstItsDirectionIsRefused(@ForAll @IntRange(min = 0, max = 11) int which) {
    Indicator indicator = Indicator.values()[which];
    Assume.that(indicator.direction() != Indicator.Direction.NONE);
    var table = Scorecard.tableV1();
    int[] row = table.get(indicator);
    int last = indicator.valueBins() - 1;
    int swap = row[0];
    row[0] = row[last];
    row[last] = swap;
    table.put(indicator, row);
    assertThatThrownBy(() -> new Scorecard(ScorecardSettings.defaults(), table, Scorecard.INTERCEPT_MILLI_V1))
        .isInstanceOf(CreditInputException.class).hasMessageContaining(indicator.name());
  }
}

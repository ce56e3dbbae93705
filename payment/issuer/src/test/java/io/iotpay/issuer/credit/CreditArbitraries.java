package io.iotpay.issuer.credit;

import io.iotpay.foundation.money.CurrencyUnit;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random but valid cardholder facts around one business date, for the property tests. */
final class CreditArbitraries {
  static final LocalDate AS_OF = LocalDate.of(2026, 12, 6);

  private CreditArbitraries() {}

  /** A day's facts at an offset (days before {@link #AS_OF}); offsets up to 40 reach outside the 30-day window. */
  record DaySpec(int offset, DailyFacts facts) {}

  static Arbitrary<DaySpec> days() {
    Arbitrary<Integer> offset = Arbitraries.integers().between(-2, 40);
    Arbitrary<Integer> purchases = Arbitraries.integers().between(0, 12);
    Arbitrary<Long> spend = Arbitraries.longs().between(1, 20_000);
    Arbitrary<Integer> loads = Arbitraries.integers().between(0, 3);
    Arbitrary<Long> loadMinor = Arbitraries.longs().between(1, 50_000);
    Arbitrary<Integer> autoPercent = Arbitraries.integers().between(0, 100);
    Arbitrary<Long> balance = Arbitraries.longs().between(-30_000, 300_000);
    return Combinators.combine(offset, purchases, spend, loads, loadMinor, autoPercent, balance)
        .as((o, p, s, l, lm, auto, b) -> new DaySpec(o, new DailyFacts(AS_OF.minusDays(o), p, p == 0 ? 0 : p * s, l,
            l == 0 ? 0 : l * lm, l * auto / 100, b)));
  }

  static Arbitrary<FailedOnlinePart> parts(long partIdBase) {
    Arbitrary<Integer> failedOffset = Arbitraries.integers().between(-3, 400);
    Arbitrary<Long> amount = Arbitraries.longs().between(1, 100_000);
    Arbitrary<Integer> recoveryDays = Arbitraries.integers().between(-1, 60);
    Arbitrary<Long> id = Arbitraries.longs().between(partIdBase, partIdBase + 1_000_000);
    return Combinators.combine(id, failedOffset, amount, recoveryDays).as((i, f, a, r) -> {
      LocalDate failedOn = AS_OF.minusDays(f);
      return new FailedOnlinePart(i, failedOn, a, r < 0 ? null : failedOn.plusDays(r));
    });
  }

  /** A cardholder issued 0..1,000 days before {@link #AS_OF}, with 0..30 days of facts and 0..5 failed parts. */
  static Arbitrary<CardholderFacts> cardholders() {
    Arbitrary<Integer> tenure = Arbitraries.integers().between(0, 1_000);
    Arbitrary<List<DaySpec>> dayList = days().list().ofMaxSize(30);
    Arbitrary<List<FailedOnlinePart>> partList = parts(1).list().ofMaxSize(5).uniqueElements(FailedOnlinePart::partId);
    Arbitrary<CurrencyUnit> currency = Arbitraries.of(CurrencyUnit.CNY, CurrencyUnit.JPY, CurrencyUnit.GBP);
    return Combinators.combine(tenure, dayList, partList, currency).as((t, d, p, c) -> facts(t, d, p, c));
  }

  static CardholderFacts facts(int tenureDays, List<DaySpec> specs, List<FailedOnlinePart> parts, CurrencyUnit currency) {
    Map<Integer, DailyFacts> byOffset = new LinkedHashMap<>();
    for (DaySpec spec : specs) {
      if (spec.offset() <= tenureDays) {
        byOffset.putIfAbsent(spec.offset(), spec.facts());
      }
    }
    return new CardholderFacts(CardholderId.of(7), currency, AS_OF.minusDays(tenureDays),
        new ArrayList<>(byOffset.values()), parts);
  }

  /** The same cardholder with other failed parts. */
  static CardholderFacts withParts(CardholderFacts facts, List<FailedOnlinePart> parts) {
    return new CardholderFacts(facts.id(), facts.currency(), facts.issuedOn(), facts.days(), parts);
  }
}

package io.iotpay.platform.mandate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.platform.identity.DeviceId;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class MandateRegistryTest {
  // 30 November: the next business day is in the next month, for the monthly rollover.
  final ManualBusinessClock clock = new ManualBusinessClock(Instant.parse("2026-11-30T08:00:00Z"), BusinessDayRule.UTC_MIDNIGHT);
  final MerchantDirectory merchants = new MerchantDirectory();
  final MandateRegistry registry = MandateRegistry.inMemory(clock, merchants);
  final DeviceId speaker = DeviceId.of("speaker-1");

  {
    merchants.put(new Merchant("power-co", "Power Co", "4900", 300, null));
    merchants.put(new Merchant("water-co", "Water Co", "4900", 301, null));
    merchants.put(new Merchant("games", "Games", "5816", 302, null));
  }

  static Money cny(long minor) {
    return Money.ofMinor(minor, CurrencyUnit.CNY);
  }

  /** 100.00 per payment, 150.00 per day, 250.00 per month, confirm above 40.00; utilities (4900) only. */
  static MandateTerms utilityTerms() {
    return new MandateTerms(cny(10_000), cny(15_000), cny(25_000), cny(4_000), Set.of(), Set.of("4900"));
  }

  private Mandate bind() {
    return registry.bind("bob", speaker, 42, utilityTerms());
  }

  private MandateCheck check(String merchant, long minor) {
    return registry.check(speaker, merchant, cny(minor));
  }

  private static MandateRefusal refusal(MandateCheck check) {
    return ((MandateCheck.Refused) check).reason();
  }

  @Test
  void coveredPayment_saysWhetherTheUserMustConfirm() {
    bind();
    assertThat(check("power-co", 4_000)).isInstanceOfSatisfying(MandateCheck.Covered.class, c -> assertThat(c.confirmationRequired()).isFalse());
    assertThat(check("power-co", 4_001)).isInstanceOfSatisfying(MandateCheck.Covered.class, c -> assertThat(c.confirmationRequired()).isTrue());
  }

  @Test
  void perPaymentLimit() {
    bind();
    assertThat(check("power-co", 10_000)).isInstanceOf(MandateCheck.Covered.class);
    assertThat(refusal(check("power-co", 10_001))).isEqualTo(MandateRefusal.OVER_PER_PAYMENT_LIMIT);
  }

  @Test
  void dailyLimit_countsRecordedUsage_andResetsOnTheNextBusinessDay() {
    Mandate mandate = bind();
    registry.recordUsage(mandate.id(), "p1", cny(10_000));
    assertThat(check("power-co", 5_000)).isInstanceOf(MandateCheck.Covered.class);
    assertThat(refusal(check("power-co", 5_001))).isEqualTo(MandateRefusal.OVER_DAILY_LIMIT);

    clock.advanceToNextBusinessDay();
    assertThat(check("power-co", 5_001)).isInstanceOf(MandateCheck.Covered.class);
  }

  @Test
  void monthlyLimit_countsTheMonthOfBusinessDates() {
    Mandate mandate = bind();
    LocalDate first = clock.businessDate();
    registry.recordUsage(mandate.id(), "p1", cny(10_000));
    clock.advanceToNextBusinessDay(); // 1 December: a new month
    registry.recordUsage(mandate.id(), "p2", cny(10_000));
    clock.advanceToNextBusinessDay();
    registry.recordUsage(mandate.id(), "p3", cny(10_000));
    clock.advanceToNextBusinessDay();

    assertThat(registry.usedInMinor(mandate.id(), YearMonth.from(first))).isEqualTo(10_000);
    assertThat(check("water-co", 5_000)).isInstanceOf(MandateCheck.Covered.class);
    assertThat(refusal(check("water-co", 5_001))).isEqualTo(MandateRefusal.OVER_MONTHLY_LIMIT);
  }

  @Test
  void usage_isIdempotentPerPayment_andReleaseGivesItBack() {
    Mandate mandate = bind();
    assertThat(registry.recordUsage(mandate.id(), "p1", cny(3_000))).isTrue();
    assertThat(registry.recordUsage(mandate.id(), "p1", cny(3_000))).isFalse();
    assertThat(registry.usedOnMinor(mandate.id(), clock.businessDate())).isEqualTo(3_000);

    clock.advanceToNextBusinessDay();
    assertThat(registry.releaseUsage("p1")).isTrue();
    assertThat(registry.releaseUsage("p1")).isFalse();
    assertThat(registry.usedOnMinor(mandate.id(), clock.businessDate().minusDays(1))).isZero();
  }

  @Test
  void scope_byCategoryOrMerchant() {
    bind();
    assertThat(refusal(check("games", 100))).isEqualTo(MandateRefusal.MERCHANT_NOT_ALLOWED);
    assertThat(refusal(check("unknown", 100))).isEqualTo(MandateRefusal.UNKNOWN_MERCHANT);
    DeviceId car = DeviceId.of("car-1");
    registry.bind("bob", car, 43, new MandateTerms(cny(100), cny(100), cny(100), cny(100), Set.of("games"), Set.of()));
    assertThat(registry.check(car, "games", cny(100))).isInstanceOf(MandateCheck.Covered.class);
    assertThat(refusal(registry.check(car, "power-co", cny(100)))).isEqualTo(MandateRefusal.MERCHANT_NOT_ALLOWED);
  }

  @Test
  void otherCurrencyAndNonPositiveAmounts_areRefused() {
    bind();
    assertThat(refusal(registry.check(speaker, "power-co", Money.ofMinor(100, CurrencyUnit.EUR)))).isEqualTo(MandateRefusal.CURRENCY_MISMATCH);
    assertThat(refusal(check("power-co", 0))).isEqualTo(MandateRefusal.AMOUNT_NOT_POSITIVE);
  }

  @Test
  void suspendResumeRevoke() {
    Mandate mandate = bind();
    registry.suspend(mandate.id());
    assertThat(refusal(check("power-co", 100))).isEqualTo(MandateRefusal.MANDATE_SUSPENDED);
    registry.resume(mandate.id());
    assertThat(check("power-co", 100)).isInstanceOf(MandateCheck.Covered.class);

    registry.revoke(mandate.id());
    assertThat(refusal(check("power-co", 100))).isEqualTo(MandateRefusal.NO_MANDATE);
    assertThatThrownBy(() -> registry.resume(mandate.id())).isInstanceOf(MandateException.class).hasMessageContaining("revoked");
    assertThat(registry.find(mandate.id()).orElseThrow().status()).isEqualTo(MandateStatus.REVOKED);
    assertThat(registry.find(mandate.id()).orElseThrow().accountId()).isEqualTo(42);

    Mandate again = registry.bind("bob", speaker, 42, utilityTerms());
    assertThat(again.id()).isNotEqualTo(mandate.id());
  }

  @Test
  void aDeviceHasOneLiveMandate() {
    Mandate mandate = bind();
    assertThatThrownBy(this::bind).isInstanceOf(MandateException.class).hasMessageContaining("already has live mandate " + mandate.id());
    registry.suspend(mandate.id());
    assertThatThrownBy(this::bind).isInstanceOf(MandateException.class);
  }

  @Test
  void limitsNearTheLargestAmount_areComparedWithoutOverflow() {
    Money max = cny(Long.MAX_VALUE);
    Mandate mandate = registry.bind("bob", speaker, 42, new MandateTerms(max, max, max, max, Set.of("power-co"), Set.of()));
    registry.recordUsage(mandate.id(), "p1", cny(Long.MAX_VALUE - 1));
    assertThat(check("power-co", 1)).isInstanceOf(MandateCheck.Covered.class);
    assertThat(refusal(check("power-co", 2))).isEqualTo(MandateRefusal.OVER_DAILY_LIMIT);
  }

  @Test
  void nullScopeEntries_areRefused() {
    Set<String> withNull = new java.util.HashSet<>();
    withNull.add(null);
    assertThatThrownBy(() -> new MandateTerms(cny(100), cny(100), cny(100), cny(10), withNull, Set.of()))
        .isInstanceOf(MandateException.class).hasMessageContaining("missing");
  }

  @Test
  void malformedTerms_areRefusedSayingWhat() {
    assertThatThrownBy(() -> new MandateTerms(cny(100), cny(50), cny(500), cny(10), Set.of("a"), Set.of()))
        .isInstanceOf(MandateException.class).hasMessageContaining("per payment ≤ per day ≤ per month");
    assertThatThrownBy(() -> new MandateTerms(cny(100), cny(100), cny(100), cny(101), Set.of("a"), Set.of()))
        .isInstanceOf(MandateException.class).hasMessageContaining("confirmation threshold");
    assertThatThrownBy(() -> new MandateTerms(cny(100), cny(100), cny(100), cny(10), Set.of(), Set.of()))
        .isInstanceOf(MandateException.class).hasMessageContaining("at least one");
    assertThatThrownBy(() -> new MandateTerms(cny(100), Money.ofMinor(100, CurrencyUnit.EUR), cny(100), cny(10), Set.of("a"), Set.of()))
        .isInstanceOf(MandateException.class).hasMessageContaining("EUR");
    assertThatThrownBy(() -> new MandateTerms(cny(100), cny(100), cny(100), cny(10), Set.of(), Set.of("49")))
        .isInstanceOf(MandateException.class).hasMessageContaining("four digits");
    assertThatThrownBy(() -> registry.bind("bob smith", speaker, 1, utilityTerms())).isInstanceOf(MandateException.class)
        .hasMessageContaining("user id");
  }

  @Test
  void storedMandates_comeBackWithTheirStatus(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tempDir) {
    String url = "jdbc:sqlite:" + tempDir.resolve("mandates.db");
    MandateId suspended;
    MandateId revoked;
    try (io.iotpay.foundation.store.Database database = io.iotpay.foundation.store.Database.open(url, 2)) {
      MandateRegistry stored = MandateRegistry.open(database, clock, merchants);
      suspended = stored.bind("bob", speaker, 42, utilityTerms()).id();
      stored.suspend(suspended);
      revoked = stored.bind("bob", DeviceId.of("car-1"), 43,
          new MandateTerms(cny(100), cny(100), cny(100), cny(50), Set.of("games", "power-co"), Set.of("5816"))).id();
      stored.revoke(revoked);
    }
    try (io.iotpay.foundation.store.Database database = io.iotpay.foundation.store.Database.open(url, 2)) {
      MandateRegistry reopened = MandateRegistry.open(database, clock, merchants);
      assertThat(reopened.liveMandateOf(speaker).orElseThrow().status()).isEqualTo(MandateStatus.SUSPENDED);
      assertThat(reopened.liveMandateOf(speaker).orElseThrow().terms()).isEqualTo(utilityTerms());
      Mandate car = reopened.find(revoked).orElseThrow();
      assertThat(car.status()).isEqualTo(MandateStatus.REVOKED);
      assertThat(car.terms().allowedMerchants()).containsExactlyInAnyOrder("games", "power-co");
      assertThat(reopened.liveMandateOf(DeviceId.of("car-1"))).isEmpty();
      Mandate next = reopened.bind("bob", DeviceId.of("car-1"), 43, utilityTerms());
      assertThat(next.id()).isNotIn(suspended, revoked);
    }
  }

  @Property(tries = 100)
  void recordingOnlyCoveredPayments_neverPassesTheDailyOrMonthlyLimit(
      @ForAll @Size(max = 40) java.util.List<@IntRange(min = 1, max = 12_000) Integer> amounts,
      @ForAll @Size(max = 40) java.util.List<@IntRange(min = 0, max = 3) Integer> daySteps) {
    ManualBusinessClock propertyClock = new ManualBusinessClock(Instant.parse("2026-11-25T08:00:00Z"), BusinessDayRule.UTC_MIDNIGHT);
    MandateRegistry mandates = MandateRegistry.inMemory(propertyClock, merchants);
    Mandate mandate = mandates.bind("bob", speaker, 42, utilityTerms());
    for (int i = 0; i < amounts.size(); i++) {
      if (i < daySteps.size()) {
        for (int d = 0; d < daySteps.get(i); d++) {
          propertyClock.advanceToNextBusinessDay();
        }
      }
      if (mandates.check(speaker, "power-co", cny(amounts.get(i))) instanceof MandateCheck.Covered) {
        mandates.recordUsage(mandate.id(), "p" + i, cny(amounts.get(i)));
      }
      LocalDate today = propertyClock.businessDate();
      assertThat(mandates.usedOnMinor(mandate.id(), today)).isLessThanOrEqualTo(15_000);
      assertThat(mandates.usedInMinor(mandate.id(), YearMonth.from(today))).isLessThanOrEqualTo(25_000);
    }
  }
}

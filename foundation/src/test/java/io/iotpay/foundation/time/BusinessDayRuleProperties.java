package io.iotpay.foundation.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class BusinessDayRuleProperties {
  @Provide
  Arbitrary<ZoneId> zones() {
    // Zones without daylight saving, so every cut-over exists on every date.
    return Arbitraries.of(ZoneId.of("UTC"), ZoneId.of("Asia/Shanghai"), ZoneId.of("Asia/Kolkata"), ZoneId.of("Pacific/Kiritimati"));
  }

  @Property(tries = 1000)
  void startOfADate_belongsToIt_andTheNanosecondBefore_toThePreviousDate(
      @ForAll("zones") ZoneId zone,
      @ForAll @IntRange(min = 0, max = 23) int hour,
      @ForAll @IntRange(min = 0, max = 59) int minute,
      @ForAll @IntRange(min = 0, max = 30_000) int dayOffset) {
    BusinessDayRule rule = new BusinessDayRule(zone, LocalTime.of(hour, minute));
    LocalDate date = LocalDate.of(2000, 1, 1).plusDays(dayOffset);
    Instant start = rule.startOf(date);
    assertThat(rule.businessDateOf(start)).isEqualTo(date);
    assertThat(rule.businessDateOf(start.minusNanos(1))).isEqualTo(date.minusDays(1));
  }
}

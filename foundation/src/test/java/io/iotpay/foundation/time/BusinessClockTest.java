package io.iotpay.foundation.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BusinessClockTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  private static Instant at(String localDateTime, ZoneId zone) {
    return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
  }

  @ParameterizedTest(name = "cut-over {0}: {1} -> {2}")
  @CsvSource({
    // Evening cut-over ends the day: later payments count for the next date.
    "23:00, 2026-05-01T22:59:59, 2026-05-01",
    "23:00, 2026-05-01T23:00:00, 2026-05-02",
    "23:00, 2026-05-01T23:30:00, 2026-05-02",
    "23:00, 2026-05-02T00:30:00, 2026-05-02",
    // Morning cut-over starts the day: night rides count for the previous date.
    "02:00, 2026-05-02T01:30:00, 2026-05-01",
    "02:00, 2026-05-02T02:00:00, 2026-05-02",
    "02:00, 2026-05-01T23:59:59, 2026-05-01",
    // Midnight is the calendar date.
    "00:00, 2026-05-01T23:59:59, 2026-05-01",
    "00:00, 2026-05-02T00:00:00, 2026-05-02",
    // Noon counts as an evening cut-over (ends the day).
    "12:00, 2026-05-01T12:00:00, 2026-05-02",
    "12:00, 2026-05-01T11:59:59, 2026-05-01"
  })
  void businessDate_followsTheCutOver(LocalTime cutOver, String localDateTime, LocalDate expected) {
    BusinessDayRule rule = new BusinessDayRule(SHANGHAI, cutOver);
    assertThat(rule.businessDateOf(at(localDateTime, SHANGHAI))).isEqualTo(expected);
  }

  @Test
  void startOf_isTheCutOverInstant() {
    BusinessDayRule evening = new BusinessDayRule(SHANGHAI, LocalTime.of(23, 0));
    assertThat(evening.startOf(LocalDate.of(2026, 5, 2))).isEqualTo(at("2026-05-01T23:00:00", SHANGHAI));
    BusinessDayRule morning = new BusinessDayRule(SHANGHAI, LocalTime.of(2, 0));
    assertThat(morning.startOf(LocalDate.of(2026, 5, 2))).isEqualTo(at("2026-05-02T02:00:00", SHANGHAI));
  }

  @Test
  void businessDate_acrossADaylightSavingChange_usesWallClockTime() {
    // Europe/Berlin moves from 02:00 to 03:00 on 2026-03-29; the 23:00 cut-over is wall-clock time.
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    BusinessDayRule rule = new BusinessDayRule(berlin, LocalTime.of(23, 0));
    assertThat(rule.businessDateOf(at("2026-03-29T22:59:00", berlin))).isEqualTo(LocalDate.of(2026, 3, 29));
    assertThat(rule.businessDateOf(at("2026-03-29T23:00:00", berlin))).isEqualTo(LocalDate.of(2026, 3, 30));
    assertThat(Duration.between(rule.startOf(LocalDate.of(2026, 3, 29)), rule.startOf(LocalDate.of(2026, 3, 30))))
        .isEqualTo(Duration.ofHours(23));
  }

  @Test
  void systemClock_readsItsClock() {
    Instant fixed = at("2026-11-22T23:30:00", SHANGHAI);
    BusinessClock clock = new SystemBusinessClock(Clock.fixed(fixed, ZoneOffset.UTC),
        new BusinessDayRule(SHANGHAI, LocalTime.of(23, 0)));
    assertThat(clock.now()).isEqualTo(fixed);
    assertThat(clock.businessDate()).isEqualTo(LocalDate.of(2026, 11, 23));
  }

  @Test
  void manualClock_advancesOnlyWhenTold_andNeverBack() {
    Instant start = at("2026-11-22T10:00:00", SHANGHAI);
    ManualBusinessClock clock = new ManualBusinessClock(start, new BusinessDayRule(SHANGHAI, LocalTime.of(23, 0)));
    assertThat(clock.now()).isEqualTo(start);
    assertThat(clock.advance(Duration.ofHours(13))).isEqualTo(start.plus(Duration.ofHours(13)));
    assertThat(clock.businessDate()).isEqualTo(LocalDate.of(2026, 11, 23));
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never goes back");
  }

  @Test
  void manualClock_advanceToNextBusinessDay_goesFromTToTPlusOne() {
    BusinessDayRule rule = new BusinessDayRule(SHANGHAI, LocalTime.of(23, 0));
    ManualBusinessClock clock = new ManualBusinessClock(at("2026-11-22T10:00:00", SHANGHAI), rule);
    LocalDate t = clock.businessDate();

    assertThat(clock.advanceToNextBusinessDay()).isEqualTo(t.plusDays(1));
    assertThat(clock.now()).isEqualTo(at("2026-11-22T23:00:00", SHANGHAI));
    assertThat(clock.advanceToNextBusinessDay()).isEqualTo(t.plusDays(2));
    assertThat(clock.now()).isEqualTo(at("2026-11-23T23:00:00", SHANGHAI));
  }

  @Test
  void manualClock_concurrentAdvances_areNeverLost() throws Exception {
    ManualBusinessClock clock = new ManualBusinessClock(Instant.EPOCH, BusinessDayRule.UTC_MIDNIGHT);
    int threads = 4;
    int stepsPerThread = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < stepsPerThread; i++) {
            clock.advance(Duration.ofSeconds(1));
          }
        }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(clock.now()).isEqualTo(Instant.EPOCH.plusSeconds((long) threads * stepsPerThread));
  }

  @Test
  void scaledClock_runsADayInTenSeconds() {
    AtomicLong nanos = new AtomicLong(5_000);
    Instant start = at("2026-11-22T00:00:00", ZoneOffset.UTC);
    ScaledBusinessClock clock = new ScaledBusinessClock(start, 8_640, BusinessDayRule.UTC_MIDNIGHT, nanos::get);
    assertThat(clock.now()).isEqualTo(start);

    nanos.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(clock.now()).isEqualTo(start.plus(Duration.ofDays(1)));
    assertThat(clock.businessDate()).isEqualTo(LocalDate.of(2026, 11, 23));

    nanos.addAndGet(Duration.ofMillis(5).toNanos());
    assertThat(clock.now()).isEqualTo(start.plus(Duration.ofDays(1)).plus(Duration.ofSeconds(43, 200_000_000)));
  }

  @Test
  void scaledClock_factorOutOfRange_isRefused() {
    assertThatThrownBy(() -> new ScaledBusinessClock(Instant.EPOCH, 0, BusinessDayRule.UTC_MIDNIGHT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("speedFactor 0");
    assertThatThrownBy(() -> new ScaledBusinessClock(Instant.EPOCH, ScaledBusinessClock.SPEED_FACTOR_MAX + 1,
        BusinessDayRule.UTC_MIDNIGHT)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void scaledClock_onRealTime_neverGoesBack() {
    ScaledBusinessClock clock = new ScaledBusinessClock(Instant.EPOCH, 1_000, BusinessDayRule.UTC_MIDNIGHT);
    Instant previous = clock.now();
    for (int i = 0; i < 1_000; i++) {
      Instant next = clock.now();
      assertThat(next).isAfterOrEqualTo(previous);
      previous = next;
    }
  }
}

package io.iotpay.foundation.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class JavaClockViewTest {
  @Test
  void asJavaClock_followsTheBusinessClock_inAnyZone() {
    ManualBusinessClock clock = new ManualBusinessClock(Instant.parse("2026-01-05T08:00:00Z"), BusinessDayRule.UTC_MIDNIGHT);
    java.time.Clock view = clock.asJavaClock().withZone(ZoneId.of("Asia/Shanghai"));
    clock.advance(Duration.ofHours(3));
    assertThat(view.instant()).isEqualTo(Instant.parse("2026-01-05T11:00:00Z"));
    assertThat(view.getZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
  }
}

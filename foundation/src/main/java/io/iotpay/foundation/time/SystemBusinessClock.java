package io.iotpay.foundation.time;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/** Business time from a {@link Clock}, normally the system clock. Thread-safe (stateless). */
public final class SystemBusinessClock implements BusinessClock {
  private final Clock clock;
  private final BusinessDayRule rule;

  /** The system UTC clock under {@code rule}. */
  public SystemBusinessClock(BusinessDayRule rule) {
    this(Clock.systemUTC(), rule);
  }

  /** Any clock under {@code rule}; neither may be null. */
  public SystemBusinessClock(Clock clock, BusinessDayRule rule) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.rule = Objects.requireNonNull(rule, "rule");
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public BusinessDayRule rule() {
    return rule;
  }
}

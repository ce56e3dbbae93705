package io.iotpay.foundation.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Simulated time that runs {@code speedFactor} times faster than real time from a start instant:
 * with factor 8 640 a business day passes in 10 real seconds. Reads a monotonic nanosecond source,
 * so it never goes back even if the wall clock is adjusted. Thread-safe (immutable).
 */
public final class ScaledBusinessClock implements BusinessClock {
  /** Fastest speed-up accepted; keeps simulated nanoseconds far from long overflow for years. */
  public static final long SPEED_FACTOR_MAX = 1_000_000;

  private final Instant start;
  private final long speedFactor;
  private final BusinessDayRule rule;
  private final LongSupplier nanoTime;
  private final long startNanos;

  /** Scaled time from {@code start}, reading {@link System#nanoTime()}. */
  public ScaledBusinessClock(Instant start, long speedFactor, BusinessDayRule rule) {
    this(start, speedFactor, rule, System::nanoTime);
  }

  /**
   * Scaled time from {@code start}, reading elapsed real time from {@code nanoTime}.
   *
   * @param speedFactor 1..{@link #SPEED_FACTOR_MAX}
   * @throws IllegalArgumentException if the factor is out of range
   */
  public ScaledBusinessClock(Instant start, long speedFactor, BusinessDayRule rule, LongSupplier nanoTime) {
    if (speedFactor < 1 || speedFactor > SPEED_FACTOR_MAX) {
      throw new IllegalArgumentException("speedFactor " + speedFactor + " outside 1.." + SPEED_FACTOR_MAX);
    }
    this.start = Objects.requireNonNull(start, "start");
    this.speedFactor = speedFactor;
    this.rule = Objects.requireNonNull(rule, "rule");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.startNanos = nanoTime.getAsLong();
  }

  /** How many simulated seconds pass per real second. */
  public long speedFactor() {
    return speedFactor;
  }

  @Override
  public Instant now() {
    long elapsedNanos = nanoTime.getAsLong() - startNanos;
    return start.plus(Duration.ofNanos(elapsedNanos).multipliedBy(speedFactor));
  }

  @Override
  public BusinessDayRule rule() {
    return rule;
  }
}

package io.iotpay.foundation.time;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told: tests and demos step it forward by a duration or to the next
 * business day. Time never goes backwards, so anything keyed on it (ledger timeouts, business
 * dates) stays monotonic. Thread-safe: the instant is one atomic reference.
 */
public final class ManualBusinessClock implements BusinessClock {
  private final AtomicReference<Instant> current;
  private final BusinessDayRule rule;

  /** A clock standing at {@code start}; neither may be null. */
  public ManualBusinessClock(Instant start, BusinessDayRule rule) {
    this.current = new AtomicReference<>(Objects.requireNonNull(start, "start"));
    this.rule = Objects.requireNonNull(rule, "rule");
  }

  @Override
  public Instant now() {
    return current.get();
  }

  @Override
  public BusinessDayRule rule() {
    return rule;
  }

  /**
   * Moves the clock forward.
   *
   * @param step zero or positive
   * @return the new instant
   * @throws IllegalArgumentException if the step is negative (time never goes back)
   */
  public Instant advance(Duration step) {
    Objects.requireNonNull(step, "step");
    if (step.isNegative()) {
      throw new IllegalArgumentException("a clock never goes back; step was " + step);
    }
    return current.updateAndGet(instant -> instant.plus(step));
  }

  /**
   * Moves the clock to the first instant of the next business date (T to T+1), keeping it
   * monotonic if other threads advance it meanwhile.
   *
   * @return the new business date
   */
  public LocalDate advanceToNextBusinessDay() {
    Instant moved = current.updateAndGet(instant -> {
      LocalDate next = rule.businessDateOf(instant).plusDays(1);
      return rule.startOf(next);
    });
    return rule.businessDateOf(moved);
  }
}

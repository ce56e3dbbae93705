package io.iotpay.foundation.time;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The only source of time for business logic. Production uses {@link SystemBusinessClock}; tests
 * and demos use {@link ManualBusinessClock} (advanced by hand) or {@link ScaledBusinessClock}
 * (days in seconds), so "T" and "T+1" are business dates, not wall-clock days.
 *
 * <p>Implementations are thread-safe.
 */
public interface BusinessClock {
  /** The current instant; never null. */
  Instant now();

  /** The rule that turns instants into business dates; never null. */
  BusinessDayRule rule();

  /** The business date of {@link #now()} under {@link #rule()}; never null. */
  default LocalDate businessDate() {
    return rule().businessDateOf(now());
  }

  /**
   * This clock as a {@link java.time.Clock} (in the rule's zone), for components that take one, such
   * as the ledger. Reads go to {@link #now()}, so advancing this clock advances the view.
   */
  default Clock asJavaClock() {
    return new JavaClockView(this, rule().zone());
  }
}

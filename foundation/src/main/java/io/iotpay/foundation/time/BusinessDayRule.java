package io.iotpay.foundation.time;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * Which business date an instant belongs to: a zone and a cut-over time of day.
 *
 * <p>A cut-over in the afternoon or evening (12:00 or later) <em>ends</em> the business day: with
 * 23:00, a payment at 23:30 on 1 May counts for 2 May (the way card schemes close a clearing day).
 * A cut-over before noon <em>starts</em> it: with 02:00, a metro ride at 01:30 on 2 May still
 * counts for 1 May (the way a transit operating day runs past midnight). 00:00 is the calendar
 * date. Both cases reduce to one rule: the business date is the calendar date of the local time
 * shifted back by {@link #dayStartOffset()}.
 *
 * @param zone the zone whose wall clock the cut-over refers to, not null
 * @param cutOver the time of day at which the business date changes, not null
 */
public record BusinessDayRule(ZoneId zone, LocalTime cutOver) {
  private static final LocalTime NOON = LocalTime.NOON;

  /** Calendar dates in UTC: the default when nothing else is configured. */
  public static final BusinessDayRule UTC_MIDNIGHT = new BusinessDayRule(ZoneId.of("UTC"), LocalTime.MIDNIGHT);

  public BusinessDayRule {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(cutOver, "cutOver");
  }

  /**
   * How far from local midnight the business day starts: negative for an evening cut-over (the day
   * starts the evening before), positive for a morning one.
   */
  public Duration dayStartOffset() {
    Duration sinceMidnight = Duration.ofNanos(cutOver.toNanoOfDay());
    return cutOver.isBefore(NOON) ? sinceMidnight : sinceMidnight.minusDays(1);
  }

  /** The business date of an instant; never null. */
  public LocalDate businessDateOf(Instant instant) {
    LocalDateTime local = LocalDateTime.ofInstant(instant, zone);
    return local.minus(dayStartOffset()).toLocalDate();
  }

  /** The first instant of a business date (where the previous one ends); never null. */
  public Instant startOf(LocalDate businessDate) {
    LocalDateTime start = businessDate.atStartOfDay().plus(dayStartOffset());
    return ZonedDateTime.of(start, zone).toInstant();
  }
}

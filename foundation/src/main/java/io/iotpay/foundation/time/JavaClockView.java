package io.iotpay.foundation.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/** A {@link Clock} that reads a {@link BusinessClock}: advancing the business clock advances it. */
final class JavaClockView extends Clock {
  private final BusinessClock source;
  private final ZoneId zone;

  JavaClockView(BusinessClock source, ZoneId zone) {
    this.source = source;
    this.zone = zone;
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    return new JavaClockView(source, newZone);
  }

  @Override
  public Instant instant() {
    return source.now();
  }
}

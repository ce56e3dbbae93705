package io.iotpay.protocol.iso8583;

import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.FIELD_INVALID;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneOffset;

/**
 * A date without its year and a time to the second: field 7 (transmission date-time, MMDDhhmmss,
 * UTC) and fields 13 + 12 (local date MMDD, local time hhmmss). ISO 8583 leaves the year out; the
 * receiver takes the nearest one.
 *
 * @param date month and day; never null
 * @param time time of day, whole seconds; never null
 */
public record MonthDayTime(MonthDay date, LocalTime time) {
  /** @throws Iso8583Exception FIELD_INVALID when a part is missing or the time has a fraction of a second */
  public MonthDayTime {
    if (date == null || time == null || time.getNano() != 0) {
      throw new Iso8583Exception(FIELD_INVALID, "date-time needs a month-day and a time in whole seconds");
    }
  }

  /** The UTC month-day and time of {@code instant} (field 7). */
  public static MonthDayTime utc(Instant instant) {
    LocalDateTime at = LocalDateTime.ofInstant(instant, ZoneOffset.UTC).withNano(0);
    return new MonthDayTime(MonthDay.from(at), at.toLocalTime());
  }

  /** The month-day and time of a local date-time (fields 13 and 12). */
  public static MonthDayTime of(LocalDateTime at) {
    return new MonthDayTime(MonthDay.from(at), at.toLocalTime().withNano(0));
  }

  /** MMDDhhmmss. */
  public String field7() {
    return monthDay() + hhmmss();
  }

  /** MMDD (field 13). */
  public String monthDay() {
    return FieldText.zeroPadded(date.getMonthValue(), 2) + FieldText.zeroPadded(date.getDayOfMonth(), 2);
  }

  /** hhmmss (field 12). */
  public String hhmmss() {
    return FieldText.zeroPadded(time.getHour(), 2) + FieldText.zeroPadded(time.getMinute(), 2)
        + FieldText.zeroPadded(time.getSecond(), 2);
  }

  /**
   * Parses MMDD + hhmmss.
   *
   * @throws Iso8583Exception FIELD_INVALID naming {@code field} for anything but a real date and time
   */
  public static MonthDayTime parse(String field, String mmdd, String hhmmss) {
    FieldText.digits(field, mmdd, 4);
    FieldText.digits(field, hhmmss, 6);
    try {
      MonthDay date = MonthDay.of(Integer.parseInt(mmdd, 0, 2, 10), Integer.parseInt(mmdd, 2, 4, 10));
      LocalTime time = LocalTime.of(Integer.parseInt(hhmmss, 0, 2, 10), Integer.parseInt(hhmmss, 2, 4, 10),
          Integer.parseInt(hhmmss, 4, 6, 10));
      return new MonthDayTime(date, time);
    } catch (DateTimeException e) {
      throw new Iso8583Exception(FIELD_INVALID, field + " is not a real date and time", e);
    }
  }

  /** Parses field 7's MMDDhhmmss. */
  public static MonthDayTime parseField7(String mmddhhmmss) {
    FieldText.digits("field 7", mmddhhmmss, 10);
    return parse("field 7", mmddhhmmss.substring(0, 4), mmddhhmmss.substring(4));
  }
}

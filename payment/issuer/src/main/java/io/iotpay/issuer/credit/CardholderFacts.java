package io.iotpay.issuer.credit;

import io.iotpay.foundation.money.CurrencyUnit;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * Everything the scorecard may use about one cardholder: when the wallet was issued, its daily
 * facts (any order; at most one per date) and its failed online parts (any order).
 *
 * @param id the cardholder
 * @param currency the wallet's currency (its allowance is paid in it)
 * @param issuedOn the business date the wallet was issued
 * @param days daily facts, at most {@link #DAYS_MAX}, none before {@code issuedOn}, dates distinct
 * @param failedParts failed online parts, at most {@link #FAILED_PARTS_MAX}, ids distinct
 * @throws CreditInputException if a bound or rule above is broken
 */
public record CardholderFacts(CardholderId id, CurrencyUnit currency, LocalDate issuedOn, List<DailyFacts> days,
    List<FailedOnlinePart> failedParts) {
  /** Daily facts kept per cardholder at most: the longest indicator window (see {@link Indicator}). */
  public static final int DAYS_MAX = 366;
  /** Failed online parts per cardholder at most; a wallet with more is blocked long before. */
  public static final int FAILED_PARTS_MAX = 1_000;

  public CardholderFacts {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(issuedOn, "issuedOn");
    days = List.copyOf(days);
    failedParts = List.copyOf(failedParts);
    if (days.size() > DAYS_MAX || failedParts.size() > FAILED_PARTS_MAX) {
      throw new CreditInputException("cardholder " + id.value() + ": " + days.size() + " days / " + failedParts.size()
          + " failed parts exceed " + DAYS_MAX + " / " + FAILED_PARTS_MAX);
    }
    // Sorted epoch days rather than a hash set: this runs for every cardholder every night.
    long[] dates = new long[days.size()];
    for (int i = 0; i < dates.length; i++) {
      dates[i] = days.get(i).date().toEpochDay();
    }
    java.util.Arrays.sort(dates);
    for (int i = 0; i < dates.length; i++) {
      if (dates[i] < issuedOn.toEpochDay() || i > 0 && dates[i] == dates[i - 1]) {
        throw new CreditInputException("cardholder " + id.value() + ": daily facts of " + LocalDate.ofEpochDay(dates[i])
            + " are a duplicate or before the issue date " + issuedOn);
      }
    }
    long[] partIds = failedParts.stream().mapToLong(FailedOnlinePart::partId).sorted().toArray();
    for (int i = 1; i < partIds.length; i++) {
      if (partIds[i] == partIds[i - 1]) {
        throw new CreditInputException("cardholder " + id.value() + ": online part " + partIds[i] + " listed twice");
      }
    }
  }
}

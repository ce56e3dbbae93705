package io.iotpay.issuer.credit;

import io.iotpay.foundation.money.CurrencyUnit;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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
    Set<LocalDate> dates = new HashSet<>();
    for (DailyFacts day : days) {
      if (day.date().isBefore(issuedOn) || !dates.add(day.date())) {
        throw new CreditInputException("cardholder " + id.value() + ": daily facts of " + day.date()
            + " are a duplicate or before the issue date " + issuedOn);
      }
    }
    Set<Long> partIds = new HashSet<>();
    for (FailedOnlinePart part : failedParts) {
      if (!partIds.add(part.partId())) {
        throw new CreditInputException("cardholder " + id.value() + ": online part " + part.partId() + " listed twice");
      }
    }
  }
}

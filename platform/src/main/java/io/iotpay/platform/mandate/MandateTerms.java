package io.iotpay.platform.mandate;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import java.util.Objects;
import java.util.Set;

/**
 * What a user allows a device to pay.
 *
 * @param perPaymentMax largest single payment; positive
 * @param perDayMax most in one business day; at least {@code perPaymentMax}
 * @param perMonthMax most in one calendar month of business dates; at least {@code perDayMax}
 * @param confirmationThreshold payments above it need the user's approval in their app; zero means
 *     every payment does; at most {@code perPaymentMax}
 * @param allowedMerchants merchant ids allowed; may be empty when categories are given
 * @param allowedCategories merchant category codes allowed (any merchant of the category); may be
 *     empty when merchants are given; at least one of the two sets is non-empty
 */
public record MandateTerms(
    Money perPaymentMax,
    Money perDayMax,
    Money perMonthMax,
    Money confirmationThreshold,
    Set<String> allowedMerchants,
    Set<String> allowedCategories) {
  /** Entries per scope set at most. */
  public static final int SCOPE_ENTRIES_MAX = 256;

  /** @throws MandateException when a limit is missing, not positive, in another currency, out of order, or the scope is empty */
  public MandateTerms {
    if (perPaymentMax == null || perDayMax == null || perMonthMax == null || confirmationThreshold == null) {
      throw new MandateException("mandate terms: every limit and the confirmation threshold must be given");
    }
    CurrencyUnit currency = perPaymentMax.currency();
    for (Money limit : new Money[] {perDayMax, perMonthMax, confirmationThreshold}) {
      if (!limit.currency().equals(currency)) {
        throw new MandateException("mandate terms: " + limit + " is not in " + currency + " like the per-payment limit");
      }
    }
    if (!perPaymentMax.isPositive()) {
      throw new MandateException("mandate terms: per-payment limit " + perPaymentMax + " is not positive");
    }
    if (perDayMax.isLessThan(perPaymentMax) || perMonthMax.isLessThan(perDayMax)) {
      throw new MandateException("mandate terms: limits must satisfy per payment ≤ per day ≤ per month, got "
          + perPaymentMax + " / " + perDayMax + " / " + perMonthMax);
    }
    if (confirmationThreshold.isNegative() || confirmationThreshold.isGreaterThan(perPaymentMax)) {
      throw new MandateException("mandate terms: confirmation threshold " + confirmationThreshold + " outside 0.." + perPaymentMax);
    }
    if ((allowedMerchants != null && allowedMerchants.stream().anyMatch(Objects::isNull))
        || (allowedCategories != null && allowedCategories.stream().anyMatch(Objects::isNull))) {
      throw new MandateException("mandate terms: an allowed merchant or category is missing (null)");
    }
    allowedMerchants = allowedMerchants == null ? Set.of() : Set.copyOf(allowedMerchants);
    allowedCategories = allowedCategories == null ? Set.of() : Set.copyOf(allowedCategories);
    if (allowedMerchants.isEmpty() && allowedCategories.isEmpty()) {
      throw new MandateException("mandate terms: name at least one allowed merchant or merchant category");
    }
    if (allowedMerchants.size() > SCOPE_ENTRIES_MAX || allowedCategories.size() > SCOPE_ENTRIES_MAX) {
      throw new MandateException("mandate terms: more than " + SCOPE_ENTRIES_MAX + " allowed merchants or categories");
    }
    for (String merchant : allowedMerchants) {
      Merchant.requireId(merchant, "mandate terms: allowed merchant");
    }
    for (String category : allowedCategories) {
      Merchant.requireCategory(category, "mandate terms");
    }
  }

  public CurrencyUnit currency() {
    return perPaymentMax.currency();
  }

  /** Whether the terms allow paying this merchant. */
  public boolean allows(Merchant merchant) {
    return allowedMerchants.contains(merchant.merchantId()) || allowedCategories.contains(merchant.category());
  }
}

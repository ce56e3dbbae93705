package io.iotpay.switching.online;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;

/**
 * How far the switch may approve on an issuer's behalf while the issuer cannot answer. All three
 * are in one currency; a request in another currency is declined (91) in stand-in.
 *
 * @param perTransactionMax the largest single amount approved in stand-in
 * @param perCardDayMax the stand-in approvals of one card (by keyed PAN hash) per UTC day, summed
 * @param issuerDayMax the stand-in approvals of all the issuer's cards per UTC day, summed
 */
public record StandInLimits(Money perTransactionMax, Money perCardDayMax, Money issuerDayMax) {
  /** @throws AssertionError for mixed currencies or negative limits (a configuration fault) */
  public StandInLimits {
    Assert.notNull(perTransactionMax, "perTransactionMax");
    Assert.that(perTransactionMax.currency().equals(perCardDayMax.currency())
        && perTransactionMax.currency().equals(issuerDayMax.currency()), "stand-in limits in mixed currencies");
    Assert.that(!perTransactionMax.isNegative() && !perCardDayMax.isNegative() && !issuerDayMax.isNegative(),
        "stand-in limits must not be negative");
  }

  /** No stand-in approvals at all: every request the issuer cannot answer is declined 91. */
  public static StandInLimits none(CurrencyUnit currency) {
    Money zero = Money.zero(currency);
    return new StandInLimits(zero, zero, zero);
  }
}

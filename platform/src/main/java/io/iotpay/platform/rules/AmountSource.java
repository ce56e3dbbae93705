package io.iotpay.platform.rules;

import io.iotpay.foundation.money.Money;

/** How much a rule pays. */
public sealed interface AmountSource {
  /** A fixed price (one bottle of detergent). */
  record Fixed(Money amount) implements AmountSource {}

  /** The merchant's amount as the event carries it: minor units and an ISO 4217 code. */
  record FromFields(String amountField, String currencyField) implements AmountSource {}

  /** The outstanding bill of the customer reference at the biller named in the event ({@link BillerDirectory}). */
  record BillLookup(String billerField, String customerField) implements AmountSource {}
}

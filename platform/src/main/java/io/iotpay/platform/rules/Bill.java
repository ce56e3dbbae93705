package io.iotpay.platform.rules;

import io.iotpay.foundation.money.Money;
import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * A bill a biller issued to a customer reference.
 *
 * @param billId unique, 1..64 of [A-Za-z0-9-]
 * @param billerId never null
 * @param customerRef the customer's reference at the biller (account number), 1..64 of [A-Za-z0-9-]
 * @param amount positive
 * @param dueDate never null
 */
public record Bill(String billId, String billerId, String customerRef, Money amount, LocalDate dueDate) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  public Bill {
    for (String id : new String[] {billId, billerId, customerRef}) {
      if (id == null || !ID.matcher(id).matches()) {
        throw new RuleInputException("bill: ids must be 1..64 of A-Z a-z 0-9 -");
      }
    }
    if (amount == null || !amount.isPositive() || dueDate == null) {
      throw new RuleInputException("bill " + billId + ": amount must be positive and the due date given");
    }
  }
}

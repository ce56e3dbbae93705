package io.iotpay.ledger;

/**
 * An ISO 4217 numeric currency code (978 = EUR, 156 = CNY, 840 = USD). The ledger does not interpret
 * it beyond equality: two accounts may exchange money only if their codes are equal.
 *
 * @param numeric the ISO 4217 numeric code, 1..999
 */
public record CurrencyCode(int numeric) {
  public static final int NUMERIC_MAX = 999;

  /** @throws LedgerInputException when the code is outside 1..999 */
  public CurrencyCode {
    if (numeric < 1 || numeric > NUMERIC_MAX) {
      throw new LedgerInputException("currency code " + numeric + " is not an ISO 4217 numeric code (1..999)");
    }
  }

  public static CurrencyCode of(int numeric) {
    return new CurrencyCode(numeric);
  }

  @Override
  public String toString() {
    return String.format("%03d", numeric);
  }
}

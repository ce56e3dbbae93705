package io.iotpay.foundation.money;

import java.util.Collections;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An ISO 4217 currency: alphabetic code, numeric code (the one EMV writes in 5F2A and 9F42) and
 * the number of minor-unit digits.
 *
 * @param alphaCode three upper-case letters, e.g. {@code "CNY"}
 * @param numericCode 1..999, e.g. 156 for CNY
 * @param minorDigits digits after the decimal point, 0..4 (JPY 0, CNY 2, BHD 3)
 */
public record CurrencyUnit(String alphaCode, int numericCode, int minorDigits) {
  /** First, so the constants below can be checked with it. */
  private static final Pattern ALPHA_CODE = Pattern.compile("[A-Z]{3}");
  public static final CurrencyUnit CNY = new CurrencyUnit("CNY", 156, 2);
  public static final CurrencyUnit HKD = new CurrencyUnit("HKD", 344, 2);
  public static final CurrencyUnit USD = new CurrencyUnit("USD", 840, 2);
  public static final CurrencyUnit EUR = new CurrencyUnit("EUR", 978, 2);
  public static final CurrencyUnit GBP = new CurrencyUnit("GBP", 826, 2);
  public static final CurrencyUnit JPY = new CurrencyUnit("JPY", 392, 0);

  /** Most minor digits accepted; ISO 4217 uses at most 4 (CLF, UYW). */
  public static final int MINOR_DIGITS_MAX = 4;

  private static final Map<String, CurrencyUnit> KNOWN = known();

  /**
   * @throws MoneyException if a field is out of range
   */
  public CurrencyUnit {
    Objects.requireNonNull(alphaCode, "alphaCode");
    if (!ALPHA_CODE.matcher(alphaCode).matches()) {
      throw new MoneyException("currency code '" + alphaCode + "' is not three upper-case letters");
    }
    if (numericCode < 1 || numericCode > 999) {
      throw new MoneyException("numeric code " + numericCode + " of " + alphaCode + " outside 1..999");
    }
    if (minorDigits < 0 || minorDigits > MINOR_DIGITS_MAX) {
      throw new MoneyException("minor digits " + minorDigits + " of " + alphaCode + " outside 0.." + MINOR_DIGITS_MAX);
    }
  }

  /**
   * The currency with this alphabetic code: our table first, then the JDK's ISO 4217 data.
   *
   * @throws MoneyException if the code is unknown or has no minor unit (e.g. XAU)
   */
  public static CurrencyUnit of(String alphaCode) {
    Objects.requireNonNull(alphaCode, "alphaCode");
    CurrencyUnit known = KNOWN.get(alphaCode);
    if (known != null) {
      return known;
    }
    return fromJdk(alphaCode).orElseThrow(() -> new MoneyException("unknown currency '" + alphaCode + "'"));
  }

  /**
   * The currency with this ISO 4217 numeric code (e.g. from tag 5F2A).
   *
   * @throws MoneyException if no currency with a minor unit has the code
   */
  public static CurrencyUnit ofNumeric(int numericCode) {
    for (CurrencyUnit unit : KNOWN.values()) {
      if (unit.numericCode == numericCode) {
        return unit;
      }
    }
    for (Currency currency : Currency.getAvailableCurrencies()) {
      if (currency.getNumericCode() == numericCode && currency.getDefaultFractionDigits() >= 0) {
        return new CurrencyUnit(currency.getCurrencyCode(), numericCode, currency.getDefaultFractionDigits());
      }
    }
    throw new MoneyException("unknown numeric currency code " + numericCode);
  }

  /** The currencies iotpay names as constants; an unmodifiable list. */
  public static List<CurrencyUnit> common() {
    return List.copyOf(KNOWN.values());
  }

  /** 10^minorDigits: minor units per major unit. */
  public long minorPerMajor() {
    long factor = 1;
    for (int i = 0; i < minorDigits; i++) {
      factor *= 10;
    }
    return factor;
  }

  @Override
  public String toString() {
    return alphaCode;
  }

  private static Optional<CurrencyUnit> fromJdk(String alphaCode) {
    try {
      Currency currency = Currency.getInstance(alphaCode);
      int digits = currency.getDefaultFractionDigits();
      if (digits < 0 || digits > MINOR_DIGITS_MAX || currency.getNumericCode() <= 0) {
        return Optional.empty();
      }
      return Optional.of(new CurrencyUnit(alphaCode, currency.getNumericCode(), digits));
    } catch (IllegalArgumentException notIso4217) {
      // Currency.getInstance signals an unknown code this way; the caller turns empty into a typed error.
      return Optional.empty();
    }
  }

  private static Map<String, CurrencyUnit> known() {
    Map<String, CurrencyUnit> map = new LinkedHashMap<>();
    for (CurrencyUnit unit : List.of(CNY, HKD, USD, EUR, GBP, JPY)) {
      map.put(unit.alphaCode, unit);
    }
    return Collections.unmodifiableMap(map);
  }
}

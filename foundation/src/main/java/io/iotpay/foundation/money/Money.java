package io.iotpay.foundation.money;

import java.util.Objects;

/**
 * An amount of money: a {@code long} of minor units (fen, cents) in one ISO 4217 currency. There is
 * no floating point anywhere: arithmetic is exact or refused with a {@link MoneyException} on
 * overflow, and amounts in different currencies never combine.
 *
 * @param amountMinor the amount in minor units, any sign
 * @param currency the currency, not null
 */
public record Money(long amountMinor, CurrencyUnit currency) implements Comparable<Money> {
  /** Longest amount text {@link #parse} reads; a long has at most 19 digits. */
  private static final int TEXT_CHARS_MAX = 32;

  public Money {
    Objects.requireNonNull(currency, "currency");
  }

  /** The amount of {@code amountMinor} minor units of {@code currency}. */
  public static Money ofMinor(long amountMinor, CurrencyUnit currency) {
    return new Money(amountMinor, currency);
  }

  /** Zero in this currency. */
  public static Money zero(CurrencyUnit currency) {
    return new Money(0, currency);
  }

  /**
   * Parses a decimal amount such as {@code "50.00"}, {@code "50"}, {@code "-0.5"} in a currency.
   * At most the currency's minor digits may follow the point; no exponent, grouping or spaces.
   *
   * @throws MoneyException naming the text if it is not such a number or overflows a long
   */
  public static Money parse(String text, CurrencyUnit currency) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(currency, "currency");
    return new Money(MoneyText.parseMinor(text, currency, TEXT_CHARS_MAX), currency);
  }

  /**
   * Parses {@code "50.00 CNY"}: an amount, one space, an alphabetic currency code.
   *
   * @throws MoneyException if the text is not of that form or the currency is unknown
   */
  public static Money parse(String text) {
    Objects.requireNonNull(text, "text");
    int space = text.indexOf(' ');
    if (space < 0 || space != text.lastIndexOf(' ')) {
      throw new MoneyException("'" + MoneyText.clip(text) + "' is not of the form '<amount> <currency>', e.g. '50.00 CNY'");
    }
    return parse(text.substring(0, space), CurrencyUnit.of(text.substring(space + 1)));
  }

  /** @throws MoneyException if the currencies differ or the sum overflows */
  public Money plus(Money other) {
    requireSameCurrency(other, "add");
    try {
      return new Money(Math.addExact(amountMinor, other.amountMinor), currency);
    } catch (ArithmeticException overflow) {
      throw overflow("+", other.amountMinor);
    }
  }

  /** @throws MoneyException if the currencies differ or the difference overflows */
  public Money minus(Money other) {
    requireSameCurrency(other, "subtract");
    try {
      return new Money(Math.subtractExact(amountMinor, other.amountMinor), currency);
    } catch (ArithmeticException overflow) {
      throw overflow("-", other.amountMinor);
    }
  }

  /** @throws MoneyException if the amount is {@link Long#MIN_VALUE} (its negation overflows) */
  public Money negate() {
    try {
      return new Money(Math.negateExact(amountMinor), currency);
    } catch (ArithmeticException overflow) {
      throw new MoneyException("negating " + amountMinor + " minor units of " + currency + " overflows a long");
    }
  }

  /** This amount times a whole factor (e.g. a fare times riders). @throws MoneyException on overflow */
  public Money times(long factor) {
    try {
      return new Money(Math.multiplyExact(amountMinor, factor), currency);
    } catch (ArithmeticException overflow) {
      throw overflow("*", factor);
    }
  }

  /** True when the amount is zero. */
  public boolean isZero() {
    return amountMinor == 0;
  }

  /** True when the amount is below zero. */
  public boolean isNegative() {
    return amountMinor < 0;
  }

  /** True when the amount is above zero. */
  public boolean isPositive() {
    return amountMinor > 0;
  }

  /** @throws MoneyException if the currencies differ */
  @Override
  public int compareTo(Money other) {
    requireSameCurrency(other, "compare");
    return Long.compare(amountMinor, other.amountMinor);
  }

  /** True when this is strictly more than {@code other}. @throws MoneyException on mixed currencies */
  public boolean isGreaterThan(Money other) {
    return compareTo(other) > 0;
  }

  /** True when this is strictly less than {@code other}. @throws MoneyException on mixed currencies */
  public boolean isLessThan(Money other) {
    return compareTo(other) < 0;
  }

  /** The amount as decimal text without currency, e.g. {@code "50.00"}, {@code "-0.05"}, {@code "500"}. */
  public String toPlainString() {
    return MoneyText.format(amountMinor, currency.minorDigits());
  }

  /** E.g. {@code "50.00 CNY"}; {@link #parse(String)} reads it back. */
  @Override
  public String toString() {
    return toPlainString() + " " + currency.alphaCode();
  }

  private void requireSameCurrency(Money other, String operation) {
    Objects.requireNonNull(other, "other");
    if (!currency.equals(other.currency)) {
      throw new MoneyException("cannot " + operation + " " + this + " and " + other + ": currencies "
          + currency.alphaCode() + " and " + other.currency.alphaCode() + " differ");
    }
  }

  private MoneyException overflow(String operator, long operand) {
    return new MoneyException(amountMinor + " " + operator + " " + operand + " minor units of " + currency
        + " overflows a long");
  }
}

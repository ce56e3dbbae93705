package io.iotpay.foundation.money;

/** Decimal text of minor units, both ways, with integer arithmetic only. */
final class MoneyText {
  private MoneyText() {}

  static long parseMinor(String text, CurrencyUnit currency, int charsMax) {
    if (text.isEmpty() || text.length() > charsMax) {
      throw bad(text, "must be 1.." + charsMax + " characters");
    }
    boolean negative = text.charAt(0) == '-';
    int start = negative ? 1 : 0;
    int point = text.indexOf('.');
    int integerEnd = point < 0 ? text.length() : point;
    int fractionDigits = point < 0 ? 0 : text.length() - point - 1;
    if (integerEnd == start) {
      throw bad(text, "needs at least one digit before the point");
    }
    if (point >= 0 && fractionDigits == 0) {
      throw bad(text, "needs digits after the point");
    }
    if (fractionDigits > currency.minorDigits()) {
      throw bad(text, "has " + fractionDigits + " decimals but " + currency + " has " + currency.minorDigits());
    }
    // Accumulate negatively so Long.MIN_VALUE minor units parse too.
    long accumulated = 0;
    try {
      for (int i = start; i < text.length(); i++) {
        if (i == point) {
          continue;
        }
        accumulated = Math.subtractExact(Math.multiplyExact(accumulated, 10), digit(text, i));
      }
      for (int i = fractionDigits; i < currency.minorDigits(); i++) {
        accumulated = Math.multiplyExact(accumulated, 10);
      }
      return negative ? accumulated : Math.negateExact(accumulated);
    } catch (ArithmeticException overflow) {
      throw bad(text, "overflows a long of minor units of " + currency);
    }
  }

  static String format(long amountMinor, int minorDigits) {
    String digits = Long.toString(amountMinor);
    boolean negative = amountMinor < 0;
    String magnitude = negative ? digits.substring(1) : digits;
    if (minorDigits == 0) {
      return digits;
    }
    StringBuilder padded = new StringBuilder();
    for (int i = magnitude.length(); i <= minorDigits; i++) {
      padded.append('0');
    }
    padded.append(magnitude);
    int point = padded.length() - minorDigits;
    return (negative ? "-" : "") + padded.substring(0, point) + "." + padded.substring(point);
  }

  static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }

  private static int digit(String text, int index) {
    char c = text.charAt(index);
    if (c < '0' || c > '9') {
      throw bad(text, "has '" + c + "' at position " + index + ", not a digit");
    }
    return c - '0';
  }

  private static MoneyException bad(String text, String why) {
    return new MoneyException("amount '" + clip(text) + "' " + why);
  }
}

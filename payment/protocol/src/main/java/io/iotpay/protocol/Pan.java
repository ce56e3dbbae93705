package io.iotpay.protocol;

/**
 * A primary account number (ISO/IEC 7812: 12..19 digits, Luhn check digit). Its {@link #toString()}
 * is masked (first 6 and last 4 digits) so a full PAN never reaches a log line by accident; use
 * {@link #digits()} where the full number is really needed (files between parties, the card).
 *
 * @param digits the full number
 */
public record Pan(String digits) implements Comparable<Pan> {
  public static final int DIGITS_MIN = 12;
  public static final int DIGITS_MAX = 19;

  /** @throws ProtocolException when not 12..19 decimal digits or the Luhn check fails */
  public Pan {
    if (digits == null || digits.length() < DIGITS_MIN || digits.length() > DIGITS_MAX) {
      throw new ProtocolException("PAN must have " + DIGITS_MIN + ".." + DIGITS_MAX + " digits, got "
          + (digits == null ? "none" : digits.length()));
    }
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        throw new ProtocolException("PAN has a non-digit at position " + i);
      }
    }
    if (!luhnValid(digits)) {
      throw new ProtocolException("PAN " + mask(digits) + " fails its Luhn check digit");
    }
  }

  public static Pan of(String digits) {
    return new Pan(digits);
  }

  /** The PAN made of {@code body} and its Luhn check digit. */
  public static Pan withCheckDigit(String body) {
    return new Pan(body + luhnDigit(body));
  }

  /** First 6 and last 4 digits, the rest as '*'. */
  public String masked() {
    return mask(digits);
  }

  /** True when this PAN starts with {@code prefix} (a card range / BIN). */
  public boolean startsWith(String prefix) {
    return digits.startsWith(prefix);
  }

  @Override
  public int compareTo(Pan other) {
    return digits.compareTo(other.digits);
  }

  @Override
  public String toString() {
    return masked();
  }

  private static String mask(String digits) {
    return digits.substring(0, 6) + "*".repeat(digits.length() - 10) + digits.substring(digits.length() - 4);
  }

  private static boolean luhnValid(String digits) {
    return luhnDigit(digits.substring(0, digits.length() - 1)) == digits.charAt(digits.length() - 1) - '0';
  }

  static int luhnDigit(String body) {
    int sum = 0;
    boolean twice = true; // the digit next to the check digit is doubled
    for (int i = body.length() - 1; i >= 0; i--) {
      int digit = body.charAt(i) - '0';
      if (twice) {
        digit *= 2;
        if (digit > 9) {
          digit -= 9;
        }
      }
      sum += digit;
      twice = !twice;
    }
    return (10 - sum % 10) % 10;
  }
}

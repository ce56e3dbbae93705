package io.iotpay.acquirer.pos.merchant;

import io.iotpay.acquirer.pos.merchant.OnboardingException.Reason;
import io.iotpay.foundation.text.DisplayText;
import java.util.Locale;

/**
 * Field rules of onboarding input: free text (names, addresses, reasons) and the identifiers that
 * are matched after normalisation (licence, identity and account numbers).
 */
public final class Fields {
  /** Shortest identity, licence or account number after normalisation, characters. */
  static final int NUMBER_CHARS_MIN = 6;
  /** Longest identity, licence or account number after normalisation (an IBAN has 34). */
  static final int NUMBER_CHARS_MAX = 34;
  /** Longest raw number before normalisation (spaces and hyphens are dropped). */
  static final int RAW_NUMBER_CHARS_MAX = 64;
  /** Digits of a number left visible when masked. */
  static final int MASK_VISIBLE_DIGITS = 4;

  private Fields() {}

  /**
   * Free text of 1..{@code charsMax} characters, trimmed, without control characters, bidi
   * controls (they can make a name read differently from what is stored) or unpaired surrogates.
   *
   * @return the trimmed text
   * @throws OnboardingException INVALID_FIELD naming {@code field}
   */
  public static String text(String value, String field, int charsMax) {
    if (value == null) {
      throw invalid(field, "is missing");
    }
    String trimmed = value.strip();
    if (trimmed.isEmpty() || trimmed.length() > charsMax) {
      throw invalid(field, "must have 1.." + charsMax + " characters");
    }
    int unsafe = DisplayText.firstUnsafeIndex(trimmed);
    if (unsafe >= 0) {
      throw invalid(field, Character.isSurrogate(trimmed.charAt(unsafe))
          ? "holds an unpaired surrogate at index " + unsafe
          : "holds a control or bidi-override character at index " + unsafe);
    }
    return trimmed;
  }

  /** Text that may be empty (a reason): the rules of {@link #text} but 0 characters allowed. */
  public static String optionalText(String value, String field, int charsMax) {
    if (value == null || value.isBlank()) {
      return "";
    }
    return text(value, field, charsMax);
  }

  /**
   * An identity, licence or account number normalised for matching: spaces and hyphens dropped,
   * letters upper-cased; then {@value #NUMBER_CHARS_MIN}..{@value #NUMBER_CHARS_MAX} of [0-9A-Z].
   *
   * @throws OnboardingException INVALID_FIELD naming {@code field} (never echoing the value)
   */
  public static String number(String value, String field) {
    if (value == null) {
      throw invalid(field, "is missing");
    }
    if (value.length() > RAW_NUMBER_CHARS_MAX) {
      throw invalid(field, "is longer than " + RAW_NUMBER_CHARS_MAX + " characters");
    }
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ' ' || c == '-') {
        continue;
      }
      char upper = Character.toUpperCase(c);
      if (!((upper >= '0' && upper <= '9') || (upper >= 'A' && upper <= 'Z'))) {
        throw invalid(field, "may hold only digits, Latin letters, spaces and hyphens");
      }
      out.append(upper);
    }
    if (out.length() < NUMBER_CHARS_MIN || out.length() > NUMBER_CHARS_MAX) {
      throw invalid(field, "must have " + NUMBER_CHARS_MIN + ".." + NUMBER_CHARS_MAX + " digits or letters");
    }
    return out.toString().toUpperCase(Locale.ROOT);
  }

  /** A normalised number with all but its last {@value #MASK_VISIBLE_DIGITS} characters as '*'. */
  public static String mask(String normalised) {
    int visible = Math.min(MASK_VISIBLE_DIGITS, normalised.length() / 3);
    return "*".repeat(normalised.length() - visible) + normalised.substring(normalised.length() - visible);
  }

  static OnboardingException invalid(String field, String what) {
    return new OnboardingException(Reason.INVALID_FIELD, "field '" + field + "' " + what);
  }
}

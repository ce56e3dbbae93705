package io.iotpay.protocol;

/**
 * The shape of the scheme's short identifiers (party, terminal and station ids), checked by a loop
 * rather than a regular expression: clearing checks three of them per record, tens of millions of
 * records a day, and a {@code Matcher} per check showed in its profiles.
 */
public final class IdentifierText {
  private IdentifierText() {}

  /**
   * @return true when {@code text} is 1..{@code maxLength} characters of A-Z and 0-9, and '-' too
   *     when {@code dash}
   */
  public static boolean isUpperAlphanumeric(String text, int maxLength, boolean dash) {
    if (text == null || text.isEmpty() || text.length() > maxLength) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && !(dash && c == '-')) {
        return false;
      }
    }
    return true;
  }
}

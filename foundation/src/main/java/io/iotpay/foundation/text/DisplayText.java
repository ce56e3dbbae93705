package io.iotpay.foundation.text;

/**
 * Which characters a name people read (a merchant's, an account's, a user's) may hold. Refused:
 * every C0 and C1 control (NUL, newline, tab, DEL, U+0080..U+009F: they split log lines and
 * terminal output), the bidi marks, embeddings, overrides and isolates (U+200E, U+200F, U+061C,
 * U+202A..U+202E, U+2066..U+2069: they make a name read differently from what is stored), the byte
 * order mark U+FEFF, and unpaired surrogates (not text at all).
 */
public final class DisplayText {
  private DisplayText() {}

  /** @return the index of the first character a name may not hold, or -1 when there is none; {@code text} not null */
  public static int firstUnsafeIndex(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || isBidiControl(c) || c == '\uFEFF') {
        return i;
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** @return whether {@code text} (not null) holds only characters a name may hold */
  public static boolean isSafe(String text) {
    return firstUnsafeIndex(text) < 0;
  }

  /** LRM, RLM, ALM, the embeddings and overrides U+202A..U+202E and the isolates U+2066..U+2069. */
  public static boolean isBidiControl(char c) {
    return c == '\u200E' || c == '\u200F' || c == '\u061C' || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
  }
}

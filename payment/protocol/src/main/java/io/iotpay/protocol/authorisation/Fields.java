package io.iotpay.protocol.authorisation;

import io.iotpay.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;

/** Field checks shared by the authorisation messages; each refusal names the message and the field. */
final class Fields {
  private Fields() {}

  static void positive(String message, String field, long value) {
    if (value <= 0) {
      throw new ProtocolException(message + ": " + field + " " + value + " must be positive");
    }
  }

  static void differ(String message, long requestId, long holdId) {
    if (requestId == holdId) {
      throw new ProtocolException(message + " " + requestId + ": the request id must differ from the hold id");
    }
  }

  /** Non-null, at most {@code bytesMax} UTF-8 bytes, no control characters (a log line stays one line). */
  static void text(String message, String field, String value, int bytesMax) {
    if (value == null) {
      throw new ProtocolException(message + ": " + field + " is missing");
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > bytesMax) {
      throw new ProtocolException(message + ": " + field + " has " + bytes + " UTF-8 bytes, more than " + bytesMax);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw new ProtocolException(message + ": " + field + " has a control character at index " + i);
      }
      if (Character.isSurrogate(c) && !pairedAt(value, i)) {
        throw new ProtocolException(message + ": " + field + " has an unpaired surrogate at index " + i);
      }
    }
  }

  /** Whether the surrogate at {@code index} is half of a high-low pair. */
  private static boolean pairedAt(String value, int index) {
    char c = value.charAt(index);
    if (Character.isHighSurrogate(c)) {
      return index + 1 < value.length() && Character.isLowSurrogate(value.charAt(index + 1));
    }
    return index > 0 && Character.isHighSurrogate(value.charAt(index - 1));
  }

  /**
   * {@code value} made fit for {@link #text}: control characters become spaces and it is cut at a
   * code point boundary to at most {@code bytesMax} UTF-8 bytes.
   */
  static String clip(String value, int bytesMax) {
    StringBuilder out = new StringBuilder(Math.min(value.length(), bytesMax));
    int bytes = 0;
    for (int i = 0; i < value.length(); ) {
      int codePoint = value.codePointAt(i);
      int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + size > bytesMax) {
        break;
      }
      bytes += size;
      boolean unfit = Character.isISOControl(codePoint) || Character.getType(codePoint) == Character.SURROGATE;
      out.appendCodePoint(unfit ? ' ' : codePoint);
      i += Character.charCount(codePoint);
    }
    return out.toString();
  }
}

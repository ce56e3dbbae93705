package io.iotpay.console;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;

/**
 * Reads a console's query and form parameters, each by a named parser: absent or empty as null, and
 * anything that does not parse as a {@link ConsoleInputException} (a 400 page; nothing is changed).
 * Also the one time format every console page shows.
 */
public final class FormInput {
  /** Longest reason an operator may give for a status change (as the HTTP APIs). */
  public static final int REASON_CHARS_MAX = 256;
  /** Most characters of client text repeated on a refusal page. */
  private static final int SHOWN_CHARS_MAX = 64;

  private FormInput() {}

  /** The query parameter stripped, or "" when absent. */
  public static String query(Context ctx, String name) {
    String text = ctx.queryParam(name);
    return text == null ? "" : text.strip();
  }

  /** A status change's reason: 1..{@value #REASON_CHARS_MAX} printable characters. */
  public static String reason(String text) {
    if (text == null || text.isBlank() || text.length() > REASON_CHARS_MAX || !text.chars().allMatch(c -> c >= 0x20 && c != 0x7F)) {
      throw new ConsoleInputException("a reason of 1.." + REASON_CHARS_MAX + " characters without control characters is required");
    }
    return text.strip();
  }

  /** A number ≥ 0, or null when absent. */
  public static Long positiveLong(String name, String text) {
    Long value = parse(name, text, Long::valueOf);
    if (value != null && value < 0) {
      throw new ConsoleInputException(name + " must not be negative");
    }
    return value;
  }

  /** {@code text} parsed by {@code parser}; null when absent or blank; a 400 refusal when it does not parse. */
  public static <T> T parse(String name, String text, Function<String, T> parser) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return parser.apply(text.strip());
    } catch (RuntimeException e) {
      throw new ConsoleInputException(name + " '" + shown(text) + "' is not valid");
    }
  }

  /** At most {@value #SHOWN_CHARS_MAX} characters of client text, printable ASCII only (the rest as '?'). */
  public static String shown(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(text.length(), SHOWN_CHARS_MAX); i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return out.toString();
  }

  /** ISO-8601 UTC to the second; "" for null. */
  public static String time(Instant at) {
    return at == null ? "" : at.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}

package io.iotpay.platform.console;

import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceStatus;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads the console's query and form parameters: each by a named parser, absent or empty as null, and
 * anything that does not parse as a {@link ConsoleInputException} (a 400 page; nothing is changed).
 */
final class ConsoleInput {
  /** Longest reason an operator may give for a status change (as the HTTP API). */
  static final int REASON_CHARS_MAX = 256;

  private ConsoleInput() {}

  /** A request the console refuses, with nothing changed: its message is shown to the operator. */
  static final class ConsoleInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    /** A bad parameter: 400. */
    ConsoleInputException(String message) {
      this(400, message);
    }

    /** @param status 400 bad input, 404 unknown, 409 not possible in the current state */
    ConsoleInputException(int status, String message) {
      super(message);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  static DeviceId deviceId(String text) {
    return parse("device id", text, DeviceId::of);
  }

  static DeviceStatus status(String text) {
    return parse("status", text, t -> DeviceStatus.valueOf(t.toUpperCase(Locale.ROOT)));
  }

  static Long positiveLong(String name, String text) {
    Long value = parse(name, text, Long::valueOf);
    if (value != null && value < 0) {
      throw new ConsoleInputException(name + " must not be negative");
    }
    return value;
  }

  static String query(Context ctx, String name) {
    String text = ctx.queryParam(name);
    return text == null ? "" : text.strip();
  }

  /** A status change's reason: 1..{@value #REASON_CHARS_MAX} printable characters. */
  static String reason(String text) {
    if (text == null || text.isBlank() || text.length() > REASON_CHARS_MAX || !text.chars().allMatch(c -> c >= 0x20 && c != 0x7F)) {
      throw new ConsoleInputException("a reason of 1.." + REASON_CHARS_MAX + " characters without control characters is required");
    }
    return text.strip();
  }

  private static <T> T parse(String name, String text, Function<String, T> parser) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return parser.apply(text.strip());
    } catch (RuntimeException e) {
      throw new ConsoleInputException(name + " '" + shown(text) + "' is not valid");
    }
  }

  /** At most 64 characters of client text, printable ASCII only (the rest as '?'). */
  static String shown(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(text.length(), 64); i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return out.toString();
  }
}

package io.iotpay.foundation;

/**
 * Always-on assertions for programmer errors. Unlike the {@code assert} keyword these are never
 * switched off: a broken invariant in a payment system must stop the process, not corrupt books.
 *
 * <p>Messages use {@code {}} placeholders, filled in only when the assertion fails, so a passing
 * check costs no string building.
 */
public final class Assert {
  private Assert() {}

  /**
   * Throws {@link AssertionError} when {@code condition} is false.
   *
   * @param condition the invariant that must hold
   * @param message what went wrong, with {@code {}} placeholders for {@code args}
   * @param args values for the placeholders, may contain nulls
   * @throws AssertionError when the condition is false
   */
  public static void that(boolean condition, String message, Object... args) {
    if (!condition) {
      throw new AssertionError(format(message, args));
    }
  }

  /**
   * Returns {@code value}, or throws {@link AssertionError} naming {@code what} when it is null.
   *
   * @throws AssertionError when the value is null
   */
  public static <T> T notNull(T value, String what) {
    if (value == null) {
      throw new AssertionError(what + " must not be null");
    }
    return value;
  }

  /** Marks code that must be unreachable; always throws. */
  public static AssertionError unreachable(String message, Object... args) {
    throw new AssertionError(format(message, args));
  }

  static String format(String message, Object... args) {
    StringBuilder out = new StringBuilder(message.length() + 16 * args.length);
    int argIndex = 0;
    int from = 0;
    while (true) {
      int at = message.indexOf("{}", from);
      if (at < 0 || argIndex >= args.length) {
        out.append(message, from, message.length());
        return out.toString();
      }
      out.append(message, from, at).append(args[argIndex++]);
      from = at + 2;
    }
  }
}

package io.iotpay.platform.console;

import io.iotpay.console.FormInput;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceStatus;
import io.javalin.http.Context;
import java.util.Locale;

/**
 * Reads the platform console's parameters: device ids and statuses here, the rest by the console kit's
 * {@link FormInput} (absent or empty as null; anything that does not parse is a 400 page and nothing
 * is changed).
 */
final class ConsoleInput {
  private ConsoleInput() {}

  static DeviceId deviceId(String text) {
    return FormInput.parse("device id", text, DeviceId::of);
  }

  static DeviceStatus status(String text) {
    return FormInput.parse("status", text, t -> DeviceStatus.valueOf(t.toUpperCase(Locale.ROOT)));
  }

  static Long positiveLong(String name, String text) {
    return FormInput.positiveLong(name, text);
  }

  static String query(Context ctx, String name) {
    return FormInput.query(ctx, name);
  }

  /** A status change's reason: 1..{@value FormInput#REASON_CHARS_MAX} printable characters. */
  static String reason(String text) {
    return FormInput.reason(text);
  }
}

package io.iotpay.agent.transport;

import io.iotpay.protocol.device.RefusalReason;
import java.nio.charset.StandardCharsets;

/**
 * The platform's unsigned refusal line {@code REASON [counter]} (ASCII). Informational only: it can
 * end a wait, never prove anything about money.
 *
 * @param reason the platform's refusal reason ({@link RefusalReason} by name; a newer platform may send others),
 *     upper-case letters and underscores
 * @param counter the refused envelope's counter, or -1 when the line has none
 */
record RefusalLine(String reason, long counter) {
  /** Reasons after which sending the same bytes again may succeed. */
  boolean retryable() {
    return RefusalReason.named(reason).map(RefusalReason::retryable).orElse(false);
  }

  /** @return the parsed line, or null when it is longer than {@code bytesMax} or not of the form */
  static RefusalLine parse(byte[] bytes, int bytesMax) {
    if (bytes == null || bytes.length == 0 || bytes.length > bytesMax) {
      return null;
    }
    String line = new String(bytes, StandardCharsets.US_ASCII);
    String[] parts = line.split(" ", -1);
    if (parts.length > 2 || !parts[0].matches("[A-Z_]{1,40}")) {
      return null;
    }
    if (parts.length == 1) {
      return new RefusalLine(parts[0], -1);
    }
    if (!parts[1].matches("[0-9]{1,18}")) {
      return null;
    }
    return new RefusalLine(parts[0], Long.parseLong(parts[1]));
  }
}

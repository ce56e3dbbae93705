package io.iotpay.terminal.wallet;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32;

/** Lines of a POS file sealed by a CRC-32 (hex) over the body before the last separator. */
final class CheckedLines {
  private CheckedLines() {}

  static String seal(String body) {
    return body + ";" + crc(body);
  }

  /** The body of a sealed line, or empty when the CRC does not match (a torn write). */
  static Optional<String> open(String line) {
    int last = line.lastIndexOf(';');
    if (last < 0) {
      return Optional.empty();
    }
    String body = line.substring(0, last);
    return crc(body).equals(line.substring(last + 1)) ? Optional.of(body) : Optional.empty();
  }

  static String crc(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return Long.toHexString(crc.getValue());
  }
}

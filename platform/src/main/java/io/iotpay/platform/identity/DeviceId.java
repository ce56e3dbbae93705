package io.iotpay.platform.identity;

/**
 * A device's identifier on the platform: 1 to {@value #LENGTH_MAX} characters from
 * {@code A-Z a-z 0-9 . _ -}. The alphabet keeps it safe without escaping as an MQTT topic level and a
 * CoAP path segment (no {@code /}, {@code +}, {@code #}), in log lines, in the {@code deviceId:counter}
 * payment id (no {@code :}) and in the length-prefixed audit encoding.
 *
 * <p>Ordered by its value (String order), so sorted views of devices are deterministic.
 *
 * @param value never null
 */
public record DeviceId(String value) implements Comparable<DeviceId> {
  public static final int LENGTH_MAX = 64;

  /**
   * @throws DeviceIdException when the value is null or empty, longer than {@value #LENGTH_MAX}, or has a
   *     character outside the alphabet (the message names the character and its position)
   */
  public DeviceId {
    if (value == null || value.isEmpty()) {
      throw new DeviceIdException("device id is missing");
    }
    if (value.length() > LENGTH_MAX) {
      throw new DeviceIdException("device id has " + value.length() + " characters, more than " + LENGTH_MAX);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!allowed(c)) {
        throw new DeviceIdException("device id has character " + shown(c) + " at position " + i + " (allowed: A-Z a-z 0-9 . _ -)");
      }
    }
    if (value.equals(".") || value.equals("..")) {
      // CoAP removes these dot-segments when it splits a URI into path options (RFC 7252 §6.4).
      throw new DeviceIdException("device id '" + value + "' is a dot-segment, which a CoAP URI cannot carry");
    }
  }

  /** Same as the constructor. @throws DeviceIdException as the constructor */
  public static DeviceId of(String value) {
    return new DeviceId(value);
  }

  private static boolean allowed(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  }

  /** Printable ASCII quoted as is; anything else as U+hhhh (hex) so a rejected id cannot break a log line. */
  private static String shown(char c) {
    return c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }

  @Override
  public int compareTo(DeviceId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}

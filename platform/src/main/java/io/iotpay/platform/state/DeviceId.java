package io.iotpay.platform.state;

/**
 * A device's identifier on the platform: 1..64 characters of {@code [A-Za-z0-9-]}, so it is safe in
 * MQTT topics, CoAP paths, log lines and the audit encoding without escaping.
 *
 * @param value never null
 */
public record DeviceId(String value) implements Comparable<DeviceId> {
  public static final int LENGTH_MAX = 64;

  /** @throws StateInputException when the value is null, empty, longer than 64 or has other characters */
  public DeviceId {
    if (value == null || value.isEmpty()) {
      throw new StateInputException("device id is missing");
    }
    if (value.length() > LENGTH_MAX) {
      throw new StateInputException("device id has " + value.length() + " characters, more than " + LENGTH_MAX);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      if (!allowed) {
        throw new StateInputException("device id has character '" + c + "' at position " + i + " (allowed: A-Z a-z 0-9 -)");
      }
    }
  }

  /** Same as the constructor. @throws StateInputException as the constructor */
  public static DeviceId of(String value) {
    return new DeviceId(value);
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

package io.iotpay.platform.identity;

/**
 * A device's identifier: 1 to 64 characters from {@code A-Z a-z 0-9 . _ -}. The alphabet keeps
 * it safe as an MQTT topic level and a CoAP path segment (no {@code /}, {@code +}, {@code #}).
 *
 * @param value never null
 */
public record DeviceId(String value) {
  public static final int LENGTH_MAX = 64;

  /** @throws IdentityException (MALFORMED) for a null, empty, too long or ill-charactered id */
  public DeviceId {
    if (value == null || value.isEmpty() || value.length() > LENGTH_MAX) {
      throw new IdentityException(IdentityException.Reason.MALFORMED,
          "device id must be 1 to " + LENGTH_MAX + " characters, got " + (value == null ? "none" : value.length()));
    }
    for (int i = 0; i < value.length(); i++) {
      if (!allowed(value.charAt(i))) {
        throw new IdentityException(IdentityException.Reason.MALFORMED,
            "device id has a character outside A-Z a-z 0-9 . _ - at index " + i);
      }
    }
  }

  private static boolean allowed(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  }

  @Override
  public String toString() {
    return value;
  }
}

package io.iotpay.platform.rules;

import io.iotpay.platform.identity.DeviceId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An event a device reported (already authenticated and counter-checked by the access layer): its
 * type, the chip counter of its message, and flat text fields the rules read.
 *
 * @param deviceId never null
 * @param deviceType which rules apply, 1..64 of [a-z0-9-]
 * @param counter the message's chip counter, ≥ 0 (the payment's idempotency key)
 * @param at business time, never null
 * @param fields at most 32, names 1..64 of [A-Za-z0-9_.-], values at most 256 characters
 */
public record DeviceEvent(DeviceId deviceId, String deviceType, long counter, Instant at, Map<String, String> fields) {
  private static final Pattern LOWER_ID = Pattern.compile("[a-z0-9-]{1,64}");
  private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern SIGNED_INTEGER = Pattern.compile("-?[0-9]{1,18}");
  public static final int FIELDS_MAX = 32;
  public static final int VALUE_CHARS_MAX = 256;

  /** @throws RuleInputException for a missing or out-of-bound part */
  public DeviceEvent {
    if (deviceId == null) {
      throw new RuleInputException("device event without a device id");
    }
    if (deviceType == null || !LOWER_ID.matcher(deviceType).matches()) {
      throw new RuleInputException("event of " + deviceId + ": device type is not 1..64 of a-z 0-9 -");
    }
    if (counter < 0) {
      throw new RuleInputException("event of " + deviceId + ": counter " + counter + " is negative");
    }
    Objects.requireNonNull(at, "at");
    if (fields == null || fields.size() > FIELDS_MAX) {
      throw new RuleInputException("event of " + deviceId + " #" + counter + ": fields missing or more than " + FIELDS_MAX);
    }
    for (Map.Entry<String, String> field : fields.entrySet()) {
      if (field.getKey() == null || !FIELD_NAME.matcher(field.getKey()).matches()) {
        throw new RuleInputException("event of " + deviceId + " #" + counter + ": field name is not 1..64 of A-Z a-z 0-9 _ . -");
      }
      if (field.getValue() == null || field.getValue().length() > VALUE_CHARS_MAX) {
        throw new RuleInputException("event of " + deviceId + " #" + counter + ": field " + field.getKey()
            + " is missing its value or longer than " + VALUE_CHARS_MAX);
      }
    }
    fields = Map.copyOf(fields);
  }

  /** The field's value. @throws RuleInputException when absent */
  public String require(String field) {
    String value = fields.get(field);
    if (value == null) {
      throw new RuleInputException("event of " + deviceId + " #" + counter + " has no field " + field);
    }
    return value;
  }

  /** The field as a whole number. @throws RuleInputException when absent or not a decimal long */
  public long requireLong(String field) {
    String value = require(field);
    if (!SIGNED_INTEGER.matcher(value).matches()) {
      throw new RuleInputException("event of " + deviceId + " #" + counter + ": field " + field + " is not a whole number");
    }
    return Long.parseLong(value);
  }
}

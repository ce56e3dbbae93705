package io.iotpay.platform.decision;

import io.iotpay.foundation.money.Money;
import io.iotpay.platform.identity.DeviceId;
import java.util.regex.Pattern;

/**
 * A request to pay, from a rule or from a device.
 *
 * @param key the idempotency key (device + counter), never null
 * @param merchantId whom to pay, 1..64 of [A-Za-z0-9-]
 * @param amount never null
 * @param origin the rule's name or {@code device-request}; 1..64 of [A-Za-z0-9.-]
 * @param reference what is paid (a bill id, a fuel pump session), 0..64 printable ASCII; never null
 * @param confirmedOnDevice the user confirmed this amount on the device itself (the car's head unit)
 * @param userConfirmationRequired the rule wants the user's approval in their app whatever the amount
 */
public record PaymentIntent(
    IdempotencyKey key, String merchantId, Money amount, String origin, String reference,
    boolean confirmedOnDevice, boolean userConfirmationRequired) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final Pattern DOTTED_ID = Pattern.compile("[A-Za-z0-9.-]{1,64}");
  private static final Pattern PRINTABLE_UP_TO_64 = Pattern.compile("[\\x20-\\x7E]{0,64}");
  public static final String DEVICE_REQUEST = "device-request";

  /** @throws DecisionInputException for a missing or malformed field */
  public PaymentIntent {
    if (key == null || amount == null) {
      throw new DecisionInputException("payment intent without an idempotency key or amount");
    }
    if (merchantId == null || !ID.matcher(merchantId).matches()) {
      throw new DecisionInputException("payment intent " + key + ": merchant id is not 1..64 of A-Z a-z 0-9 -");
    }
    if (origin == null || !DOTTED_ID.matcher(origin).matches()) {
      throw new DecisionInputException("payment intent " + key + ": origin is not 1..64 of A-Z a-z 0-9 . -");
    }
    if (reference == null || !PRINTABLE_UP_TO_64.matcher(reference).matches()) {
      throw new DecisionInputException("payment intent " + key + ": reference is not 0..64 printable ASCII characters");
    }
  }

  public DeviceId deviceId() {
    return key.deviceId();
  }
}

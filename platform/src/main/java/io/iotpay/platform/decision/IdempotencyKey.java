package io.iotpay.platform.decision;

import io.iotpay.platform.identity.DeviceId;


/**
 * What makes a payment unique: the device and the chip counter of the message that asked for it (or
 * of the event that triggered its rule). Redeliveries carry the same counter, so they map to the
 * same decision and never to a second payment.
 *
 * @param deviceId never null
 * @param counter ≥ 0
 */
public record IdempotencyKey(DeviceId deviceId, long counter) {
  /** @throws DecisionInputException when the device is missing or the counter negative */
  public IdempotencyKey {
    if (deviceId == null) {
      throw new DecisionInputException("idempotency key without a device id");
    }
    if (counter < 0) {
      throw new DecisionInputException("idempotency key of " + deviceId + ": counter " + counter + " is negative");
    }
  }

  /** {@code deviceId:counter}, the payment id used for mandate usage and logs. */
  public String text() {
    return deviceId.value() + ":" + counter;
  }

  @Override
  public String toString() {
    return text();
  }
}

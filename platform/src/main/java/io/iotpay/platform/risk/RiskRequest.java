package io.iotpay.platform.risk;

import io.iotpay.foundation.money.Money;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.state.GeoPoint;
import java.util.Objects;

/**
 * What risk needs to know about one payment.
 *
 * @param deviceId never null
 * @param counter the chip counter of the message that asked for the payment (or triggered its rule), ≥ 0
 * @param amount never null
 * @param merchantLocation the merchant's place, or null when it has none
 */
public record RiskRequest(DeviceId deviceId, long counter, Money amount, GeoPoint merchantLocation) {
  public RiskRequest {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(amount, "amount");
  }
}

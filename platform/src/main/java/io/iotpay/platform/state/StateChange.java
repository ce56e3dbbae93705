package io.iotpay.platform.state;

import io.iotpay.platform.identity.DeviceId;
import java.time.Instant;

/**
 * One change of a device's state, as published to {@link StateListener}s.
 *
 * @param kind never null
 * @param before the state before, or null for {@link StateChangeKind#FIRST_SEEN}
 * @param after the state after, never null
 * @param at business time of the change, never null
 * @param detail a short human-readable explanation (never a secret), never null
 */
public record StateChange(StateChangeKind kind, DeviceState before, DeviceState after, Instant at, String detail) {
  public DeviceId deviceId() {
    return after.deviceId();
  }
}

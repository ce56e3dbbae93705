package io.iotpay.platform.operator;

import io.iotpay.platform.identity.DeviceId;

/**
 * The CoAP door's pre-shared key of a device (derived from the node's PSK master key, never stored),
 * handed over once, in the answer to the device's registration: the operator's authenticated
 * channel is how a PSK device gets it.
 */
@FunctionalInterface
public interface DevicePsks {
  /** @return the device's PSK (a fresh array the caller may clear) */
  byte[] pskOf(DeviceId device);
}

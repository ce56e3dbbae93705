package io.iotpay.platform.state;

/**
 * Told about every state change, in the order the registry made them for one device. Runs on the
 * caller's thread while the device's state is locked: keep it short (hand off to a queue if needed),
 * and never call back into the registry for the same device.
 */
@FunctionalInterface
public interface StateListener {
  void changed(StateChange change);
}

package io.iotpay.platform.state;

/** Whether the platform currently hears from a device. */
public enum Connectivity {
  /** A connect, heartbeat or message arrived within the heartbeat timeout. */
  ONLINE,
  /** The last will was published, the device disconnected, or it fell silent past the heartbeat timeout. */
  OFFLINE
}

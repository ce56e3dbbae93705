package io.iotpay.agent.sdk;

/**
 * The device's monotonic message counter: every sealed message takes the next value, never reused,
 * even across restarts (the platform refuses any counter not greater than the last it accepted).
 * On a device with a secure chip the chip's counter backs this interface.
 */
public interface MessageCounter {
  /**
   * The next value, strictly greater than every value returned before; persisted before it is
   * returned.
   *
   * @throws IllegalStateException when the counter is exhausted or cannot be persisted
   */
  long next();
}

package io.iotpay.foundation;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a condition another thread or process makes true, where no notification exists to
 * wait on (a counter kept by a broker, an event a server reports): checks it, then again after a
 * short pause, until it holds or the deadline passes. The one place the project polls.
 */
public final class Conditions {
  /** Pause between checks. */
  private static final long PAUSE_NANOS = 5_000_000L;

  private Conditions() {}

  /**
   * @return true as soon as {@code condition} holds; false when {@code timeout} passed first or the
   *     thread was interrupted (its interrupt flag is kept)
   */
  public static boolean await(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
        return condition.getAsBoolean();
      }
      LockSupport.parkNanos(PAUSE_NANOS);
    }
    return true;
  }
}

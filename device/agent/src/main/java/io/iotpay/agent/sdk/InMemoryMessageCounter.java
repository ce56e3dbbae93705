package io.iotpay.agent.sdk;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A counter in memory only, for simulators and tests: a restarted simulator must start above the
 * last value the platform accepted (pass it to the constructor), or its messages are refused.
 */
public final class InMemoryMessageCounter implements MessageCounter {
  private final AtomicLong last;

  /** @param lastUsed the last value used; the first {@link #next()} returns {@code lastUsed + 1} */
  public InMemoryMessageCounter(long lastUsed) {
    if (lastUsed < 0) {
      throw new IllegalArgumentException("lastUsed " + lastUsed + " is negative");
    }
    this.last = new AtomicLong(lastUsed);
  }

  @Override
  public long next() {
    long value = last.incrementAndGet();
    if (value < 0) {
      throw new IllegalStateException("message counter exhausted");
    }
    return value;
  }
}

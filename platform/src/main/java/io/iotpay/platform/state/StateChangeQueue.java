package io.iotpay.platform.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded queue of state changes for consumers on other threads (dashboards, the rule engine's
 * worker, an event bus). As a {@link StateListener} it never blocks the registry: when full, the
 * change is dropped and counted, because a slow consumer must not stall device traffic; a consumer
 * that sees {@link #dropped()} grow re-reads {@link DeviceStateRegistry#states()}.
 */
public final class StateChangeQueue implements StateListener {
  /** Largest capacity accepted: a bound on memory. */
  public static final int CAPACITY_MAX = 1_000_000;

  private final ArrayBlockingQueue<StateChange> queue;
  private final AtomicLong dropped = new AtomicLong();

  /** @throws StateInputException when the capacity is outside 1..{@value #CAPACITY_MAX} */
  public StateChangeQueue(int capacity) {
    if (capacity < 1 || capacity > CAPACITY_MAX) {
      throw new StateInputException("state change queue capacity " + capacity + " outside 1.." + CAPACITY_MAX);
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  @Override
  public void changed(StateChange change) {
    if (!queue.offer(change)) {
      dropped.incrementAndGet();
    }
  }

  /** The oldest change, waiting up to {@code timeout}; empty when none arrived in time. */
  public Optional<StateChange> poll(Duration timeout) throws InterruptedException {
    return Optional.ofNullable(queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
  }

  /** Takes up to {@code max} changes without waiting, oldest first. */
  public List<StateChange> drain(int max) {
    List<StateChange> out = new ArrayList<>(Math.min(max, queue.size()));
    queue.drainTo(out, max);
    return out;
  }

  /** Changes dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }
}

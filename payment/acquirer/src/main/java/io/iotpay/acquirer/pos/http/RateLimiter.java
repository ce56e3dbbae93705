package io.iotpay.acquirer.pos.http;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * At most {@code perMinuteMax} anonymous registrations per client address in each fixed one-minute
 * window, remembering at most {@code clientsMax} addresses (expired windows are dropped first; when
 * still full, a new address is refused: the limiter fails closed rather than forgetting abusers).
 */
final class RateLimiter {
  private static final long WINDOW_NANOS = 60_000_000_000L;

  private record Window(long startNanos, int count) {}

  private final int perMinuteMax;
  private final int clientsMax;
  private final LongSupplier nanoTime;
  private final Map<String, Window> windows = new HashMap<>();

  RateLimiter(int perMinuteMax, int clientsMax, LongSupplier nanoTime) {
    this.perMinuteMax = perMinuteMax;
    this.clientsMax = clientsMax;
    this.nanoTime = nanoTime;
  }

  /** Counts one attempt. @return true when the client is within its limit */
  synchronized boolean tryAcquire(String client) {
    long now = nanoTime.getAsLong();
    Window window = windows.get(client);
    if (window == null || now - window.startNanos() >= WINDOW_NANOS) {
      if (window == null && windows.size() >= clientsMax && !evictExpired(now)) {
        return false;
      }
      windows.put(client, new Window(now, 1));
      return true;
    }
    if (window.count() >= perMinuteMax) {
      return false;
    }
    windows.put(client, new Window(window.startNanos(), window.count() + 1));
    return true;
  }

  private boolean evictExpired(long now) {
    Iterator<Window> it = windows.values().iterator();
    while (it.hasNext()) {
      if (now - it.next().startNanos() >= WINDOW_NANOS) {
        it.remove();
      }
    }
    return windows.size() < clientsMax;
  }
}

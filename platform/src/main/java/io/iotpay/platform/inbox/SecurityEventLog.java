package io.iotpay.platform.inbox;

import io.iotpay.protocol.device.RefusalReason;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every refused device message, counted by reason, the latest {@code retained} kept for the operator.
 * Bounded whatever a flood of junk sends: a ring of events and one counter per reason. Each refusal
 * is logged at WARN, at most {@code logPerSecondMax} lines a second (the counters keep the rest).
 * Thread-safe.
 */
public final class SecurityEventLog {
  private static final Logger LOG = LoggerFactory.getLogger(SecurityEventLog.class);

  private final int retained;
  private final int logPerSecondMax;
  private final ArrayDeque<SecurityEvent> latest = new ArrayDeque<>();
  private final Map<RefusalReason, Long> counts = new EnumMap<>(RefusalReason.class);
  private long logSecond = Long.MIN_VALUE;
  private int loggedThisSecond;
  private long unlogged;

  /**
   * @param retained how many of the latest events to keep, 1..1,000,000
   * @param logPerSecondMax WARN lines per second at most, ≥ 0
   */
  public SecurityEventLog(int retained, int logPerSecondMax) {
    if (retained < 1 || retained > 1_000_000 || logPerSecondMax < 0) {
      throw new IllegalArgumentException("security log: retained " + retained + " outside 1..1000000 or negative log rate");
    }
    this.retained = retained;
    this.logPerSecondMax = logPerSecondMax;
  }

  public synchronized void record(SecurityEvent event) {
    counts.merge(event.reason(), 1L, Long::sum);
    if (latest.size() == retained) {
      latest.removeFirst();
    }
    latest.addLast(event);
    long second = System.nanoTime() / 1_000_000_000L;
    if (second != logSecond) {
      if (unlogged > 0) {
        LOG.warn("{} more device messages refused without a log line (see the security counters)", unlogged);
      }
      logSecond = second;
      loggedThisSecond = 0;
      unlogged = 0;
    }
    if (loggedThisSecond < logPerSecondMax) {
      loggedThisSecond++;
      LOG.warn("Device message refused [transport={}, channel={}, reason={}, detail={}]", event.transport(),
          event.channelDevice(), event.reason(), event.detail());
    } else {
      unlogged++;
    }
  }

  /** Refusals so far, by reason (reasons never seen are absent). */
  public synchronized Map<RefusalReason, Long> counts() {
    Map<RefusalReason, Long> copy = new EnumMap<>(RefusalReason.class);
    copy.putAll(counts);
    return copy;
  }

  /** Refusals so far, all reasons. */
  public synchronized long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The latest retained events, oldest first. */
  public synchronized List<SecurityEvent> latest() {
    return new ArrayList<>(latest);
  }
}

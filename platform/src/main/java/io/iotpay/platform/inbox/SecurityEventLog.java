package io.iotpay.platform.inbox;

import io.iotpay.protocol.device.RefusalReason;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every refusal at the platform's doors — device messages, MQTT CONNECTs, DTLS handshakes — counted by
 * door and reason, the latest {@code retained} kept for the operator ({@code GET /operator/refusals}).
 * Bounded whatever a flood of junk sends: a ring of events and one counter per door and reason (the
 * reasons are codes from fixed tables). Each refusal is logged once at WARN, at most
 * {@code logPerSecondMax} lines a second (the counters keep the rest). Thread-safe.
 */
public final class SecurityEventLog {
  private static final Logger LOG = LoggerFactory.getLogger(SecurityEventLog.class);

  private final int retained;
  private final int logPerSecondMax;
  private final ArrayDeque<SecurityEvent> latest = new ArrayDeque<>();
  private final Map<RefusalReason, Long> counts = new EnumMap<>(RefusalReason.class);
  private final Map<DoorReason, Long> doorCounts = new TreeMap<>();
  private final List<Consumer<DoorReason>> firstSeenListeners = new CopyOnWriteArrayList<>();
  private long sequence;
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

  /** A door and a reason: the labels of one refusal counter. */
  public record DoorReason(Transport door, String reason) implements Comparable<DoorReason> {
    @Override
    public int compareTo(DoorReason other) {
      int byDoor = door.compareTo(other.door);
      return byDoor != 0 ? byDoor : reason.compareTo(other.reason);
    }
  }

  /** Which refusals to list: each filter null for any; {@code after} is a sequence number (0 for the oldest). */
  public record Query(Transport door, String reason, Instant since, long after, int limit) {
    public static final int LIMIT_MAX = 1_000;

    public Query {
      io.iotpay.foundation.Assert.that(limit >= 1 && limit <= LIMIT_MAX, "refusal query limit {} outside 1..{}", limit, LIMIT_MAX);
      io.iotpay.foundation.Assert.that(after >= 0, "refusal query after {} is negative", after);
    }
  }

  /** One page of refusals, oldest first; {@code next} is the {@code after} of the next page, or 0 when this is the last. */
  public record Page(List<SecurityEvent> events, long next) {}

  /** Records one refusal of a device message (counted in {@link #counts} too). */
  public void record(Instant at, Transport transport, String channelDevice, RefusalReason reason, String detail) {
    record(new SecurityEvent(at, transport, channelDevice, reason.name(), detail), reason);
  }

  /** Tells {@code listener} each door and reason the first time it is refused (e.g. to register a metric). */
  public void onFirstSeen(Consumer<DoorReason> listener) {
    firstSeenListeners.add(listener);
  }

  /** Records one refusal of a connection (an MQTT CONNECT, a DTLS handshake): not a message, so not in {@link #counts}. */
  public void record(SecurityEvent unnumbered) {
    record(unnumbered, null);
  }

  private void record(SecurityEvent unnumbered, RefusalReason messageReason) {
    DoorReason firstSeen = add(unnumbered, messageReason);
    if (firstSeen != null) {
      for (Consumer<DoorReason> listener : firstSeenListeners) {
        listener.accept(firstSeen);
      }
    }
  }

  private synchronized DoorReason add(SecurityEvent unnumbered, RefusalReason messageReason) {
    SecurityEvent event = unnumbered.numbered(++sequence);
    if (messageReason != null) {
      counts.merge(messageReason, 1L, Long::sum);
    }
    DoorReason key = new DoorReason(event.transport(), event.reason());
    boolean first = doorCounts.merge(key, 1L, Long::sum) == 1L;
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
      LOG.warn("Refused at the door [door={}, channel={}, reason={}, detail={}]", event.transport(),
          event.channelDevice(), event.reason(), event.detail());
    } else {
      unlogged++;
    }
    return first ? key : null;
  }

  /** Refusals so far by door and reason (pairs never seen are absent). */
  public synchronized Map<DoorReason, Long> doorCounts() {
    return new TreeMap<>(doorCounts);
  }

  /** Refusals so far of one door and reason. */
  public synchronized long count(DoorReason key) {
    return doorCounts.getOrDefault(key, 0L);
  }

  /** The retained refusals that match {@code query}, oldest first, at most {@code limit}. */
  public synchronized Page page(Query query) {
    List<SecurityEvent> out = new ArrayList<>(Math.min(query.limit(), latest.size()));
    for (SecurityEvent event : latest) {
      if (event.sequence() <= query.after()
          || (query.door() != null && event.transport() != query.door())
          || (query.reason() != null && !event.reason().equals(query.reason()))
          || (query.since() != null && event.at().isBefore(query.since()))) {
        continue;
      }
      if (out.size() == query.limit()) {
        return new Page(out, out.get(out.size() - 1).sequence());
      }
      out.add(event);
    }
    return new Page(out, 0);
  }

  /** Refusals so far, by reason (reasons never seen are absent). */
  public synchronized Map<RefusalReason, Long> counts() {
    Map<RefusalReason, Long> copy = new EnumMap<>(RefusalReason.class);
    copy.putAll(counts);
    return copy;
  }

  /** Refused device messages so far, all reasons (connections refused are in {@link #doorCounts}). */
  public synchronized long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The latest retained events, oldest first. */
  public synchronized List<SecurityEvent> latest() {
    return new ArrayList<>(latest);
  }
}

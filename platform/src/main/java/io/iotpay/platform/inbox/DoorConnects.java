package io.iotpay.platform.inbox;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connections the doors accepted since start, by door: MQTT CONNECTs the broker let in and DTLS
 * handshakes that completed (each reported as {@link DeviceInbox.ConnectivityEvent#CONNECTED}). The
 * refused ones are in the {@link SecurityEventLog}. HTTP devices do not connect (each request stands
 * alone), so the HTTP door has no count. Thread-safe.
 */
public final class DoorConnects {
  /** The doors that report connections. */
  public static final java.util.List<Transport> DOORS = java.util.List.of(Transport.MQTT, Transport.COAP);

  private final Map<Transport, LongAdder> counts = new EnumMap<>(Transport.class);

  public DoorConnects() {
    DOORS.forEach(door -> counts.put(door, new LongAdder()));
  }

  /** Counts one accepted connection at {@code door}; a door outside {@link #DOORS} is not counted. */
  void connected(Transport door) {
    LongAdder count = counts.get(door);
    if (count != null) {
      count.increment();
    }
  }

  /** Connections accepted at {@code door} so far; 0 for a door outside {@link #DOORS}. */
  public long count(Transport door) {
    LongAdder count = counts.get(door);
    return count == null ? 0 : count.sum();
  }
}

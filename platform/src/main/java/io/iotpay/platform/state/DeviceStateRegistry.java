package io.iotpay.platform.state;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.platform.identity.DeviceId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real-time state of every device: fed with {@link DeviceObservation}s by the access layer, read
 * lock-free by risk ({@link #state}), and publishing every change to {@link StateListener}s.
 *
 * <p>Counters: a message counter above the highest advances it; equal to it is a redelivery (QoS 1,
 * CoAP retransmission); below it is a regression (counted, never clone evidence: the access layer shows
 * only accepted messages, and a replay proves nothing about who holds the key).
 *
 * <p>Clone suspicion (two holders of one key) needs evidence an attacker without the key cannot make:
 * fresh, accepted counters from two places that interleave (place A, then B, then A again, all within
 * {@code clonePlaceWindowMs}), or travel faster than {@code travelSpeedKmhMax} between two signed
 * positions. Several sessions of one device from one place (HTTP keep-alive connections, reconnects)
 * are normal. The suspicion, with its evidence, stays until an operator clears or confirms it.
 *
 * <p>Thread-safe: changes for one device are serialised (per-device lock); reads never lock.
 */
public final class DeviceStateRegistry {
  private final BusinessClock clock;
  private final DeviceStateConfig config;
  private final ConcurrentHashMap<DeviceId, Slot> slots = new ConcurrentHashMap<>();
  private final List<StateListener> listeners = new CopyOnWriteArrayList<>();

  /** One device: the published state and its latest fresh messages (for clone detection). */
  private static final class Slot {
    volatile DeviceState state;
    final Deque<Fresh> recent = new ArrayDeque<>();
  }

  /** A fresh (counter-advancing) message: where it came from, when, and its counter. */
  private record Fresh(String place, Instant at, long counter) {}

  /** @param clock business time, for offline detection; never null */
  public DeviceStateRegistry(BusinessClock clock, DeviceStateConfig config) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Adds a listener told about every later change. */
  public void addListener(StateListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The device's current state; empty if it was never observed. Lock-free. */
  public Optional<DeviceState> state(DeviceId deviceId) {
    Slot slot = slots.get(deviceId);
    return slot == null ? Optional.empty() : Optional.of(slot.state);
  }

  /** A snapshot of every device's state, in no particular order. */
  public List<DeviceState> states() {
    List<DeviceState> out = new ArrayList<>(slots.size());
    for (Slot slot : slots.values()) {
      out.add(slot.state);
    }
    return out;
  }

  /** Devices tracked. */
  public int size() {
    return slots.size();
  }

  /** Whether the device is offline and has been silent longer than {@code offlineTooLongMs} at business time now. */
  public boolean offlineTooLong(DeviceState state) {
    return state.connectivity() == Connectivity.OFFLINE
        && state.silentFor(clock.now()).compareTo(Duration.ofMillis(config.offlineTooLongMs())) > 0;
  }

  public DeviceStateConfig config() {
    return config;
  }

  /**
   * Applies one observation and publishes what changed.
   *
   * @return the changes, in order (empty when nothing changed)
   * @throws StateInputException when a new device would exceed {@code devicesMax}
   */
  public List<StateChange> observe(DeviceObservation observation) {
    Objects.requireNonNull(observation, "observation");
    List<StateChange> changes = new ArrayList<>(2);
    Slot slot = slotFor(observation, changes);
    synchronized (slot) {
      DeviceState before = slot.state;
      DeviceState after = switch (observation) {
        case DeviceObservation.Connected c -> connected(slot, before, c, changes);
        case DeviceObservation.Heartbeat h -> seen(before, h.at(), changes);
        case DeviceObservation.LastWill w -> lastWill(before, w, changes);
        case DeviceObservation.Message m -> message(slot, seen(before, m.at(), changes), m, changes);
        case DeviceObservation.FirmwareReported f -> firmware(seen(before, f.at(), changes), f, changes);
        case DeviceObservation.TamperReported t -> tamper(seen(before, t.at(), changes), t, changes);
        case DeviceObservation.LocationReported l -> location(seen(before, l.at(), changes), l, changes);
      };
      slot.state = after;
      publish(changes);
    }
    return changes;
  }

  /**
   * Marks silent devices offline (past {@code heartbeatTimeoutMs}) and reports, once per offline
   * spell, those offline past {@code offlineTooLongMs}, at business time now. Call it periodically.
   *
   * @return the changes it made
   */
  public List<StateChange> sweep() {
    Instant now = clock.now();
    List<StateChange> all = new ArrayList<>();
    for (Slot slot : slots.values()) {
      synchronized (slot) {
        List<StateChange> changes = new ArrayList<>(2);
        DeviceState state = slot.state;
        if (state.connectivity() == Connectivity.ONLINE
            && state.silentFor(now).toMillis() > config.heartbeatTimeoutMs()) {
          DeviceState offline = new DeviceState(state.deviceId(), Connectivity.OFFLINE, state.lastSeen(), state.firmware(),
              state.tampered(), state.location(), state.locationAt(), state.highestCounter(), state.highestCounterSession(),
              state.currentSession(), state.messagesReceived(), state.duplicatesReceived(), state.counterRegressions(),
              state.cloneSuspicion(), false);
          changes.add(new StateChange(StateChangeKind.WENT_OFFLINE, state, offline, now,
              "silent for " + state.silentFor(now).toMillis() + " ms"));
          state = offline;
        }
        if (!state.offlineTooLongReported() && offlineTooLong(state)) {
          DeviceState reported = state.withOfflineTooLongReported();
          changes.add(new StateChange(StateChangeKind.OFFLINE_TOO_LONG, state, reported, now,
              "offline for " + state.silentFor(now).toMillis() + " ms"));
          state = reported;
        }
        slot.state = state;
        publish(changes);
        all.addAll(changes);
      }
    }
    return all;
  }

  /**
   * Clears a clone suspicion after an operator investigated it (e.g. the real device was re-keyed).
   *
   * @return whether there was a suspicion to clear
   */
  public boolean clearCloneSuspicion(DeviceId deviceId) {
    Slot slot = slots.get(deviceId);
    if (slot == null) {
      return false;
    }
    synchronized (slot) {
      DeviceState before = slot.state;
      if (before.cloneSuspicion() == null) {
        return false;
      }
      slot.state = before.withCloneSuspicion(null);
      slot.recent.clear();
      publish(List.of(new StateChange(StateChangeKind.CLONE_SUSPICION_CLEARED, before, slot.state, clock.now(), "cleared by operator")));
      return true;
    }
  }

  private Slot slotFor(DeviceObservation observation, List<StateChange> changes) {
    Slot existing = slots.get(observation.deviceId());
    if (existing != null) {
      return existing;
    }
    if (slots.size() >= config.devicesMax()) {
      throw new StateInputException("device " + observation.deviceId() + ": registry full (devicesMax " + config.devicesMax() + ")");
    }
    return slots.computeIfAbsent(observation.deviceId(), id -> {
      Slot slot = new Slot();
      slot.state = DeviceState.first(id, observation.at());
      changes.add(new StateChange(StateChangeKind.FIRST_SEEN, null, slot.state, observation.at(), "first observation"));
      return slot;
    });
  }

  private DeviceState seen(DeviceState before, Instant at, List<StateChange> changes) {
    // An observation delivered late must not move last-seen backwards.
    Instant lastSeen = at.isAfter(before.lastSeen()) ? at : before.lastSeen();
    DeviceState after = before.withConnectivity(Connectivity.ONLINE, lastSeen);
    if (before.connectivity() == Connectivity.OFFLINE) {
      changes.add(new StateChange(StateChangeKind.CAME_ONLINE, before, after, at, "heard from again"));
    }
    return after;
  }

  private DeviceState connected(Slot slot, DeviceState before, DeviceObservation.Connected c, List<StateChange> changes) {
    DeviceState state = seen(before, c.at(), changes);
    return enterSession(state, c.sessionId(), c.at(), changes);
  }

  private DeviceState lastWill(DeviceState before, DeviceObservation.LastWill w, List<StateChange> changes) {
    if (before.connectivity() == Connectivity.OFFLINE) {
      return before;
    }
    DeviceState after = before.withConnectivity(Connectivity.OFFLINE, before.lastSeen());
    changes.add(new StateChange(StateChangeKind.WENT_OFFLINE, before, after, w.at(), "last will"));
    return after;
  }

  private DeviceState enterSession(DeviceState state, String session, Instant at, List<StateChange> changes) {
    if (session.equals(state.currentSession())) {
      return state;
    }
    DeviceState after = state.withSession(session);
    changes.add(new StateChange(StateChangeKind.SESSION_STARTED, state, after, at, "session " + session));
    return after;
  }

  private DeviceState message(Slot slot, DeviceState seen, DeviceObservation.Message m, List<StateChange> changes) {
    DeviceState state = enterSession(seen, m.sessionId(), m.at(), changes);
    long messages = state.messagesReceived() + 1;
    if (m.counter() > state.highestCounter()) {
      DeviceState after = state.withCounters(m.counter(), m.sessionId(), state.currentSession(), messages,
          state.duplicatesReceived(), state.counterRegressions());
      changes.add(new StateChange(StateChangeKind.COUNTER_ADVANCED, state, after, m.at(), "counter " + m.counter()));
      String evidence = interleavedPlaces(slot, new Fresh(m.place(), m.at(), m.counter()));
      return evidence == null ? after : suspectClone(after, m.at(), evidence, changes);
    }
    if (m.counter() == state.highestCounter()) {
      DeviceState after = state.withCounters(state.highestCounter(), state.highestCounterSession(), state.currentSession(),
          messages, state.duplicatesReceived() + 1, state.counterRegressions());
      changes.add(new StateChange(StateChangeKind.DUPLICATE_MESSAGE, state, after, m.at(), "counter " + m.counter() + " again"));
      return after;
    }
    DeviceState after = state.withCounters(state.highestCounter(), state.highestCounterSession(), state.currentSession(),
        messages, state.duplicatesReceived(), state.counterRegressions() + 1);
    changes.add(new StateChange(StateChangeKind.COUNTER_REGRESSED, state, after, m.at(),
        "counter " + m.counter() + " below highest " + state.highestCounter()));
    return after;
  }

  /**
   * Remembers {@code now} and answers the evidence when it shows two places at once: the device's
   * previous fresh message came from another place, and an earlier one from this place, within the
   * window (A, B, A). A device that moves from A to B and stays is not flagged; one that is at A and B
   * at the same time, with fresh counters from both, is.
   *
   * @return the evidence (what, when, from where), or null
   */
  private String interleavedPlaces(Slot slot, Fresh now) {
    Fresh other = null;
    Fresh before = null;
    for (var it = slot.recent.descendingIterator(); it.hasNext(); ) {
      Fresh f = it.next();
      if (Duration.between(f.at(), now.at()).toMillis() > config.clonePlaceWindowMs()) {
        break;
      }
      if (!f.place().equals(now.place())) {
        other = other == null ? f : other;
      } else {
        before = other == null ? null : f;
        break;
      }
    }
    slot.recent.addLast(now);
    while (slot.recent.size() > config.sessionsRememberedMax()) {
      slot.recent.removeFirst();
    }
    if (before == null) {
      return null;
    }
    return "fresh counters from two places within " + config.clonePlaceWindowMs() + " ms (interleaved places): counter "
        + before.counter() + " from " + before.place() + " at " + before.at() + ", counter " + other.counter() + " from "
        + other.place() + " at " + other.at() + ", counter " + now.counter() + " from " + now.place() + " at " + now.at();
  }

  private DeviceState firmware(DeviceState state, DeviceObservation.FirmwareReported f, List<StateChange> changes) {
    if (f.version().equals(state.firmware())) {
      return state;
    }
    DeviceState after = state.withFirmware(f.version());
    changes.add(new StateChange(StateChangeKind.FIRMWARE_CHANGED, state, after, f.at(), "firmware " + f.version()));
    return after;
  }

  private DeviceState tamper(DeviceState state, DeviceObservation.TamperReported t, List<StateChange> changes) {
    if (t.tampered() == state.tampered()) {
      return state;
    }
    DeviceState after = state.withTampered(t.tampered());
    StateChangeKind kind = t.tampered() ? StateChangeKind.TAMPER_SET : StateChangeKind.TAMPER_CLEARED;
    changes.add(new StateChange(kind, state, after, t.at(), kind == StateChangeKind.TAMPER_SET ? "tamper reported" : "tamper cleared"));
    return after;
  }

  private DeviceState location(DeviceState state, DeviceObservation.LocationReported l, List<StateChange> changes) {
    if (state.locationAt() != null && !l.at().isAfter(state.locationAt())) {
      return state; // an older position delivered late says nothing new
    }
    DeviceState after = state.withLocation(l.location(), l.at());
    changes.add(new StateChange(StateChangeKind.LOCATION_CHANGED, state, after, l.at(), "position reported"));
    if (state.location() == null) {
      return after;
    }
    double metres = state.location().distanceMetresTo(l.location());
    long elapsedMs = Math.max(1, Duration.between(state.locationAt(), l.at()).toMillis());
    // km/h = (m / 1000) / (ms / 3,600,000)
    double speedKmh = metres * 3_600.0 / elapsedMs;
    if (speedKmh > config.travelSpeedKmhMax()) {
      return suspectClone(after, l.at(), String.format(Locale.ROOT,
          "moved %.0f m in %d ms (%.0f km/h > %d km/h: impossible travel)", metres, elapsedMs, speedKmh, config.travelSpeedKmhMax()), changes);
    }
    return after;
  }

  private DeviceState suspectClone(DeviceState state, Instant at, String reason, List<StateChange> changes) {
    if (state.cloneSuspicion() != null) {
      return state;
    }
    DeviceState after = state.withCloneSuspicion(reason);
    changes.add(new StateChange(StateChangeKind.CLONE_SUSPECTED, state, after, at, reason));
    return after;
  }

  private void publish(List<StateChange> changes) {
    for (StateChange change : changes) {
      Assert.that(change.after() != null, "state change without an after state [kind={}]", change.kind());
      for (StateListener listener : listeners) {
        listener.changed(change);
      }
    }
  }
}

package io.iotpay.platform.state;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.platform.identity.DeviceId;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Durable when {@link #open opened} on a database: each suspicion, each evidence row added to it
 * (at most {@code cloneEvidenceRowsMax} per device) and each verdict is written before the registry
 * shows it, and the suspicions in force are loaded at start, so a restart neither forgets a suspicion
 * nor brings back a cleared one. If the database refuses a new suspicion's write, the suspicion still
 * holds in memory (payments stay declined) and the write is tried again at the device's next
 * observation.
 *
 * <p>Thread-safe: changes for one device are serialised (per-device lock); reads never lock.
 */
public final class DeviceStateRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceStateRegistry.class);

  private final BusinessClock clock;
  private final DeviceStateConfig config;
  /** Where clone suspicions are kept; null: in memory only. */
  private final CloneStore store;
  private final ConcurrentHashMap<DeviceId, Slot> slots = new ConcurrentHashMap<>();
  private final List<StateListener> listeners = new CopyOnWriteArrayList<>();

  /** One device: the published state, its latest fresh messages (for clone detection) and its clone suspicion. */
  private static final class Slot {
    volatile DeviceState state;
    final Deque<Fresh> recent = new ArrayDeque<>();
    /** The suspicion in force (suspected or confirmed), or null. */
    volatile CloneSuspicion suspicion;
    /** The first evidence row of {@link #suspicion} not yet stored; -1 when everything is stored. */
    int unsavedFrom = -1;
    /** The newest conflicting observation already kept or counted (null: the newest evidence row). */
    CloneEvidence newestConsidered;
  }

  /** Observations in the order they were made (a device's fresh counters grow; positions are kept only when newer). */
  private static final Comparator<CloneEvidence> OLDEST_FIRST =
      Comparator.comparing(CloneEvidence::at).thenComparingLong(CloneEvidence::counter);

  /** A fresh (counter-advancing) message: where it came from, over which session, when, and its counter. */
  private record Fresh(String place, String session, Instant at, long counter) {
    CloneEvidence evidence() {
      return new CloneEvidence(CloneEvidence.Kind.MESSAGE, at, place, session, counter);
    }
  }

  /**
   * A registry in memory only: a restart forgets every clone suspicion (tests, benchmarks).
   *
   * @param clock business time, for offline detection; never null
   */
  public DeviceStateRegistry(BusinessClock clock, DeviceStateConfig config) {
    this(clock, config, null);
  }

  private DeviceStateRegistry(BusinessClock clock, DeviceStateConfig config, CloneStore store) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.config = Objects.requireNonNull(config, "config");
    this.store = store;
  }

  /**
   * A registry that keeps clone suspicions, their evidence and the operator's verdicts in
   * {@code database} (tables {@code platform_clone_suspicion} and {@code platform_clone_evidence},
   * migrated here), with the suspicions in force loaded: each such device starts offline, last seen
   * when it was suspected, with its suspicion.
   *
   * @throws StateStoreException when the tables cannot be read
   * @throws StateInputException when more devices are suspected than {@code devicesMax}, or a stored row is malformed
   */
  public static DeviceStateRegistry open(Database database, BusinessClock clock, DeviceStateConfig config) {
    DeviceStateRegistry registry = new DeviceStateRegistry(clock, config, new CloneStore(Objects.requireNonNull(database, "database")));
    List<CloneSuspicion> loaded;
    try {
      loaded = registry.store.inForce();
    } catch (SQLException e) {
      throw new StateStoreException("the clone suspicions could not be read", e);
    }
    if (loaded.size() > config.devicesMax()) {
      throw new StateInputException(loaded.size() + " devices are suspected of a clone, more than devicesMax " + config.devicesMax());
    }
    for (CloneSuspicion suspicion : loaded) {
      Slot slot = new Slot();
      slot.state = DeviceState.restored(suspicion.deviceId(), suspicion.suspectedAt(), suspicion.summary());
      slot.suspicion = suspicion;
      registry.slots.put(suspicion.deviceId(), slot);
    }
    if (!loaded.isEmpty()) {
      LOG.warn("Clone suspicions loaded [inForce={}]", loaded.size());
    }
    return registry;
  }

  /** The device's clone suspicion in force (suspected, or confirmed), with its evidence; empty when there is none. Lock-free. */
  public Optional<CloneSuspicion> cloneSuspicion(DeviceId deviceId) {
    Slot slot = slots.get(deviceId);
    return slot == null ? Optional.empty() : Optional.ofNullable(slot.suspicion);
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
        case DeviceObservation.LocationReported l -> location(slot, seen(before, l.at(), changes), l, changes);
      };
      storeSuspicion(slot);
      slot.state = after;
      publish(changes);
    }
    return changes;
  }

  /** Writes what is new of the slot's suspicion, before anyone sees it; on failure it holds in memory and is written next time. */
  private void storeSuspicion(Slot slot) {
    if (store == null || slot.unsavedFrom < 0) {
      return;
    }
    CloneSuspicion suspicion = slot.suspicion;
    try {
      store.save(suspicion, slot.unsavedFrom);
      slot.unsavedFrom = -1;
    } catch (SQLException e) {
      LOG.error("Clone suspicion not stored; it holds in memory and is written again at the device's next observation [device={}]",
          suspicion.deviceId(), e);
    }
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
   * The operator's verdict that a suspicion is a false alarm (e.g. the real device was re-keyed):
   * written as CLEARED (when the registry has a database), then lifted, so payments are decided again
   * and a restart does not bring it back.
   *
   * @param reason the operator's reason, never blank
   * @param auditIndex the verdict's audit leaf, or null when the node records none
   * @return whether there was a suspicion (not a confirmed one) to clear
   * @throws StateStoreException when the verdict could not be stored (nothing changed)
   */
  public boolean clearCloneSuspicion(DeviceId deviceId, String reason, Long auditIndex) {
    return verdict(deviceId, CloneSuspicion.Status.CLEARED, reason, auditIndex);
  }

  /**
   * The operator's verdict that the key is in two hands: written as CONFIRMED (when the registry has
   * a database); the suspicion stays in force for good (the caller revokes the device).
   *
   * @param reason the operator's reason, never blank
   * @param auditIndex the verdict's audit leaf, or null when the node records none
   * @return whether there was a suspicion (not yet confirmed) to confirm
   * @throws StateStoreException when the verdict could not be stored (nothing changed)
   */
  public boolean confirmCloneSuspicion(DeviceId deviceId, String reason, Long auditIndex) {
    return verdict(deviceId, CloneSuspicion.Status.CONFIRMED, reason, auditIndex);
  }

  /** Stores the verdict, then applies it: a clearing lifts the suspicion, a confirmation keeps it in force for good. */
  private boolean verdict(DeviceId deviceId, CloneSuspicion.Status verdict, String reason, Long auditIndex) {
    Slot slot = slots.get(deviceId);
    if (slot == null) {
      return false;
    }
    synchronized (slot) {
      CloneSuspicion current = slot.suspicion;
      if (current == null || current.status() != CloneSuspicion.Status.SUSPECTED) {
        return false;
      }
      CloneSuspicion decided = current.withVerdict(verdict, clock.now(), reason, auditIndex);
      storeVerdict(slot, decided);
      if (verdict == CloneSuspicion.Status.CONFIRMED) {
        slot.suspicion = decided;
        return true;
      }
      DeviceState before = slot.state;
      slot.suspicion = null;
      slot.newestConsidered = null;
      slot.state = before.withCloneSuspicion(null);
      slot.recent.clear();
      publish(List.of(new StateChange(StateChangeKind.CLONE_SUSPICION_CLEARED, before, slot.state, clock.now(), "cleared by operator")));
      return true;
    }
  }

  /** Stores a verdict with any evidence not yet stored; @throws StateStoreException when it could not be (nothing changed) */
  private void storeVerdict(Slot slot, CloneSuspicion decided) {
    if (store == null) {
      return;
    }
    try {
      store.save(decided, slot.unsavedFrom < 0 ? decided.evidence().size() : slot.unsavedFrom);
      slot.unsavedFrom = -1;
    } catch (SQLException e) {
      throw new StateStoreException("the verdict on the clone suspicion of " + decided.deviceId() + " could not be stored; nothing changed",
          e);
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
      return interleavedPlaces(slot, after, new Fresh(m.place(), m.sessionId(), m.at(), m.counter()), changes);
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
   * Remembers {@code now} and suspects a clone when it shows two places at once: the device's
   * previous fresh message came from another place, and an earlier one from this place, within the
   * window (A, B, A). A device that moves from A to B and stays is not flagged; one that is at A and B
   * at the same time, with fresh counters from both, is. The evidence is the three messages (what,
   * when, from where).
   */
  private DeviceState interleavedPlaces(Slot slot, DeviceState state, Fresh now, List<StateChange> changes) {
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
      return state;
    }
    String summary = "fresh counters from two places within " + config.clonePlaceWindowMs() + " ms (interleaved places): counter "
        + before.counter() + " from " + before.place() + " at " + before.at() + ", counter " + other.counter() + " from "
        + other.place() + " at " + other.at() + ", counter " + now.counter() + " from " + now.place() + " at " + now.at();
    return suspectClone(slot, state, now.at(), summary, List.of(before.evidence(), other.evidence(), now.evidence()), changes);
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

  private DeviceState location(Slot slot, DeviceState state, DeviceObservation.LocationReported l, List<StateChange> changes) {
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
      String session = state.currentSession() == null ? "unknown" : state.currentSession();
      List<CloneEvidence> evidence = List.of(position(state.location(), state.locationAt(), session), position(l.location(), l.at(), session));
      return suspectClone(slot, after, l.at(), String.format(Locale.ROOT, "moved %.0f m in %d ms (%.0f km/h > %d km/h: impossible travel)",
          metres, elapsedMs, speedKmh, config.travelSpeedKmhMax()), evidence, changes);
    }
    return after;
  }

  private static CloneEvidence position(GeoPoint point, Instant at, String session) {
    return new CloneEvidence(CloneEvidence.Kind.POSITION, at,
        String.format(Locale.ROOT, "%.6f,%.6f", point.latitudeDeg(), point.longitudeDeg()), session, -1);
  }

  /**
   * Raises a suspicion with its evidence, or adds the evidence to the one in force (up to
   * {@code cloneEvidenceRowsMax} rows, the rest only counted); marks what is new for {@link #storeSuspicion}.
   */
  private DeviceState suspectClone(Slot slot, DeviceState state, Instant at, String summary, List<CloneEvidence> evidence,
      List<StateChange> changes) {
    CloneSuspicion current = slot.suspicion;
    if (current != null) {
      // Only what is newer than everything kept or counted before: the earlier messages of an
      // interleaving were themselves the newest of an earlier one.
      CloneEvidence newest = slot.newestConsidered != null ? slot.newestConsidered
          : current.evidence().isEmpty() ? null : current.evidence().getLast();
      List<CloneEvidence> newer = evidence.stream().filter(e -> newest == null || OLDEST_FIRST.compare(e, newest) > 0).toList();
      if (newer.isEmpty()) {
        return state;
      }
      slot.newestConsidered = newer.getLast();
      CloneSuspicion more = current.withMore(newer, config.cloneEvidenceRowsMax());
      slot.suspicion = more;
      // Past the cap only the count grows: it is stored when it reaches the next power of two (and
      // exactly with a verdict), so a flood costs the database about log2(n) writes, not n.
      boolean rowsAdded = more.evidence().size() > current.evidence().size();
      if (rowsAdded || Long.highestOneBit(more.evidenceDropped()) > Long.highestOneBit(current.evidenceDropped())) {
        int firstNew = current.evidence().size();
        slot.unsavedFrom = slot.unsavedFrom < 0 ? firstNew : Math.min(slot.unsavedFrom, firstNew);
      }
      return state;
    }
    slot.suspicion = CloneSuspicion.raised(state.deviceId(), summary, at, evidence, config.cloneEvidenceRowsMax());
    slot.unsavedFrom = 0;
    slot.newestConsidered = evidence.getLast();
    DeviceState after = state.withCloneSuspicion(summary);
    changes.add(new StateChange(StateChangeKind.CLONE_SUSPECTED, state, after, at, summary));
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

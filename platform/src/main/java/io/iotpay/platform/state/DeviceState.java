package io.iotpay.platform.state;

import io.iotpay.platform.identity.DeviceId;
import java.time.Duration;
import java.time.Instant;

/**
 * What the platform knows of a device right now. Immutable: the registry replaces it on every change,
 * so a reader (the risk engine) always sees one consistent snapshot.
 *
 * @param deviceId never null
 * @param connectivity never null
 * @param lastSeen the last time anything arrived from the device; never null
 * @param firmware the last reported firmware version, or null if never reported
 * @param tampered the last tamper report (false until one says otherwise)
 * @param location the last reported position, or null if never reported
 * @param locationAt when {@code location} was reported, or null with it
 * @param highestCounter the highest message counter seen, -1 before the first message
 * @param highestCounterSession the session that sent {@code highestCounter}, or null
 * @param currentSession the latest session the device opened or sent on, or null
 * @param messagesReceived messages seen (including duplicates and regressions)
 * @param duplicatesReceived messages whose counter equalled the highest (redeliveries)
 * @param counterRegressions messages whose counter was below the highest
 * @param cloneSuspicion why the device is suspected of having a clone, or null; stays until cleared
 * @param offlineTooLongReported whether the current offline spell was already reported as too long
 */
public record DeviceState(
    DeviceId deviceId,
    Connectivity connectivity,
    Instant lastSeen,
    String firmware,
    boolean tampered,
    GeoPoint location,
    Instant locationAt,
    long highestCounter,
    String highestCounterSession,
    String currentSession,
    long messagesReceived,
    long duplicatesReceived,
    long counterRegressions,
    String cloneSuspicion,
    boolean offlineTooLongReported) {

  /** A device first seen at {@code at}, online, nothing reported yet. */
  static DeviceState first(DeviceId deviceId, Instant at) {
    return new DeviceState(deviceId, Connectivity.ONLINE, at, null, false, null, null, -1, null, null, 0, 0, 0, null, false);
  }

  /**
   * A device known after a restart only by its clone suspicion (loaded from the database): offline,
   * last seen when it was suspected, until it is heard from again.
   */
  static DeviceState restored(DeviceId deviceId, Instant suspectedAt, String cloneSuspicion) {
    return new DeviceState(deviceId, Connectivity.OFFLINE, suspectedAt, null, false, null, null, -1, null, null, 0, 0, 0, cloneSuspicion,
        false);
  }

  /** How long the device has been silent at {@code now} (zero if {@code now} is before last seen). */
  public Duration silentFor(Instant now) {
    Duration silence = Duration.between(lastSeen, now);
    return silence.isNegative() ? Duration.ZERO : silence;
  }

  DeviceState withConnectivity(Connectivity value, Instant seen) {
    return new DeviceState(deviceId, value, seen, firmware, tampered, location, locationAt, highestCounter,
        highestCounterSession, currentSession, messagesReceived, duplicatesReceived, counterRegressions, cloneSuspicion,
        value == Connectivity.ONLINE ? false : offlineTooLongReported);
  }

  DeviceState withFirmware(String value) {
    return new DeviceState(deviceId, connectivity, lastSeen, value, tampered, location, locationAt, highestCounter,
        highestCounterSession, currentSession, messagesReceived, duplicatesReceived, counterRegressions, cloneSuspicion,
        offlineTooLongReported);
  }

  DeviceState withTampered(boolean value) {
    return new DeviceState(deviceId, connectivity, lastSeen, firmware, value, location, locationAt, highestCounter,
        highestCounterSession, currentSession, messagesReceived, duplicatesReceived, counterRegressions, cloneSuspicion,
        offlineTooLongReported);
  }

  DeviceState withLocation(GeoPoint value, Instant at) {
    return new DeviceState(deviceId, connectivity, lastSeen, firmware, tampered, value, at, highestCounter,
        highestCounterSession, currentSession, messagesReceived, duplicatesReceived, counterRegressions, cloneSuspicion,
        offlineTooLongReported);
  }

  DeviceState withCounters(long highest, String highestSession, String session, long messages, long duplicates, long regressions) {
    return new DeviceState(deviceId, connectivity, lastSeen, firmware, tampered, location, locationAt, highest,
        highestSession, session, messages, duplicates, regressions, cloneSuspicion, offlineTooLongReported);
  }

  DeviceState withSession(String session) {
    return new DeviceState(deviceId, connectivity, lastSeen, firmware, tampered, location, locationAt, highestCounter,
        highestCounterSession, session, messagesReceived, duplicatesReceived, counterRegressions, cloneSuspicion,
        offlineTooLongReported);
  }

  DeviceState withCloneSuspicion(String reason) {
    return new DeviceState(deviceId, connectivity, lastSeen, firmware, tampered, location, locationAt, highestCounter,
        highestCounterSession, currentSession, messagesReceived, duplicatesReceived, counterRegressions, reason,
        offlineTooLongReported);
  }

  DeviceState withOfflineTooLongReported() {
    return new DeviceState(deviceId, connectivity, lastSeen, firmware, tampered, location, locationAt, highestCounter,
        highestCounterSession, currentSession, messagesReceived, duplicatesReceived, counterRegressions, cloneSuspicion,
        true);
  }
}

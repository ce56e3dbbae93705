package io.iotpay.platform.state;

/**
 * Bounds and thresholds of the device state registry.
 *
 * @param heartbeatTimeoutMs silence after which an online device counts as offline (default 90 s:
 *     1.5 × a 60 s MQTT keep-alive, the broker's own rule); 1..1 day
 * @param offlineTooLongMs silence after which an offline device is "offline too long" for risk
 *     (default 24 h); at least {@code heartbeatTimeoutMs}, at most 365 days
 * @param travelSpeedKmhMax fastest plausible travel between two location reports (default 1,000 km/h,
 *     an airliner); faster means two devices share one identity; 1..100,000
 * @param sessionsRememberedMax recent fresh messages (place, time, counter) remembered per device for
 *     clone detection (default 16), bounded so a busy device cannot grow memory; 1..1,024
 * @param clonePlaceWindowMs how close in time fresh messages from two places must interleave (place A,
 *     then B, then A again) to count as two holders of one key (default 60 s: an honest device that
 *     moves from one network to another does not come back to the first within it); 1..1 day
 * @param devicesMax devices tracked at most (default 1,000,000), so unauthenticated noise cannot
 *     exhaust memory; 1..100,000,000
 * @param cloneEvidenceRowsMax evidence rows kept per clone suspicion, in memory and in the database
 *     (default 32): a clone that keeps sending conflicting messages adds rows up to it, then is only
 *     counted ({@link CloneSuspicion#evidenceDropped}, stored at powers of two), so a flood can neither
 *     grow the table nor cost a write per message; 3..1,024 (3:
 *     the messages of one interleaving, A, B, A)
 */
public record DeviceStateConfig(
    long heartbeatTimeoutMs, long offlineTooLongMs, long travelSpeedKmhMax, int sessionsRememberedMax, int devicesMax,
    long clonePlaceWindowMs, int cloneEvidenceRowsMax) {
  private static final long DAY_MS = 86_400_000L;
  private static final long CLONE_PLACE_WINDOW_MS_DEFAULT = 60_000;
  private static final int CLONE_EVIDENCE_ROWS_MAX_DEFAULT = 32;

  /** @throws StateInputException when a value is outside its bound */
  public DeviceStateConfig {
    check(heartbeatTimeoutMs >= 1 && heartbeatTimeoutMs <= DAY_MS, "heartbeatTimeoutMs", heartbeatTimeoutMs);
    check(offlineTooLongMs >= heartbeatTimeoutMs && offlineTooLongMs <= 365 * DAY_MS, "offlineTooLongMs", offlineTooLongMs);
    check(travelSpeedKmhMax >= 1 && travelSpeedKmhMax <= 100_000, "travelSpeedKmhMax", travelSpeedKmhMax);
    check(sessionsRememberedMax >= 1 && sessionsRememberedMax <= 1024, "sessionsRememberedMax", sessionsRememberedMax);
    check(devicesMax >= 1 && devicesMax <= 100_000_000, "devicesMax", devicesMax);
    check(clonePlaceWindowMs >= 1 && clonePlaceWindowMs <= DAY_MS, "clonePlaceWindowMs", clonePlaceWindowMs);
    check(cloneEvidenceRowsMax >= 3 && cloneEvidenceRowsMax <= 1024, "cloneEvidenceRowsMax", cloneEvidenceRowsMax);
  }

  /** With the default {@code clonePlaceWindowMs} and {@code cloneEvidenceRowsMax}. */
  public DeviceStateConfig(long heartbeatTimeoutMs, long offlineTooLongMs, long travelSpeedKmhMax, int sessionsRememberedMax, int devicesMax) {
    this(heartbeatTimeoutMs, offlineTooLongMs, travelSpeedKmhMax, sessionsRememberedMax, devicesMax, CLONE_PLACE_WINDOW_MS_DEFAULT,
        CLONE_EVIDENCE_ROWS_MAX_DEFAULT);
  }

  public static DeviceStateConfig defaults() {
    return new DeviceStateConfig(90_000, DAY_MS, 1_000, 16, 1_000_000);
  }

  public DeviceStateConfig withOfflineTooLongMs(long value) {
    return new DeviceStateConfig(heartbeatTimeoutMs, value, travelSpeedKmhMax, sessionsRememberedMax, devicesMax,
        clonePlaceWindowMs, cloneEvidenceRowsMax);
  }

  public DeviceStateConfig withHeartbeatTimeoutMs(long value) {
    return new DeviceStateConfig(value, offlineTooLongMs, travelSpeedKmhMax, sessionsRememberedMax, devicesMax,
        clonePlaceWindowMs, cloneEvidenceRowsMax);
  }

  public DeviceStateConfig withDevicesMax(int value) {
    return new DeviceStateConfig(heartbeatTimeoutMs, offlineTooLongMs, travelSpeedKmhMax, sessionsRememberedMax, value,
        clonePlaceWindowMs, cloneEvidenceRowsMax);
  }

  public DeviceStateConfig withClonePlaceWindowMs(long value) {
    return new DeviceStateConfig(heartbeatTimeoutMs, offlineTooLongMs, travelSpeedKmhMax, sessionsRememberedMax, devicesMax, value,
        cloneEvidenceRowsMax);
  }

  public DeviceStateConfig withCloneEvidenceRowsMax(int value) {
    return new DeviceStateConfig(heartbeatTimeoutMs, offlineTooLongMs, travelSpeedKmhMax, sessionsRememberedMax, devicesMax, clonePlaceWindowMs,
        value);
  }

  private static void check(boolean ok, String name, long value) {
    if (!ok) {
      throw new StateInputException("device state config: " + name + " = " + value + " is outside its bound");
    }
  }
}

package io.iotpay.platform.access.coap;

import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceIdException;
import java.util.List;
import java.util.Optional;

/**
 * Reads the one resource this server offers, Uri-Path {@code devices/{id}/up}. Bounded: a path of
 * any other shape (count, names) is refused after looking at at most {@value #SEGMENTS} segments,
 * and the id is checked by {@link DeviceId} (1–64 characters). Pure and thread-safe.
 */
final class DeviceUplinkPath {
  /** Segments of {@code devices/{id}/up}. */
  static final int SEGMENTS = 3;
  static final String ROOT = "devices";
  static final String UPLINK = "up";

  private DeviceUplinkPath() {}

  /**
   * @param uriPath the request's Uri-Path segments (may be null or hold nulls: treated as junk)
   * @return the device id named in the path, or empty when the path is not {@code devices/{id}/up}
   *     with a valid id; never throws
   */
  static Optional<DeviceId> deviceOf(List<String> uriPath) {
    if (uriPath == null || uriPath.size() != SEGMENTS) {
      return Optional.empty();
    }
    if (!ROOT.equals(uriPath.get(0)) || !UPLINK.equals(uriPath.get(2))) {
      return Optional.empty();
    }
    return deviceId(uriPath.get(1));
  }

  /** The device id {@code text} names, or empty when it is not a valid id (null, too long, bad character). */
  static Optional<DeviceId> deviceId(String text) {
    if (text == null || text.isEmpty() || text.length() > DeviceId.LENGTH_MAX) {
      return Optional.empty();
    }
    try {
      return Optional.of(new DeviceId(text));
    } catch (DeviceIdException e) {
      return Optional.empty();
    }
  }
}

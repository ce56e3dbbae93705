package io.iotpay.platform.identity;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Per-device authorisation of MQTT topics and CoAP resources: a device may only publish to and
 * subscribe under its own subtree, {@code devices/{deviceId}/…}. Pure functions of their
 * arguments (no I/O, no state), so the broker extension and the CoAP server call them on every
 * PUBLISH/SUBSCRIBE/request without a lookup. Anything unusual is refused rather than
 * interpreted: empty levels, wildcards in a publish topic, wildcards above the device's own level,
 * shared-subscription and {@code $}-system topics, NUL characters, over-long names.
 */
public final class TopicAuthorisation {
  /** The first topic level (and first CoAP path segment) of every device's subtree. */
  public static final String ROOT = "devices";
  /** MQTT's limit on a topic name's UTF-8 length (MQTT 3.1.1 §1.5.3, MQTT 5 §1.5.4). */
  public static final int TOPIC_BYTES_MAX = 65_535;
  /** Most levels below {@code devices/{id}}: bounds the work and the resource tree's depth. */
  public static final int LEVELS_BELOW_DEVICE_MAX = 8;

  private TopicAuthorisation() {}

  /** True when {@code deviceId} may publish to {@code topic} (no wildcards allowed). */
  public static boolean mayPublish(DeviceId deviceId, String topic) {
    List<String> levels = ownLevels(deviceId, topic);
    if (levels == null) {
      return false;
    }
    for (String level : levels) {
      if (level.isEmpty() || level.contains("+") || level.contains("#")) {
        return false;
      }
    }
    return true;
  }

  /**
   * True when {@code deviceId} may subscribe to {@code filter}: wildcards are allowed only below its
   * own level, {@code +} as a whole level and {@code #} as the whole last level.
   */
  public static boolean maySubscribe(DeviceId deviceId, String filter) {
    List<String> levels = ownLevels(deviceId, filter);
    if (levels == null) {
      return false;
    }
    for (int i = 0; i < levels.size(); i++) {
      String level = levels.get(i);
      boolean last = i == levels.size() - 1;
      if (level.isEmpty() || !wildcardsWellFormed(level, last)) {
        return false;
      }
    }
    return true;
  }

  /**
   * True when {@code deviceId} may access the CoAP resource with these Uri-Path segments
   * ({@code ["devices", id, …]}, at least one segment below the id).
   */
  public static boolean mayAccessResource(DeviceId deviceId, List<String> uriPath) {
    if (uriPath == null || uriPath.size() < 3 || uriPath.size() > 2 + LEVELS_BELOW_DEVICE_MAX) {
      return false;
    }
    if (!ROOT.equals(uriPath.get(0)) || !deviceId.value().equals(uriPath.get(1))) {
      return false;
    }
    for (String segment : uriPath.subList(2, uriPath.size())) {
      if (segment == null || segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.indexOf('\0') >= 0) {
        return false;
      }
    }
    return true;
  }

  /** The levels below {@code devices/{id}}, or null when the name is not under the device's subtree. */
  private static List<String> ownLevels(DeviceId deviceId, String name) {
    if (deviceId == null || name == null || name.indexOf('\0') >= 0
        || name.getBytes(StandardCharsets.UTF_8).length > TOPIC_BYTES_MAX) {
      return null;
    }
    String prefix = ROOT + "/" + deviceId.value() + "/";
    if (!name.startsWith(prefix) || name.length() == prefix.length()) {
      return null;
    }
    List<String> levels = List.of(name.substring(prefix.length()).split("/", -1));
    return levels.size() > LEVELS_BELOW_DEVICE_MAX ? null : levels;
  }

  private static boolean wildcardsWellFormed(String level, boolean last) {
    if (level.equals("+")) {
      return true;
    }
    if (level.equals("#")) {
      return last;
    }
    return !level.contains("+") && !level.contains("#");
  }
}

package io.iotpay.platform.access.mqtt;

import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceIdException;
import io.iotpay.platform.identity.TopicAuthorisation;
import java.util.Optional;

/**
 * The MQTT topic convention of iotpay (docs/mqtt.md): each device talks only under
 * {@code devices/{id}/…}. Pure functions; no state.
 */
public final class MqttTopics {
  /**
   * MQTT 5 user property the embedded broker stamps on each device PUBLISH with the device's broker
   * session id; the bridge passes it to the inbox (absent on external brokers).
   */
  public static final String SESSION_PROPERTY = "iotpay-session";

  /** Level below the device id where it publishes envelopes. */
  public static final String UP = "up";
  /** Level below the device id where the platform publishes signed answers. */
  public static final String DOWN = "down";
  /** Level below {@code down} where the platform publishes unsigned, informational refusal lines. */
  public static final String REFUSED = "refused";
  /** Level below the device id for {@code online} (retained, on connect) and {@code offline} (the will). */
  public static final String STATUS = "status";
  /** The bridge's subscription filter for every device's envelopes. */
  public static final String ALL_UP_FILTER = TopicAuthorisation.ROOT + "/+/" + UP;
  /** Prefix of MQTT 5 shared subscriptions ({@code $share/{group}/{filter}}). */
  public static final String SHARE_PREFIX = "$share/";

  private MqttTopics() {}

  /** {@code devices/{id}/up}. */
  public static String up(DeviceId device) {
    return TopicAuthorisation.ROOT + "/" + device.value() + "/" + UP;
  }

  /** {@code devices/{id}/down}. */
  public static String down(DeviceId device) {
    return TopicAuthorisation.ROOT + "/" + device.value() + "/" + DOWN;
  }

  /** {@code devices/{id}/down/refused}. */
  public static String refused(DeviceId device) {
    return down(device) + "/" + REFUSED;
  }

  /** {@code devices/{id}/status}. */
  public static String status(DeviceId device) {
    return TopicAuthorisation.ROOT + "/" + device.value() + "/" + STATUS;
  }

  /**
   * The device of an up topic.
   *
   * @param topic any string, possibly hostile; null is treated as malformed
   * @return the device when {@code topic} is exactly {@code devices/{valid id}/up}, else empty
   */
  public static Optional<DeviceId> deviceOfUpTopic(String topic) {
    return deviceOf(topic, UP);
  }

  /** The device of a {@code devices/{id}/status} topic, else empty. */
  public static Optional<DeviceId> deviceOfStatusTopic(String topic) {
    return deviceOf(topic, STATUS);
  }

  private static Optional<DeviceId> deviceOf(String topic, String lastLevel) {
    String prefix = TopicAuthorisation.ROOT + "/";
    String suffix = "/" + lastLevel;
    if (topic == null || topic.length() > prefix.length() + DeviceId.LENGTH_MAX + suffix.length()
        || !topic.startsWith(prefix) || !topic.endsWith(suffix)) {
      return Optional.empty();
    }
    String id = topic.substring(prefix.length(), topic.length() - suffix.length());
    try {
      return Optional.of(new DeviceId(id));
    } catch (DeviceIdException e) {
      return Optional.empty();
    }
  }

  /**
   * True when a device may publish to {@code topic}: only its own up and status topics.
   * Narrower than {@link TopicAuthorisation#mayPublish}, which it also requires.
   */
  public static boolean devicePublishAllowed(DeviceId device, String topic) {
    return TopicAuthorisation.mayPublish(device, topic) && (topic.equals(up(device)) || topic.equals(status(device)));
  }

  /** True when a device may subscribe to {@code filter}: only {@code devices/{own}/down} and below. */
  public static boolean deviceSubscribeAllowed(DeviceId device, String filter) {
    String down = down(device);
    return TopicAuthorisation.maySubscribe(device, filter) && (filter.equals(down) || filter.startsWith(down + "/"));
  }

  /**
   * True when the platform bridge may subscribe to {@code filter}: {@code devices/+/up}, or the
   * same as a shared subscription {@code $share/{group}/devices/+/up}.
   */
  public static boolean bridgeSubscribeAllowed(String filter) {
    if (filter == null || filter.equals(ALL_UP_FILTER)) {
      return filter != null;
    }
    if (!filter.startsWith(SHARE_PREFIX)) {
      return false;
    }
    String rest = filter.substring(SHARE_PREFIX.length());
    int slash = rest.indexOf('/');
    return slash > 0 && rest.substring(slash + 1).equals(ALL_UP_FILTER)
        && rest.substring(0, slash).chars().noneMatch(c -> c == '+' || c == '#');
  }

  /** True when the platform bridge may publish to {@code topic}: a device's down topic or below it. */
  public static boolean bridgePublishAllowed(String topic) {
    if (topic == null || topic.contains("+") || topic.contains("#")) {
      return false;
    }
    String prefix = TopicAuthorisation.ROOT + "/";
    int idEnd = topic.indexOf('/', prefix.length());
    if (!topic.startsWith(prefix) || idEnd < 0) {
      return false;
    }
    try {
      DeviceId device = new DeviceId(topic.substring(prefix.length(), idEnd));
      return topic.equals(down(device)) || topic.equals(refused(device));
    } catch (DeviceIdException e) {
      return false;
    }
  }
}

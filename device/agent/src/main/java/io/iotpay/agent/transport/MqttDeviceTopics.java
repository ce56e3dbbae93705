package io.iotpay.agent.transport;

/** The device's own MQTT topics (docs/mqtt.md); the platform side has the same convention. */
final class MqttDeviceTopics {
  private MqttDeviceTopics() {}

  static String up(String deviceId) {
    return "devices/" + deviceId + "/up";
  }

  static String down(String deviceId) {
    return "devices/" + deviceId + "/down";
  }

  static String refused(String deviceId) {
    return down(deviceId) + "/refused";
  }

  static String status(String deviceId) {
    return "devices/" + deviceId + "/status";
  }
}

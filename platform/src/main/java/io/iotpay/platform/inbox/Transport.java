package io.iotpay.platform.inbox;

/** How a device message reached the platform. */
public enum Transport {
  /** MQTT 3.1.1 or 5, through the embedded HiveMQ CE broker or an external broker. */
  MQTT,
  /** CoAP over DTLS (Californium/Scandium), for NB-IoT-class devices. */
  COAP,
  /** HTTPS, for cloud-connected devices (car head unit, speaker). */
  HTTP
}

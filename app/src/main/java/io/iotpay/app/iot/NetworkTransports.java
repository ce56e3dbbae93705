package io.iotpay.app.iot;

import io.iotpay.agent.sdk.DeviceSigner;
import io.iotpay.agent.transport.CoapDeviceCredentials;
import io.iotpay.agent.transport.CoapDeviceTransport;
import io.iotpay.agent.transport.DeviceTransport;
import io.iotpay.agent.transport.HttpDeviceTransport;
import io.iotpay.agent.transport.MqttDeviceConfig;
import io.iotpay.agent.transport.MqttDeviceTransport;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.rules.BuiltInRules;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Real device links to an {@link IotServer} over loopback, chosen as the seed's devices would connect:
 * washing machines over MQTT (Wi-Fi appliances) or, every other one, CoAP over DTLS with a PSK
 * (NB-IoT modules); car head units and smart speakers over HTTPS-style requests to the HTTP API
 * (cloud-connected); anything else (an attacker's line) over HTTP.
 */
final class NetworkTransports implements AutoCloseable {
  private final IotServer server;
  private final ScheduledExecutorService scheduler =
      Executors.newScheduledThreadPool(2, Thread.ofPlatform().name("demo-device-", 0).daemon().factory());
  private int washers;

  NetworkTransports(IotServer server) {
    this.server = server;
  }

  /** The link of one device; {@code type} is its device type, or anything else for an attacker's line. */
  DeviceTransport open(DeviceId device, String type, DeviceSigner signer) {
    if (type.equals(BuiltInRules.WASHER) && signer != null) {
      if (washers++ % 2 == 0) {
        return MqttDeviceTransport.connect(signer, MqttDeviceConfig.defaults(server.host(), server.broker.port()), scheduler,
            MqttDeviceTransport.AnswerCheck.MATCHING_COUNTER, Clock.systemUTC());
      }
      return new CoapDeviceTransport(new InetSocketAddress(server.host(), server.coap.dtlsAddress().getPort()), device.value(),
          new CoapDeviceCredentials.Psk(device.value(), server.psks.derive(device)), Duration.ofSeconds(2));
    }
    if (type.equals(CLONE)) {
      return cloneLine(device);
    }
    return http(device);
  }

  /** The line type of a clone: a second holder of a device's key, somewhere else. */
  static final String CLONE = "clone";

  /**
   * A clone's HTTP line, from another loopback address (127.0.0.2) so the platform sees it at another
   * place than the real device, as it would a copy of the chip in another building.
   */
  private DeviceTransport cloneLine(DeviceId device) {
    try {
      return new HttpDeviceTransport(HttpDeviceTransport.Config.defaults(URI.create("http://" + server.host() + ":" + server.http.port()),
          device.value()).withLocalAddress(java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 2})));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("127.0.0.2 is a literal address", e);
    }
  }

  /** An HTTP line of its own (its own TCP connection, so its own session at the platform). */
  DeviceTransport http(DeviceId device) {
    return new HttpDeviceTransport(HttpDeviceTransport.Config.defaults(URI.create("http://" + server.host() + ":" + server.http.port()),
        device.value()));
  }

  /** Which transport a device of {@code type} would use, for the report. */
  static String names() {
    return "MQTT and CoAP/DTLS (washing machines), HTTP (cars, speakers)";
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}

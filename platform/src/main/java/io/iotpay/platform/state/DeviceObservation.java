package io.iotpay.platform.state;

import io.iotpay.platform.identity.DeviceId;
import java.time.Instant;
import java.util.Objects;

/**
 * Something the access layer saw of a device (already authenticated there): the input of
 * {@link DeviceStateRegistry#observe}. Every variant names the device and the business time it was seen.
 */
public sealed interface DeviceObservation {
  DeviceId deviceId();

  Instant at();

  /** The device opened a session (MQTT CONNECT, a DTLS handshake, an HTTP login). */
  record Connected(DeviceId deviceId, Instant at, String sessionId) implements DeviceObservation {
    public Connected {
      requireBasics(deviceId, at);
      requireSession(sessionId);
    }
  }

  /** A heartbeat (MQTT PINGREQ/keep-alive, CoAP empty CON, HTTP ping). */
  record Heartbeat(DeviceId deviceId, Instant at) implements DeviceObservation {
    public Heartbeat {
      requireBasics(deviceId, at);
    }
  }

  /** The device's last will arrived, or it disconnected cleanly: it is offline now. */
  record LastWill(DeviceId deviceId, Instant at) implements DeviceObservation {
    public LastWill {
      requireBasics(deviceId, at);
    }
  }

  /**
   * A signed message with the chip's monotonic counter that the envelope service ACCEPTED (fresh: above
   * every counter accepted before), over session {@code sessionId}, from {@code place} (where the device
   * is: the sender's network address without its port where the transport knows it, else the session).
   * Refused messages (replays above all) are never observations: whoever captured an envelope can
   * resend it, so it says nothing about who holds the key.
   */
  record Message(DeviceId deviceId, Instant at, String sessionId, String place, long counter) implements DeviceObservation {
    public Message {
      requireBasics(deviceId, at);
      requireSession(sessionId);
      requireSession(place);
      if (counter < 0) {
        throw new StateInputException("device " + deviceId + ": message counter " + counter + " is negative");
      }
    }

    /** A message whose place is its session (a transport that knows no address). */
    public Message(DeviceId deviceId, Instant at, String sessionId, long counter) {
      this(deviceId, at, sessionId, sessionId, counter);
    }
  }

  /** The device reported its firmware version. */
  record FirmwareReported(DeviceId deviceId, Instant at, String version) implements DeviceObservation {
    public FirmwareReported {
      requireBasics(deviceId, at);
      if (version == null || version.isEmpty() || version.length() > 64) {
        throw new StateInputException("device " + deviceId + ": firmware version must have 1..64 characters");
      }
    }
  }

  /** The device's tamper switch or secure element reported (true) or cleared (false) tampering. */
  record TamperReported(DeviceId deviceId, Instant at, boolean tampered) implements DeviceObservation {
    public TamperReported {
      requireBasics(deviceId, at);
    }
  }

  /** The device reported its position. */
  record LocationReported(DeviceId deviceId, Instant at, GeoPoint location) implements DeviceObservation {
    public LocationReported {
      requireBasics(deviceId, at);
      if (location == null) {
        throw new StateInputException("device " + deviceId + ": location is missing");
      }
    }
  }

  private static void requireBasics(DeviceId deviceId, Instant at) {
    if (deviceId == null) {
      throw new StateInputException("observation without a device id");
    }
    Objects.requireNonNull(at, "at");
  }

  private static void requireSession(String sessionId) {
    if (sessionId == null || sessionId.isEmpty() || sessionId.length() > 128) {
      throw new StateInputException("session id must have 1..128 characters");
    }
  }
}

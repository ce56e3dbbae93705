package io.iotpay.platform.inbox;

import io.iotpay.platform.identity.DeviceId;
import io.iotpay.protocol.device.RefusalReason;
import java.util.concurrent.CompletableFuture;

/**
 * The one door every transport uses to hand the platform a device's envelope (a COSE_Sign1 message,
 * see docs/envelope.md). Transports authenticate the channel (client certificate, DTLS PSK identity,
 * MQTT topic) and say which device they authenticated; the platform still checks the envelope end to
 * end (the broker is never trusted with money) and refuses an envelope whose signer is not the
 * device the channel belongs to.
 *
 * <p>Implementations are thread-safe and never throw for bad input: every refusal is a
 * {@link Reply.Refused} with a machine-readable reason, and nothing was paid.
 */
public interface DeviceInbox {
  /**
   * @param transport how the envelope arrived
   * @param channelDevice the device the transport authenticated for this channel (the device id in the
   *     topic or URI path for MQTT and CoAP, the client certificate's device for TLS); never null
   * @param envelope the bytes as received, not yet parsed; bounded by the transport
   * @return the signed answer to send back to the device, or the refusal
   */
  Reply deliver(Transport transport, DeviceId channelDevice, byte[] envelope);

  /**
   * As {@link #deliver(Transport, DeviceId, byte[])}, naming the transport session the envelope came
   * on (MQTT client session, DTLS session, HTTP connection): the platform's clone detection compares
   * the sessions of one identity. Transports that know their session call this one.
   *
   * @param sessionId 1..128 printable characters identifying the session
   */
  default Reply deliver(Transport transport, DeviceId channelDevice, String sessionId, byte[] envelope) {
    return deliver(transport, channelDevice, envelope);
  }

  /**
   * As {@link #deliver(Transport, DeviceId, String, byte[])} without blocking the caller: transports
   * with their own event loop (MQTT, CoAP) use this, so thousands of messages can be in flight and
   * the platform can commit them in batches. The default runs {@code deliver} on the calling thread.
   */
  default CompletableFuture<Reply> deliverAsync(
      Transport transport, DeviceId channelDevice, String sessionId, byte[] envelope) {
    return CompletableFuture.completedFuture(deliver(transport, channelDevice, sessionId, envelope));
  }

  /**
   * The transport itself refused something of {@code channelDevice}'s before any envelope reached the
   * platform — a publish on another device's topic, a body over the size bound — so the platform
   * records it with its other refusals. The default records nothing.
   */
  default void refusedAtDoor(Transport transport, DeviceId channelDevice, RefusalReason reason, String detail) {}

  /**
   * A transport refused a connection — an MQTT CONNECT, a DTLS handshake — so the platform records it
   * with its other refusals (logged once, counted by door and reason, listed for the operator).
   *
   * @param claimed the device id or client id the peer claimed, as received (the log makes it printable); null if none
   * @param reason the door's reason code, 1..40 of {@code A-Z 0-9 _}
   * @param detail one line, never the token or key
   */
  default void refusedConnection(Transport transport, String claimed, String reason, String detail) {}

  /** The bounded log of refusals at every door, if this inbox keeps one. */
  default java.util.Optional<SecurityEventLog> securityEvents() {
    return java.util.Optional.empty();
  }

  /** Connections the doors accepted (MQTT CONNECTs, DTLS handshakes), if this inbox counts them. */
  default java.util.Optional<DoorConnects> doorConnects() {
    return java.util.Optional.empty();
  }

  /** The transport saw a device connect, send a heartbeat or go away (last will, clean disconnect). */
  void connectivity(Transport transport, DeviceId device, ConnectivityEvent event, String sessionId);

  /** Connectivity changes a transport reports. */
  enum ConnectivityEvent {
    CONNECTED,
    HEARTBEAT,
    /** A last will was published or the connection dropped without a clean disconnect. */
    LOST,
    /** A clean disconnect. */
    DISCONNECTED
  }
}

package io.iotpay.platform.access.coap;

import io.iotpay.platform.inbox.DeviceInbox;
import io.iotpay.platform.inbox.Transport;
import java.security.Principal;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.Connection;
import org.eclipse.californium.scandium.dtls.DTLSContext;
import org.eclipse.californium.scandium.dtls.HandshakeException;
import org.eclipse.californium.scandium.dtls.Handshaker;
import org.eclipse.californium.scandium.dtls.SessionListener;

/**
 * The DTLS handshake failures nothing else records: a client that knows a device's PSK identity
 * but not its key (or signs with the wrong certificate key) fails the handshake's own proof — its
 * Finished does not verify, or its encrypted Finished fails the record MAC. The PSK store and the
 * certificate verifier record the refusals they make themselves (unknown identity, inactive device,
 * bad certificate), so those are not recorded again here. Recorded once per connection as
 * {@code BAD_HANDSHAKE_KEY}, with the identity the client claimed.
 */
final class HandshakeFailures implements SessionListener {
  /** The reason code of a handshake whose key proof failed. */
  static final String BAD_HANDSHAKE_KEY = "BAD_HANDSHAKE_KEY";

  private final DeviceInbox inbox;
  /** Connections already recorded: a client retransmits its Finished flight, each copy fails again. */
  private final Map<Connection, Boolean> recorded = Collections.synchronizedMap(new WeakHashMap<>());

  HandshakeFailures(DeviceInbox inbox) {
    this.inbox = inbox;
  }

  /** A record of an ongoing handshake failed its MAC: the peer's keys are not ours (a wrong PSK). */
  void macError(Connection connection) {
    Handshaker handshake = connection.getOngoingHandshake();
    if (handshake != null) {
      record(connection, claimed(handshake), "a handshake record failed its MAC (wrong key) from " + connection.getPeerAddress());
    }
  }

  @Override
  public void handshakeFailed(Handshaker handshaker, Throwable error) {
    if (error instanceof HandshakeException handshake && handshake.getAlert() != null
        && handshake.getAlert().getDescription() == AlertMessage.AlertDescription.DECRYPT_ERROR) {
      record(handshaker.getConnection(), claimed(handshaker), "the handshake's key proof failed (" + handshake.getMessage() + ") from "
          + handshaker.getPeerAddress());
    }
  }

  private void record(Connection connection, String claimed, String detail) {
    if (connection != null && recorded.putIfAbsent(connection, Boolean.TRUE) != null) {
      return;
    }
    inbox.refusedConnection(Transport.COAP, claimed, BAD_HANDSHAKE_KEY, "DTLS handshake: " + detail);
  }

  private static String claimed(Handshaker handshaker) {
    Principal peer = handshaker.getSession() == null ? null : handshaker.getSession().getPeerIdentity();
    return peer == null ? null : peer.getName();
  }

  @Override
  public void handshakeStarted(Handshaker handshaker) {
    // nothing to record
  }

  @Override
  public void contextEstablished(Handshaker handshaker, DTLSContext context) {
    // nothing to record
  }

  @Override
  public void handshakeCompleted(Handshaker handshaker) {
    // nothing to record
  }

  @Override
  public void handshakeFlightRetransmitted(Handshaker handshaker, int flight) {
    // nothing to record
  }
}

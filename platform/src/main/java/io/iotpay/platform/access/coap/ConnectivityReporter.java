package io.iotpay.platform.access.coap;

import io.iotpay.platform.inbox.DeviceInbox;
import io.iotpay.platform.inbox.DeviceInbox.ConnectivityEvent;
import io.iotpay.platform.inbox.Transport;
import io.iotpay.platform.identity.DeviceId;
import java.security.Principal;
import java.util.Optional;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.EmptyMessage;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.interceptors.MessageInterceptorAdapter;
import org.eclipse.californium.scandium.ConnectionListener;
import org.eclipse.californium.scandium.dtls.Connection;
import org.eclipse.californium.scandium.dtls.SessionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the inbox about device activity: {@code CONNECTED} when a DTLS handshake completes (a new
 * session), {@code HEARTBEAT} on an empty confirmable message (CoAP ping) and on every request of
 * an authenticated device. The inbox must not throw; if it does, the failure is logged and the
 * CoAP exchange goes on, since connectivity is advisory and never decides a payment.
 */
final class ConnectivityReporter extends MessageInterceptorAdapter implements ConnectionListener {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectivityReporter.class);

  private final DeviceInbox inbox;
  private volatile java.util.function.Consumer<Connection> macErrors;

  ConnectivityReporter(DeviceInbox inbox) {
    this.inbox = inbox;
  }

  @Override
  public void onConnectionEstablished(Connection connection) {
    SessionId session = connection.getEstablishedSessionIdentifier();
    report(connection.getEstablishedPeerIdentity(), ConnectivityEvent.CONNECTED, "dtls/" + (session == null ? "" : session.getAsString()));
  }

  @Override
  public void receiveEmptyMessage(EmptyMessage message) {
    if (message.getType() == Type.CON) {
      report(message.getSourceContext().getPeerIdentity(), ConnectivityEvent.HEARTBEAT, ChannelIdentity.sessionId(message.getSourceContext()));
    }
  }

  @Override
  public void receiveRequest(Request request) {
    report(request.getSourceContext().getPeerIdentity(), ConnectivityEvent.HEARTBEAT, ChannelIdentity.sessionId(request.getSourceContext()));
  }

  private void report(Principal peer, ConnectivityEvent event, String sessionId) {
    Optional<DeviceId> device = ChannelIdentity.deviceOf(peer);
    if (device.isEmpty()) {
      return;
    }
    try {
      inbox.connectivity(Transport.COAP, device.get(), event, sessionId);
    } catch (RuntimeException e) {
      LOG.warn("Connectivity report failed [device={}, event={}, error={}]", device.get(), event, e.toString());
    }
  }

  @Override
  public void onConnectionRemoved(Connection connection) {
    // DTLS connections expire silently on NB-IoT (no close_notify): LOST is left to the inbox's own timeout
  }

  @Override
  public boolean onConnectionUpdatesSequenceNumbers(Connection connection, boolean writeSequenceNumber) {
    return false;
  }

  @Override
  public boolean onConnectionMacError(Connection connection) {
    java.util.function.Consumer<Connection> listener = macErrors;
    if (listener != null) {
      listener.accept(connection);
    }
    return false;
  }

  /** Told of each record that failed its MAC (the handshake failures' recorder); set once, before the connector starts. */
  void onMacError(java.util.function.Consumer<Connection> listener) {
    this.macErrors = listener;
  }

  @Override
  public void beforeExecution(Connection connection) {
    // no per-execution context
  }

  @Override
  public void updateExecution(Connection connection) {
    // no per-execution context
  }

  @Override
  public void afterExecution(Connection connection) {
    // no per-execution context
  }
}

package io.iotpay.platform.access.mqtt;

import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ClientInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionLostInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ServerInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.parameter.ClientBasedInput;
import io.iotpay.platform.inbox.DeviceInbox;
import io.iotpay.platform.inbox.DeviceInbox.ConnectivityEvent;
import io.iotpay.platform.inbox.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the inbox when an authenticated device connects, disconnects cleanly or is lost (network
 * drop, keep-alive timeout, takeover, broker shutdown). The bridge's own connection is not reported.
 */
final class ConnectivityReporter implements ClientLifecycleEventListener {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectivityReporter.class);

  private final DeviceInbox inbox;

  ConnectivityReporter(DeviceInbox inbox) {
    this.inbox = inbox;
  }

  @Override
  public void onMqttConnectionStart(ConnectionStartInput input) {
    // Not yet authenticated: nothing to report.
  }

  @Override
  public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
    report(input, ConnectivityEvent.CONNECTED);
  }

  @Override
  public void onClientInitiatedDisconnect(ClientInitiatedDisconnectInput input) {
    report(input, ConnectivityEvent.DISCONNECTED);
  }

  @Override
  public void onConnectionLost(ConnectionLostInput input) {
    report(input, ConnectivityEvent.LOST);
  }

  @Override
  public void onServerInitiatedDisconnect(ServerInitiatedDisconnectInput input) {
    report(input, ConnectivityEvent.LOST);
  }

  @Override
  public void onDisconnect(DisconnectEventInput input) {
    // Every kind of disconnect is handled by the specific callbacks above.
  }

  private void report(ClientBasedInput input, ConnectivityEvent event) {
    BrokerGuard.deviceOf(input).ifPresent(device -> {
      String session = input.getConnectionInformation().getConnectionAttributeStore()
          .getAsString(BrokerGuard.SESSION_ATTRIBUTE).orElse("");
      try {
        inbox.connectivity(Transport.MQTT, device, event, session);
      } catch (RuntimeException e) {
        // The broker must keep serving other clients whatever the inbox does.
        LOG.warn("Connectivity report failed [device={}, event={}]", device, event, e);
      }
    });
  }
}

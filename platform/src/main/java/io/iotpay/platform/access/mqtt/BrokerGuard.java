package io.iotpay.platform.access.mqtt;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ClientBasedInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.access.mqtt.ConnectTokenException.Reason;
import io.iotpay.platform.inbox.DeviceInbox;
import io.iotpay.protocol.device.RefusalReason;
import io.iotpay.platform.inbox.Transport;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceRecord;
import io.iotpay.platform.identity.IdentityService;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker's extension: authenticates every CONNECT (the bridge by its secret, devices
 * by a connect token or a TLS client certificate), authorises every PUBLISH and SUBSCRIBE by the
 * topic convention, and reports device connectivity to the inbox. Thread-safe: HiveMQ calls it
 * from its extension threads concurrently.
 */
final class BrokerGuard implements ExtensionMain, SimpleAuthenticator, PublishAuthorizer, SubscriptionAuthorizer {
  private static final Pattern CONTROL_CHAR = Pattern.compile("\\p{Cntrl}");
  private static final Logger LOG = LoggerFactory.getLogger(BrokerGuard.class);
  /** Connection attribute naming the authenticated device; absent for the bridge. */
  static final String DEVICE_ATTRIBUTE = "iotpay.device";
  /** Connection attribute set on the bridge's connection. */
  static final String BRIDGE_ATTRIBUTE = "iotpay.bridge";
  /** Connection attribute: an id of this connection, given to the inbox with connectivity events. */
  static final String SESSION_ATTRIBUTE = "iotpay.session";

  private final IdentityService identity;
  private final DeviceInbox inbox;
  private final EmbeddedMqttBroker.Config config;
  private final BridgeCredentials bridge;
  private final ConnectTokenGuard tokenGuard;
  private final Clock clock;
  private final MqttBrokerStats.Counters counters;

  BrokerGuard(IdentityService identity, DeviceInbox inbox, EmbeddedMqttBroker.Config config, BridgeCredentials bridge,
      Clock clock, MqttBrokerStats.Counters counters) {
    this.identity = identity;
    this.inbox = inbox;
    this.config = config;
    this.bridge = bridge;
    this.clock = clock;
    this.counters = counters;
    this.tokenGuard = new ConnectTokenGuard(config.connectTokenSkewMax(), config.connectTokensTrackedMax());
  }

  @Override
  public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
    Services.securityRegistry().setAuthenticatorProvider(providerInput -> this);
    Services.securityRegistry().setAuthorizerProvider(providerInput -> this);
    Services.eventRegistry().setClientLifecycleEventListener(providerInput -> new ConnectivityReporter(inbox));
    // Stamp every device PUBLISH with the broker's own session id (a device cannot set it: any copy it
    // sent is removed first), so the platform can tell a clone's session from the real device's; with
    // delivery in the broker, then hand the device's envelopes to the inbox.
    Services.initializerRegistry().setClientInitializer((initializerInput, clientContext) -> {
      var attributes = initializerInput.getConnectionInformation().getConnectionAttributeStore();
      String session = attributes.getAsString(SESSION_ATTRIBUTE).orElse(null);
      clientContext.addPublishInboundInterceptor((publishInput, publishOutput) -> {
        var properties = publishOutput.getPublishPacket().getUserProperties();
        properties.removeName(MqttTopics.SESSION_PROPERTY);
        if (session != null) {
          properties.addUserProperty(MqttTopics.SESSION_PROPERTY, session);
        }
      });
      if (config.deliverInBroker()) {
        attributes.getAsString(DEVICE_ATTRIBUTE).map(DeviceId::new).ifPresent(device -> clientContext.addPublishInboundInterceptor(
            new InBrokerDelivery(inbox, device, session, io.iotpay.platform.envelope.EnvelopeService.ENVELOPE_BYTES_MAX_DEFAULT)));
      }
    });
  }

  @Override
  public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
    // Nothing to release: the registries go away with the broker.
  }

  @Override
  public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
    String clientId = input.getClientInformation().getClientId();
    ConnectionAttributeStore attributes = input.getConnectionInformation().getConnectionAttributeStore();
    Optional<String> username = input.getConnectPacket().getUserName();
    byte[] password = input.getConnectPacket().getPassword().map(BrokerGuard::bytes).orElse(new byte[0]);
    if (username.isPresent() && username.get().equals(BridgeCredentials.USERNAME)) {
      authenticateBridge(clientId, password, attributes, output);
      return;
    }
    try {
      DeviceRecord device = authenticateDevice(clientId, password, input.getConnectionInformation().getClientTlsInformation());
      attributes.putAsString(DEVICE_ATTRIBUTE, device.deviceId().value());
      attributes.putAsString(SESSION_ATTRIBUTE, UUID.randomUUID().toString());
      counters.connectsAccepted.increment();
      output.authenticateSuccessfully();
    } catch (ConnectTokenException e) {
      counters.connectRefused(e.reason());
      // Logged once (WARN), counted and listed for the operator by the inbox's security log.
      inbox.refusedConnection(Transport.MQTT, clientId, e.reason().name(), "MQTT CONNECT: " + e.getMessage());
      output.failAuthentication(connackCode(e.reason()), e.reason().name());
    }
  }

  private void authenticateBridge(String clientId, byte[] password, ConnectionAttributeStore attributes, SimpleAuthOutput output) {
    if (!MessageDigest.isEqual(password, bridge.password())) {
      counters.connectRefused(Reason.BAD_SIGNATURE);
      inbox.refusedConnection(Transport.MQTT, clientId, "BRIDGE_SECRET_WRONG", "MQTT CONNECT as the platform bridge with a wrong secret");
      output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad bridge credentials");
      return;
    }
    attributes.putAsString(BRIDGE_ATTRIBUTE, "true");
    output.authenticateSuccessfully();
  }

  private DeviceRecord authenticateDevice(String clientId, byte[] password, Optional<ClientTlsInformation> tls) {
    Optional<X509Certificate> certificate = tls.flatMap(ClientTlsInformation::getClientCertificate);
    Instant now = clock.instant();
    if (certificate.isPresent()) {
      return authenticateCertificate(clientId, certificate.get(), now);
    }
    ConnectToken.Verified verified = ConnectToken.verify(clientId, password, identity, now, config.connectTokenSkewMax());
    tokenGuard.accept(verified.device().deviceId(), verified.issuedAt(), now);
    return verified.device();
  }

  private DeviceRecord authenticateCertificate(String clientId, X509Certificate certificate, Instant now) {
    DeviceRecord device;
    try {
      // JSSE cannot do SM2 client certificates, so a TLS client certificate is always INTERNATIONAL.
      device = identity.authenticate(AlgorithmSuite.INTERNATIONAL, certificate, now);
    } catch (InvalidInputException e) {
      throw new ConnectTokenException(Reason.CERTIFICATE_REFUSED, "client certificate: " + e.getMessage(), e);
    }
    if (!device.deviceId().value().equals(clientId)) {
      throw new ConnectTokenException(Reason.WRONG_DEVICE, "certificate is device " + device.deviceId() + ", client id is " + printable(clientId));
    }
    return device;
  }

  @Override
  public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
    String topic = input.getPublishPacket().getTopic();
    if (isBridge(input) ? MqttTopics.bridgePublishAllowed(topic) : deviceOf(input).map(d -> MqttTopics.devicePublishAllowed(d, topic)).orElse(false)) {
      output.authorizeSuccessfully();
      return;
    }
    counters.refusedPublishes.increment();
    // Logged once: by the security log for a device, here for anyone else (the bridge).
    deviceOf(input).ifPresentOrElse(device -> inbox.refusedAtDoor(Transport.MQTT, device, RefusalReason.NOT_AUTHORISED,
        "publish on topic " + printable(topic)), () -> LOG.warn("MQTT publish refused [clientId={}, topic={}, reason=NOT_AUTHORISED]",
        printable(input.getClientInformation().getClientId()), printable(topic)));
    output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, "NOT_AUTHORISED");
  }

  @Override
  public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
    String filter = input.getSubscription().getTopicFilter();
    if (isBridge(input) ? MqttTopics.bridgeSubscribeAllowed(filter) : deviceOf(input).map(d -> MqttTopics.deviceSubscribeAllowed(d, filter)).orElse(false)) {
      output.authorizeSuccessfully();
      return;
    }
    counters.refusedSubscribes.increment();
    deviceOf(input).ifPresentOrElse(device -> inbox.refusedAtDoor(Transport.MQTT, device, RefusalReason.NOT_AUTHORISED,
        "subscription to " + printable(filter)), () -> LOG.warn("MQTT subscribe refused [clientId={}, filter={}, reason=NOT_AUTHORISED]",
        printable(input.getClientInformation().getClientId()), printable(filter)));
    output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "NOT_AUTHORISED");
  }

  private static boolean isBridge(ClientBasedInput input) {
    return input.getConnectionInformation().getConnectionAttributeStore().getAsString(BRIDGE_ATTRIBUTE).isPresent();
  }

  static Optional<DeviceId> deviceOf(ClientBasedInput input) {
    return input.getConnectionInformation().getConnectionAttributeStore().getAsString(DEVICE_ATTRIBUTE).map(DeviceId::new);
  }

  /**
   * The CONNACK reason code (MQTT 5 §3.2.2.2) for a refused CONNECT: 0x85 only for a client id that is
   * not a device id; 0x86 for any fault of the token (missing, garbage, forged, for another device,
   * stale, replayed); 0x87 for a device that may not connect; 0x8A for a revoked one.
   */
  static ConnackReasonCode connackCode(Reason reason) {
    return switch (reason) {
      case BAD_CLIENT_ID -> ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
      case NO_TOKEN, MALFORMED, OVERSIZED, WRONG_DEVICE, SUITE_MISMATCH, BAD_SIGNATURE, EXPIRED, REPLAYED ->
          ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD;
      case UNKNOWN_DEVICE, DEVICE_SUSPENDED, CERTIFICATE_REFUSED -> ConnackReasonCode.NOT_AUTHORIZED;
      case DEVICE_REVOKED -> ConnackReasonCode.BANNED;
    };
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.asReadOnlyBuffer();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  /** A client-chosen string made safe for one log line: bounded, control characters replaced. */
  static String printable(String text) {
    if (text == null) {
      return "(none)";
    }
    String bounded = text.length() > 80 ? text.substring(0, 80) + "…" : text;
    return CONTROL_CHAR.matcher(bounded).replaceAll("?");
  }
}

package io.iotpay.platform.access.coap;

import io.iotpay.platform.identity.DeviceId;
import java.security.Principal;
import java.util.Optional;
import org.eclipse.californium.elements.DtlsEndpointContext;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.elements.auth.X509CertPath;
import org.eclipse.californium.elements.util.Bytes;

/**
 * The device a DTLS channel belongs to: the PSK identity, or the CN of the client certificate
 * (which the identity service matched to the registered device during the handshake). Anything
 * else (no DTLS, raw public keys, a malformed name) has no device.
 */
final class ChannelIdentity {
  private ChannelIdentity() {}

  /** The authenticated device of {@code peer}; empty for an unauthenticated or unknown kind of peer. */
  static Optional<DeviceId> deviceOf(Principal peer) {
    return switch (peer) {
      case PreSharedKeyIdentity psk -> DeviceUplinkPath.deviceId(psk.getIdentity());
      case X509CertPath certificate -> DeviceUplinkPath.deviceId(certificate.getCN());
      case null, default -> Optional.empty();
    };
  }

  /**
   * The transport session for the inbox (1..128 printable characters): {@code dtls/} and the DTLS
   * session id in hex (at most 64 characters), or {@code udp/} and the peer address on the plain endpoint.
   */
  static String sessionId(EndpointContext context) {
    Bytes sessionId = context == null ? null : context.get(DtlsEndpointContext.KEY_SESSION_ID);
    if (sessionId != null && !sessionId.isEmpty()) {
      return "dtls/" + sessionId.getAsString();
    }
    String peer = context == null || context.getPeerAddress() == null ? "unknown" : context.getPeerAddress().toString();
    return ("udp/" + peer).substring(0, Math.min(128, 4 + peer.length()));
  }
}

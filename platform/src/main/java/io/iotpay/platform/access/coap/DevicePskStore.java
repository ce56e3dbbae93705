package io.iotpay.platform.access.coap;

import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceRecord;
import io.iotpay.platform.identity.DeviceStatus;
import io.iotpay.platform.identity.IdentityService;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.util.SecretUtil;
import org.eclipse.californium.scandium.util.ServerNames;

/**
 * Scandium's PSK source on the server: the PSK identity is the device id, the key is derived
 * ({@link DevicePskDeriver}). A device that is unknown, not ACTIVE, or whose identity is not a valid
 * device id gets no key, so its handshake fails. Synchronous: the identity lookup goes through the
 * identity service's bounded cache.
 */
final class DevicePskStore implements AdvancedPskStore {

  private final IdentityService identity;
  private final DevicePskDeriver deriver;
  private final io.iotpay.platform.inbox.DeviceInbox inbox;

  /** @param inbox told of each refused identity (its security log logs it once, counts and lists it) */
  DevicePskStore(IdentityService identity, DevicePskDeriver deriver, io.iotpay.platform.inbox.DeviceInbox inbox) {
    this.identity = identity;
    this.deriver = deriver;
    this.inbox = inbox;
  }

  @Override
  public boolean hasEcdhePskSupported() {
    return true;
  }

  @Override
  public PskSecretResult requestPskSecretResult(ConnectionId cid, ServerNames serverName, PskPublicInformation pskIdentity,
      String hmacAlgorithm, SecretKey otherSecret, byte[] seed, boolean useExtendedMasterSecret) {
    Optional<byte[]> psk = keyFor(pskIdentity == null ? null : pskIdentity.getPublicInfoAsString());
    if (psk.isEmpty()) {
      return new PskSecretResult(cid, pskIdentity, null);
    }
    byte[] key = psk.get();
    SecretKey secret = SecretUtil.create(key, PskSecretResult.ALGORITHM_PSK);
    Arrays.fill(key, (byte) 0);
    return new PskSecretResult(cid, pskIdentity, secret);
  }

  /** The PSK of the ACTIVE device named {@code pskIdentity}, or empty; never throws for junk. */
  Optional<byte[]> keyFor(String pskIdentity) {
    Optional<DeviceId> deviceId = DeviceUplinkPath.deviceId(pskIdentity);
    if (deviceId.isEmpty()) {
      inbox.refusedConnection(io.iotpay.platform.inbox.Transport.COAP, pskIdentity, "UNKNOWN_PSK_IDENTITY",
          "DTLS handshake: PSK identity of " + (pskIdentity == null ? 0 : pskIdentity.length()) + " characters is not a device id");
      return Optional.empty();
    }
    Optional<DeviceRecord> device = identity.deviceForMessage(deviceId.get());
    if (device.isEmpty() || device.get().status() != DeviceStatus.ACTIVE) {
      String reason = device.map(d -> "DEVICE_" + d.status().name()).orElse("UNKNOWN_PSK_IDENTITY");
      inbox.refusedConnection(io.iotpay.platform.inbox.Transport.COAP, deviceId.get().value(), reason,
          "DTLS handshake: PSK identity " + deviceId.get() + " is " + device.map(d -> d.status().name()).orElse("not registered"));
      return Optional.empty();
    }
    return Optional.of(deriver.derive(deviceId.get()));
  }

  @Override
  public PskPublicInformation getIdentity(InetSocketAddress peerAddress, ServerNames virtualHost) {
    return null; // server side only: the platform never starts a handshake
  }

  @Override
  public void setResultHandler(HandshakeResultHandler resultHandler) {
    // synchronous store: results are returned, not handed over later
  }
}

package io.iotpay.platform.identity;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * A registered device as the registry holds it.
 *
 * @param certificate the device certificate (issued by the device CA, or the manufacturer's for JIT)
 * @param statusReason why the status was last changed; empty for a device never suspended
 */
public record DeviceRecord(
    DeviceId deviceId,
    AlgorithmSuite suite,
    X509Certificate certificate,
    RegistrationOrigin origin,
    DeviceStatus status,
    String statusReason,
    Instant registeredAt,
    Instant statusChangedAt) {

  /** The device's public key (from its certificate); never null. */
  public PublicKey publicKey() {
    return certificate.getPublicKey();
  }

  DeviceRecord withStatus(DeviceStatus newStatus, String reason, Instant at) {
    return new DeviceRecord(deviceId, suite, certificate, origin, newStatus, reason, registeredAt, at);
  }
}

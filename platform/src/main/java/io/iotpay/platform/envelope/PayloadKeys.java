package io.iotpay.platform.envelope;

import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.platform.identity.DeviceId;
import java.util.Optional;

/**
 * The 16-byte payload key shared with a device (AES-128 or SM4), for COSE_Encrypt0 payloads.
 * Keys come from the secure chip's session-key establishment (issue #5 item 1); the envelope only
 * looks them up.
 */
@FunctionalInterface
public interface PayloadKeys {
  /** The device's current payload key; empty when none is established. Never null. */
  Optional<SecretKeyBytes> payloadKey(DeviceId deviceId);

  /** No device has a payload key: encrypted payloads are refused (NO_PAYLOAD_KEY). */
  static PayloadKeys none() {
    return deviceId -> Optional.empty();
  }
}

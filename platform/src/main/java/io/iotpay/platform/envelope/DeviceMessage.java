package io.iotpay.platform.envelope;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.identity.DeviceId;

/**
 * A device message that passed every check: signature under the registered key, device active,
 * suite matching, counter fresh. {@code payload} is the plaintext (decrypted if it was sent
 * encrypted).
 */
public record DeviceMessage(DeviceId deviceId, AlgorithmSuite suite, long counter, byte[] payload, boolean encrypted) {
  public DeviceMessage {
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}

package io.iotpay.agent.sdk;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.security.PublicKey;
import java.util.Objects;

/**
 * The device's trust anchor for answers: the platform's answer-signing public key of the device's
 * suite and its key id (on a chip device, stored in the secure element at provisioning).
 */
public record PlatformTrust(AlgorithmSuite suite, String keyId, PublicKey answerKey) {
  public PlatformTrust {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(answerKey, "answerKey");
  }
}

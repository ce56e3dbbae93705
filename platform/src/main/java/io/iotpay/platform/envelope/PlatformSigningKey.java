package io.iotpay.platform.envelope;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SignatureAlgorithm;
import java.security.KeyPair;
import java.util.Objects;

/**
 * The platform's answer-signing key of one suite. Devices hold its public half as their trust
 * anchor and check every answer against it. {@code keyId} travels as the answer's kid.
 *
 * <p>{@link #sign} keeps one initialised signer per thread: initialising an SM2 signer costs a
 * scalar multiplication (the public point for the Z value), as much as a signature itself.
 */
public final class PlatformSigningKey {
  private final AlgorithmSuite suite;
  private final String keyId;
  private final KeyPair keys;
  private final ThreadLocal<SignatureAlgorithm.Signer> signers;

  public PlatformSigningKey(AlgorithmSuite suite, String keyId, KeyPair keys) {
    this.suite = Objects.requireNonNull(suite, "suite");
    this.keyId = Objects.requireNonNull(keyId, "keyId");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.signers = ThreadLocal.withInitial(() -> suite.signature().newSigner(keys.getPrivate()));
  }

  public AlgorithmSuite suite() {
    return suite;
  }

  public String keyId() {
    return keyId;
  }

  public KeyPair keys() {
    return keys;
  }

  /** Signs {@code data} with this key (DER); thread-safe. */
  public byte[] sign(byte[] data) {
    return signers.get().sign(data);
  }

  @Override
  public String toString() {
    // Never the key material.
    return "PlatformSigningKey[" + suite + ", " + keyId + "]";
  }
}

package io.iotpay.agent.sdk;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * A {@link DeviceSigner} over a key pair in memory: <b>the load generator's signer only</b> (the
 * bench's thousands of simulated devices, where the cost measured is the platform's), plus tests
 * and the demo's attackers, whose keys are by definition not on a device chip. A device's key lives
 * on its secure chip: {@link ChipDeviceSigner}, which the demo's devices all use. Nothing here
 * protects the key.
 */
public final class SoftwareDeviceSigner implements DeviceSigner {
  private final String deviceId;
  private final AlgorithmSuite suite;
  private final KeyPair keys;
  /** Initialised once: an SM2 signer's initialisation costs a scalar multiplication. */
  private final io.iotpay.foundation.crypto.SignatureAlgorithm.Signer signer;

  public SoftwareDeviceSigner(String deviceId, AlgorithmSuite suite, KeyPair keys) {
    this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
    this.suite = Objects.requireNonNull(suite, "suite");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.signer = suite.signature().newSigner(keys.getPrivate());
  }

  /** A signer with a fresh key pair of the suite. */
  public static SoftwareDeviceSigner generate(String deviceId, AlgorithmSuite suite, SecureRandom random) {
    return new SoftwareDeviceSigner(deviceId, suite, suite.signature().generateKeyPair(random));
  }

  @Override
  public String deviceId() {
    return deviceId;
  }

  @Override
  public AlgorithmSuite suite() {
    return suite;
  }

  /** The key pair itself: for simulators that hand a device's software key to another process. */
  public KeyPair keyPair() {
    return keys;
  }

  @Override
  public PublicKey publicKey() {
    return keys.getPublic();
  }

  /** Thread-safe: a connect token and a message may be signed at once. */
  @Override
  public synchronized byte[] sign(byte[] data) {
    return signer.sign(data);
  }

  @Override
  public String toString() {
    // Never the key: only what identifies the device.
    return "SoftwareDeviceSigner[" + deviceId + ", " + suite + "]";
  }
}

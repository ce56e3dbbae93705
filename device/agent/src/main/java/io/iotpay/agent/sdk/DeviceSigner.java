package io.iotpay.agent.sdk;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.security.PublicKey;

/**
 * The device's signing key, wherever it lives: the secure chip ({@link ChipDeviceSigner}: the
 * private key never leaves it, the data to sign goes in APDUs) or, for load generation only, a
 * software key ({@link SoftwareDeviceSigner}). Implementations must be safe for use by one thread at a time;
 * the SDK never calls one concurrently.
 */
public interface DeviceSigner {
  /** The device id (the CN of the device certificate); never null. */
  String deviceId();

  /** The suite of the key; never null. */
  AlgorithmSuite suite();

  /** The public key (for the CSR); never null. */
  PublicKey publicKey();

  /**
   * Signs {@code data} (the signer hashes it): ECDSA P-256 with SHA-256, or SM2 with SM3 and the
   * default user id {@code 1234567812345678}.
   *
   * @return the DER-encoded (r, s), as JCA and Java Card produce it; never null
   */
  byte[] sign(byte[] data);
}

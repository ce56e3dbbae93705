package io.iotpay.foundation.custody;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;

/**
 * Loading a clear secret key into a custody, as a key ceremony does (components entered under dual
 * control) and as tests do with keys they made. Deliberately not part of {@link KeyCustody}: the
 * services that use keys receive a {@code KeyCustody} and cannot import clear keys, and nothing
 * here returns key material.
 */
public interface KeyCeremony {
  /**
   * Stores {@code key} as the next version of {@code label} (version 1 when new).
   *
   * @throws KeyCustodyException BAD_INPUT when the key does not fit the usage's cipher or the label
   *     holds keys of another suite or usage
   */
  KeyRef importClear(String label, AlgorithmSuite suite, KeyUsage usage, SecretKeyBytes key);
}

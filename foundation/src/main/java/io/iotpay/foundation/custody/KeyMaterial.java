package io.iotpay.foundation.custody;

import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.security.PublicKey;
import org.bouncycastle.crypto.BlockCipher;

/**
 * One key version's material as an implementation holds it (clear bytes in the software custody's
 * memory, an object handle on a token). Package-private: nothing outside the custody sees it.
 */
interface KeyMaterial {
  /**
   * A block cipher bound to this key: {@code init}'s parameters are ignored (the key is already
   * bound), so BouncyCastle's CMAC and key-wrap constructions run unchanged over a token key.
   *
   * @throws KeyCustodyException UNSUPPORTED for a key pair
   */
  BlockCipher boundEngine();

  /**
   * The ISO 8583 message MAC of {@code data} (see {@link KeyUsage#ZONE_MAC}), 8 bytes.
   *
   * @throws KeyCustodyException UNSUPPORTED for a key pair
   */
  byte[] messageMac(byte[] data);

  /** A DER signature of {@code data}. @throws KeyCustodyException UNSUPPORTED for a secret key */
  byte[] sign(byte[] data);

  /** @throws KeyCustodyException UNSUPPORTED for a secret key */
  PublicKey publicKey();

  /**
   * The clear key, for the operations whose foundation formula takes key bytes (PIN translation,
   * DUKPT, key wrap). Only the software custody has it.
   *
   * @throws KeyCustodyException UNSUPPORTED when the key cannot leave its token
   */
  SecretKeyBytes clearKey();

  /** Overwrites clear material held in memory (no-op for a token handle). */
  void destroy();
}

package io.iotpay.foundation.crypto;

import org.bouncycastle.crypto.engines.DESEngine;

/**
 * BouncyCastle's single DES with the key schedule taken from tables ({@link DesKeyTables}): same
 * output, a much cheaper {@code init}. For protocols that re-key per message (ISO 9797-1 MAC
 * algorithm 3 under session keys). Not thread-safe, like every engine.
 */
public final class FastDesEngine extends DESEngine {
  @Override
  protected int[] generateWorkingKey(boolean encrypting, byte[] key) {
    return DesKeyTables.schedule(encrypting, key);
  }
}

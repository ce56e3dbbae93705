package io.iotpay.foundation.crypto;

import org.bouncycastle.crypto.engines.DESedeEngine;

/**
 * BouncyCastle's triple DES with the three key schedules taken from tables ({@link DesKeyTables}):
 * same output, a much cheaper {@code init}. Not thread-safe, like every engine.
 */
public final class FastDesedeEngine extends DESedeEngine {
  @Override
  protected int[] generateWorkingKey(boolean encrypting, byte[] key) {
    return DesKeyTables.schedule(encrypting, key);
  }
}

package io.iotpay.foundation.crypto;

import org.bouncycastle.crypto.engines.DESEngine;

/**
 * BouncyCastle's single DES with the key schedule taken from tables ({@link DesKeyTables}): same
 * output, a much cheaper {@code init}. For protocols that re-key per message (ISO 9797-1 MAC
 * algorithm 3 under session keys). Not thread-safe, like every engine.
 */
public final class FastDesEngine extends DESEngine {
  /** The schedule handed to the engine by the last {@code init}, kept so that {@link #wipe} can clear it. */
  private int[] schedule;

  @Override
  protected int[] generateWorkingKey(boolean encrypting, byte[] key) {
    schedule = DesKeyTables.schedule(encrypting, key);
    return schedule;
  }

  /** Overwrites the key schedule with zeros; the engine computes garbage until it is initialised again. */
  public void wipe() {
    if (schedule != null) {
      java.util.Arrays.fill(schedule, 0);
    }
  }
}

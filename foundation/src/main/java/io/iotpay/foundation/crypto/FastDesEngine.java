package io.iotpay.foundation.crypto;

import org.bouncycastle.crypto.engines.DESEngine;

/**
 * BouncyCastle's single DES with the key schedule taken from tables ({@link DesKeyTables}): same
 * output, a much cheaper {@code init}. For protocols that re-key per message (ISO 9797-1 MAC
 * algorithm 3 under session keys). Not thread-safe, like every engine.
 */
public final class FastDesEngine extends DESEngine {
  /**
   * The schedule handed to the engine by every {@code init}: one array, rewritten by each, so that
   * re-keying per message allocates nothing (the engine keeps only the last key's schedule anyway);
   * kept so that {@link #wipe} can clear it.
   */
  private final int[] schedule = new int[32];

  @Override
  protected int[] generateWorkingKey(boolean encrypting, byte[] key) {
    return DesKeyTables.scheduleInto(encrypting, key, schedule);
  }

  /** Overwrites the key schedule with zeros; the engine computes garbage until it is initialised again. */
  public void wipe() {
    java.util.Arrays.fill(schedule, 0);
  }
}

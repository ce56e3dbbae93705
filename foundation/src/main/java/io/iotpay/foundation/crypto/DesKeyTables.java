package io.iotpay.foundation.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.engines.DESEngine;

/**
 * DES key schedules by table instead of bit by bit.
 *
 * <p>Why: clearing sets up fresh DES keys for every record (a counter session key per ATC, then its
 * MAC keys), and BouncyCastle's schedule moves the key one bit at a time, which profiling showed
 * was most of the 3DES TAC verification time. The schedule is a pure bit selection (PC-1, the
 * rotations, PC-2 and BouncyCastle's regrouping into 6-bit S-box indices), so it is linear over
 * GF(2) with the all-zero key mapped to all zeros: the schedule of a key is the XOR of the
 * schedules of its bytes taken one at a time. The tables hold, for each of the 8 key byte positions
 * and each of the 256 byte values, BouncyCastle's own schedule of that one-byte key, computed at
 * class load (8 × 256 × 2 schedules, a few milliseconds), so the output is BouncyCastle's by
 * construction; {@code DesKeyTablesTest} checks it against BouncyCastle and against the JDK's DES
 * for random keys.
 */
final class DesKeyTables {
  private static final int WORDS = 32;
  /** [direction][byte position][byte value][word], flattened: 2 × 8 × 256 × 32 ints = 512 KiB. */
  private static final int[] TABLE = build();

  private DesKeyTables() {}

  /** The working key BouncyCastle's {@code DESBase.generateWorkingKey(encrypting, key)} computes (key[0..8)). */
  static int[] schedule(boolean encrypting, byte[] key) {
    return scheduleInto(encrypting, key, new int[WORDS]);
  }

  /**
   * {@link #schedule} written into {@code out} (32 words, overwritten), so that an engine re-keyed per
   * message reuses one array instead of allocating one per key.
   */
  static int[] scheduleInto(boolean encrypting, byte[] key, int[] out) {
    int base = encrypting ? 0 : 8 * 256 * WORDS;
    int first = base + (key[0] & 0xFF) * WORDS;
    System.arraycopy(TABLE, first, out, 0, WORDS);
    for (int position = 1; position < 8; position++) {
      int offset = base + (position * 256 + (key[position] & 0xFF)) * WORDS;
      for (int w = 0; w < WORDS; w++) {
        out[w] ^= TABLE[offset + w];
      }
    }
    return out;
  }

  private static int[] build() {
    Reference reference = new Reference();
    int[] table = new int[2 * 8 * 256 * WORDS];
    byte[] key = new byte[8];
    for (int direction = 0; direction < 2; direction++) {
      for (int position = 0; position < 8; position++) {
        for (int value = 0; value < 256; value++) {
          Arrays.fill(key, (byte) 0);
          key[position] = (byte) value;
          int[] words = reference.schedule(direction == 0, key);
          System.arraycopy(words, 0, table, ((direction * 8 + position) * 256 + value) * WORDS, WORDS);
        }
      }
    }
    return table;
  }

  /** BouncyCastle's bit-by-bit schedule, reached through its protected method. */
  static final class Reference extends DESEngine {
    int[] schedule(boolean encrypting, byte[] key) {
      return super.generateWorkingKey(encrypting, key);
    }
  }
}

package io.iotpay.scheme;

import io.iotpay.foundation.Assert;

/**
 * A set of (long, long) pairs in two flat arrays with open addressing: the switch remembers every
 * record it has seen (10 million a day in a big city) without an object per record. Additions made
 * since {@link #mark()} can be taken back ({@link #rollback()}): the switch reads an offline file
 * once, adding its records as it goes, and takes them back when the file's trailer does not verify.
 */
final class LongPairSet {
  private static final int CAPACITY_MIN = 1 << 10;
  private long[] highs;
  private long[] lows;
  private boolean[] used;
  private int size;
  /** Pairs added since {@link #mark()}, in order (null when not marking). */
  private long[] journal;
  private int journalSize;

  LongPairSet() {
    allocate(CAPACITY_MIN);
  }

  int size() {
    return size;
  }

  boolean contains(long high, long low) {
    int mask = highs.length - 1;
    for (int i = slot(high, low, mask); used[i]; i = (i + 1) & mask) {
      if (highs[i] == high && lows[i] == low) {
        return true;
      }
    }
    return false;
  }

  /** @return true when the pair was not in the set */
  boolean add(long high, long low) {
    if ((size + 1) * 4L > highs.length * 3L) {
      grow();
    }
    int mask = highs.length - 1;
    int i = slot(high, low, mask);
    for (; used[i]; i = (i + 1) & mask) {
      if (highs[i] == high && lows[i] == low) {
        return false;
      }
    }
    used[i] = true;
    highs[i] = high;
    lows[i] = low;
    size++;
    if (journal != null) {
      if (journalSize + 2 > journal.length) {
        journal = java.util.Arrays.copyOf(journal, journal.length * 2);
      }
      journal[journalSize++] = high;
      journal[journalSize++] = low;
    }
    return true;
  }

  /** Starts remembering additions, so that {@link #rollback()} can take them back (replaces an earlier mark). */
  void mark() {
    journal = new long[1024];
    journalSize = 0;
  }

  /** Keeps the additions since {@link #mark()} and stops remembering them. */
  void commit() {
    journal = null;
    journalSize = 0;
  }

  /** Removes every pair added since {@link #mark()}, newest first, and stops remembering. */
  void rollback() {
    Assert.that(journal != null, "rollback without a mark");
    for (int j = journalSize - 2; j >= 0; j -= 2) {
      remove(journal[j], journal[j + 1]);
    }
    commit();
  }

  /** Linear-probing deletion by backward shift: later entries of the probe run move into the hole. */
  private void remove(long high, long low) {
    int mask = highs.length - 1;
    int i = slot(high, low, mask);
    while (used[i] && !(highs[i] == high && lows[i] == low)) {
      i = (i + 1) & mask;
    }
    Assert.that(used[i], "journalled pair missing from the set");
    int hole = i;
    for (int j = (hole + 1) & mask; used[j]; j = (j + 1) & mask) {
      int home = slot(highs[j], lows[j], mask);
      // j's entry may fill the hole unless its home lies cyclically in (hole, j]
      boolean homeBetween = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (!homeBetween) {
        highs[hole] = highs[j];
        lows[hole] = lows[j];
        hole = j;
      }
    }
    used[hole] = false;
    highs[hole] = 0;
    lows[hole] = 0;
    size--;
  }

  private void grow() {
    long[] oldHighs = highs;
    long[] oldLows = lows;
    boolean[] oldUsed = used;
    Assert.that(oldHighs.length < 1 << 30, "seen-record set is full [size={}]", size);
    allocate(oldHighs.length * 2);
    int mask = highs.length - 1;
    for (int j = 0; j < oldHighs.length; j++) {
      if (oldUsed[j]) {
        int i = slot(oldHighs[j], oldLows[j], mask);
        while (used[i]) {
          i = (i + 1) & mask;
        }
        used[i] = true;
        highs[i] = oldHighs[j];
        lows[i] = oldLows[j];
      }
    }
  }

  private void allocate(int capacity) {
    highs = new long[capacity];
    lows = new long[capacity];
    used = new boolean[capacity];
  }

  private static int slot(long high, long low, int mask) {
    long h = high * 0x9E3779B97F4A7C15L ^ low * 0xC2B2AE3D27D4EB4FL;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 32;
    return (int) h & mask;
  }
}

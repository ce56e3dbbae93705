package io.iotpay.scheme;

import io.iotpay.foundation.Assert;

/**
 * A set of (long, long) pairs in two flat arrays with open addressing: the switch remembers every
 * record it has seen (10 million a day in a big city) without an object per record.
 */
final class LongPairSet {
  private static final int CAPACITY_MIN = 1 << 10;
  private long[] highs;
  private long[] lows;
  private boolean[] used;
  private int size;

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
    return true;
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

package io.iotpay.switching.transit;

import io.iotpay.foundation.Assert;
import java.util.Arrays;

/**
 * A set of (long, long) pairs in one flat array with open addressing (linear probing): the switch
 * remembers every record it has seen (10 million a day in a big city) without an object per
 * record. A pair's two longs sit side by side, so a probe costs one cache miss, not one per array;
 * (0, 0) marks an empty slot and is remembered by a flag of its own. Additions made since
 * {@link #mark()} can be taken back ({@link #rollback()}): the switch reads an offline file once,
 * adding its records as it goes, and takes them back when the file's trailer does not verify.
 */
final class LongPairSet {
  private static final int CAPACITY_MIN = 1 << 10;
  /** Slot s holds its pair at [2s, 2s + 1]. */
  private long[] slots;
  private int capacity;
  private int size;
  private boolean hasZero;
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
    if (high == 0 && low == 0) {
      return hasZero;
    }
    int mask = capacity - 1;
    for (int i = slot(high, low, mask); ; i = (i + 1) & mask) {
      long h = slots[2 * i];
      long l = slots[2 * i + 1];
      if (h == high && l == low) {
        return true;
      }
      if (h == 0 && l == 0) {
        return false;
      }
    }
  }

  /** @return true when the pair was not in the set (and is now) */
  boolean add(long high, long low) {
    if (high == 0 && low == 0) {
      if (hasZero) {
        return false;
      }
      hasZero = true;
    } else {
      if ((size + 1) * 4L > capacity * 3L) {
        grow();
      }
      int mask = capacity - 1;
      int i = slot(high, low, mask);
      for (; !empty(i); i = (i + 1) & mask) {
        if (slots[2 * i] == high && slots[2 * i + 1] == low) {
          return false;
        }
      }
      slots[2 * i] = high;
      slots[2 * i + 1] = low;
    }
    size++;
    if (journal != null) {
      if (journalSize + 2 > journal.length) {
        journal = Arrays.copyOf(journal, journal.length * 2);
      }
      journal[journalSize++] = high;
      journal[journalSize++] = low;
    }
    return true;
  }

  /**
   * Makes room for {@code more} additions at once (one rehash instead of one per doubling while a
   * big file is read); {@code more} is capped at {@value #RESERVE_MAX} so that a file's claimed
   * size cannot make the switch allocate beyond a few hundred MB up front.
   */
  void reserve(long more) {
    long wanted = size + Math.min(Math.max(0, more), RESERVE_MAX);
    int target = capacity;
    while (wanted * 4 > target * 3L && target < 1 << 29) {
      target *= 2;
    }
    if (target > capacity) {
      rehash(target);
    }
  }

  static final long RESERVE_MAX = 1 << 23;

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

  private boolean empty(int i) {
    return slots[2 * i] == 0 && slots[2 * i + 1] == 0;
  }

  /** Linear-probing deletion by backward shift: later entries of the probe run move into the hole. */
  private void remove(long high, long low) {
    size--;
    if (high == 0 && low == 0) {
      Assert.that(hasZero, "journalled pair missing from the set");
      hasZero = false;
      return;
    }
    int mask = capacity - 1;
    int i = slot(high, low, mask);
    while (!empty(i) && !(slots[2 * i] == high && slots[2 * i + 1] == low)) {
      i = (i + 1) & mask;
    }
    Assert.that(!empty(i), "journalled pair missing from the set");
    int hole = i;
    for (int j = (hole + 1) & mask; !empty(j); j = (j + 1) & mask) {
      int home = slot(slots[2 * j], slots[2 * j + 1], mask);
      // j's entry may fill the hole unless its home lies cyclically in (hole, j]
      boolean homeBetween = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (!homeBetween) {
        slots[2 * hole] = slots[2 * j];
        slots[2 * hole + 1] = slots[2 * j + 1];
        hole = j;
      }
    }
    slots[2 * hole] = 0;
    slots[2 * hole + 1] = 0;
  }

  private void grow() {
    Assert.that(capacity < 1 << 29, "seen-record set is full [size={}]", size);
    rehash(capacity * 2);
  }

  private void rehash(int newCapacity) {
    long[] old = slots;
    int oldCapacity = capacity;
    allocate(newCapacity);
    int mask = capacity - 1;
    for (int j = 0; j < oldCapacity; j++) {
      long high = old[2 * j];
      long low = old[2 * j + 1];
      if (high != 0 || low != 0) {
        int i = slot(high, low, mask);
        while (!empty(i)) {
          i = (i + 1) & mask;
        }
        slots[2 * i] = high;
        slots[2 * i + 1] = low;
      }
    }
  }

  private void allocate(int newCapacity) {
    capacity = newCapacity;
    slots = new long[2 * newCapacity];
  }

  private static int slot(long high, long low, int mask) {
    long h = high * 0x9E3779B97F4A7C15L ^ low * 0xC2B2AE3D27D4EB4FL;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 32;
    return (int) h & mask;
  }
}

package io.iotpay.foundation.custody;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Derived card keys, least recently used first, at most {@code entriesMax}: clearing derives the
 * same card's key for each of its taps, and an unbounded cache was the 4 M raw keys the review
 * found. Each key is the cache's own array, overwritten with zeros when it is evicted or the cache
 * is cleared. Thread-safe: every method holds the cache's monitor, and callers get copies.
 */
final class CardKeyCache {
  /** Default bound: about 1 MB of keys and map entries. */
  static final int ENTRIES_MAX_DEFAULT = 8192;

  private final int entriesMax;
  private final LinkedHashMap<String, byte[]> entries;
  private long evictions;
  private long hits;
  /** Hits served by a thread's last card key instead of the map (no monitor taken for them). */
  private final LongAdder reuses = new LongAdder();
  private long misses;

  CardKeyCache(int entriesMax) {
    Assert.that(entriesMax >= 0, "card key cache bound is negative [entriesMax={}]", entriesMax);
    this.entriesMax = entriesMax;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
        if (size() <= CardKeyCache.this.entriesMax) {
          return false;
        }
        Arrays.fill(eldest.getValue(), (byte) 0);
        evictions++;
        return true;
      }
    };
  }

  /** A copy of the cached key, or null: the cache's own array may be zeroised by another thread. */
  synchronized SecretKeyBytes copy(String id) {
    byte[] key = get(id);
    return key == null ? null : new SecretKeyBytes(key);
  }

  /** The cached key (the cache's own array), or null. */
  synchronized byte[] get(String id) {
    byte[] key = entries.get(id);
    if (key == null) {
      misses++;
    } else {
      hits++;
    }
    return key;
  }

  /** Whether keys are kept at all (a bound of 0 keeps none, and nobody may keep one in its stead). */
  boolean keeps() {
    return entriesMax > 0;
  }

  /** Counts a hit served outside the map (a thread's last card key): a derivation saved all the same. */
  void countReuse() {
    reuses.increment();
  }

  /** Caches {@code key} (the cache takes the array); with a bound of 0 it is zeroised at once. */
  synchronized void put(String id, byte[] key) {
    if (entriesMax == 0) {
      Arrays.fill(key, (byte) 0);
      return;
    }
    entries.put(id, key);
  }

  /** Zeroises and drops every key whose id starts with {@code prefix} (a retired IMK's cards). */
  synchronized void dropPrefix(String prefix) {
    entries.entrySet().removeIf(entry -> {
      if (entry.getKey().startsWith(prefix)) {
        Arrays.fill(entry.getValue(), (byte) 0);
        return true;
      }
      return false;
    });
  }

  synchronized void clear() {
    dropPrefix("");
  }

  synchronized CardKeyCacheStats stats() {
    return new CardKeyCacheStats(entries.size(), entriesMax, hits + reuses.sum(), misses, evictions);
  }
}

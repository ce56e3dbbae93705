package io.iotpay.platform.identity;

import io.iotpay.foundation.Assert;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A bounded, invalidated cache of device records in front of the registry. Bounded twice: at most
 * {@code entriesMax} devices (least recently used evicted) and at most {@code ttlMs} old, so a
 * status change made by another platform node (which cannot invalidate this cache) is seen within
 * {@code ttlMs}. Changes made through this node's {@link IdentityService} invalidate at once.
 */
final class DeviceCache {
  private record Cached(DeviceRecord device, long loadedNanos) {}

  private final int entriesMax;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final LinkedHashMap<DeviceId, Cached> entries;

  DeviceCache(int entriesMax, long ttlMs, LongSupplier nanoTime) {
    Assert.that(entriesMax >= 0, "cache entriesMax {} is negative", entriesMax);
    Assert.that(ttlMs >= 0, "cache ttlMs {} is negative", ttlMs);
    this.entriesMax = entriesMax;
    this.ttlNanos = ttlMs * 1_000_000L;
    this.nanoTime = nanoTime;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<DeviceId, Cached> eldest) {
        return size() > DeviceCache.this.entriesMax;
      }
    };
  }

  synchronized Optional<DeviceRecord> get(DeviceId deviceId) {
    Cached entry = entries.get(deviceId);
    if (entry == null) {
      return Optional.empty();
    }
    if (nanoTime.getAsLong() - entry.loadedNanos() >= ttlNanos) {
      entries.remove(deviceId);
      return Optional.empty();
    }
    return Optional.of(entry.device());
  }

  synchronized void put(DeviceRecord device) {
    if (entriesMax > 0 && ttlNanos > 0) {
      entries.put(device.deviceId(), new Cached(device, nanoTime.getAsLong()));
    }
  }

  synchronized void invalidate(DeviceId deviceId) {
    entries.remove(deviceId);
  }

  synchronized int size() {
    return entries.size();
  }
}

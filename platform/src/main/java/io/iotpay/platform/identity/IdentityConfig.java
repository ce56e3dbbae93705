package io.iotpay.platform.identity;

import io.iotpay.foundation.InvalidInputException;

/**
 * Settings of the identity service.
 *
 * @param cacheEntriesMax devices kept in the lookup cache (default 100 000; 0 disables it). Bound:
 *     memory, about 2 KiB per device with its certificate.
 * @param cacheTtlMs how long a cached record may be used (default 1 000 ms; at most 60 000). Bound:
 *     the longest a suspension made on another node may go unnoticed here.
 */
public record IdentityConfig(int cacheEntriesMax, long cacheTtlMs) {
  public static final int CACHE_ENTRIES_MAX_LIMIT = 10_000_000;
  public static final long CACHE_TTL_MS_LIMIT = 60_000;

  /** @throws InvalidInputException for values outside the documented bounds */
  public IdentityConfig {
    if (cacheEntriesMax < 0 || cacheEntriesMax > CACHE_ENTRIES_MAX_LIMIT) {
      throw new InvalidInputException("identity: cacheEntriesMax " + cacheEntriesMax + " outside 0.." + CACHE_ENTRIES_MAX_LIMIT);
    }
    if (cacheTtlMs < 0 || cacheTtlMs > CACHE_TTL_MS_LIMIT) {
      throw new InvalidInputException("identity: cacheTtlMs " + cacheTtlMs + " outside 0.." + CACHE_TTL_MS_LIMIT);
    }
  }

  public static IdentityConfig defaults() {
    return new IdentityConfig(100_000, 1_000);
  }
}

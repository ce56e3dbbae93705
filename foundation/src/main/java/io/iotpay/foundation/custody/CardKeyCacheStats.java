package io.iotpay.foundation.custody;

/**
 * Counters of a custody's card-key cache (for operators and tests; no key in them).
 *
 * @param size keys cached now
 * @param entriesMax the bound
 * @param hits derivations saved
 * @param misses derivations made
 * @param evictions keys zeroised and dropped because the bound was reached
 */
public record CardKeyCacheStats(int size, int entriesMax, long hits, long misses, long evictions) {}

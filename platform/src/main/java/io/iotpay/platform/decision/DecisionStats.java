package io.iotpay.platform.decision;

/**
 * Counters of the decision service since it started.
 *
 * @param approved decisions recorded as APPROVED (either version)
 * @param declined decisions recorded as DECLINED (either version)
 * @param confirmationsRequested decisions recorded as ASK_USER
 * @param duplicatesSuppressed intents answered from an earlier decision with the same key
 */
public record DecisionStats(long approved, long declined, long confirmationsRequested, long duplicatesSuppressed) {}

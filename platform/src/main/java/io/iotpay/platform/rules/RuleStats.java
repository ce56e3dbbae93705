package io.iotpay.platform.rules;

/**
 * Counters of the rule engine since it started.
 *
 * @param events events offered
 * @param intents payment intents created (first time, not counting re-answers to duplicates)
 * @param duplicateEvents events whose intent had been created before (answered with the same intent)
 * @param staleEvents level events older (by counter) than one already seen, ignored
 * @param suppressedInProgress episodes or bills that would have paid while a payment of theirs was in progress
 * @param nothingDue bill payments asked for when no bill was outstanding
 */
public record RuleStats(long events, long intents, long duplicateEvents, long staleEvents, long suppressedInProgress, long nothingDue) {}

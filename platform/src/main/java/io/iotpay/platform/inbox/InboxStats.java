package io.iotpay.platform.inbox;

/**
 * What came through the platform's inbox.
 *
 * @param messages envelopes accepted and handled (each once)
 * @param events device events among them (the rules ran)
 * @param duplicates exact duplicates answered again without doing anything
 * @param refused envelopes refused (the security log has them by reason)
 */
public record InboxStats(long messages, long events, long duplicates, long refused) {}

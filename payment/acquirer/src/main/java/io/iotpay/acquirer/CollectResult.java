package io.iotpay.acquirer;

/**
 * What collecting a gate journal did.
 *
 * @param added records new to the back office
 * @param duplicates records it already had (identical), ignored
 * @param refused records refused: another operator's, or a known record id with different content
 */
public record CollectResult(long added, long duplicates, long refused) {}

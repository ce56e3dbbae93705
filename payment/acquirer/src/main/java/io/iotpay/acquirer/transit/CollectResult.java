package io.iotpay.acquirer.transit;

/**
 * What collecting a gate journal did.
 *
 * @param added records new to the back office
 * @param duplicates records it already had (identical), ignored
 * @param refused records refused: another operator's, or a known record id with different content
 * @param foreign records of another operator's transaction found in a gate's journal file (a
 *     recovered copy of a tap torn at that operator's gate, which holds the original), skipped
 */
public record CollectResult(long added, long duplicates, long refused, long foreign) {
  /** A result with nothing foreign (what {@link OperatorBackOffice#collect} returns). */
  public CollectResult(long added, long duplicates, long refused) {
    this(added, duplicates, refused, 0);
  }
}

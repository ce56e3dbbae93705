package io.iotpay.issuer.credit;

/**
 * A range of cardholder ids, both ends inclusive: the unit of work of the nightly run.
 *
 * @param firstId the lowest id, positive
 * @param lastId the highest id, ≥ firstId
 */
public record CardholderRange(long firstId, long lastId) {
  public CardholderRange {
    io.iotpay.foundation.Assert.that(firstId > 0 && lastId >= firstId, "bad cardholder range {}..{}", firstId, lastId);
  }

  public boolean contains(long id) {
    return id >= firstId && id <= lastId;
  }

  /** Splits {@code firstId..lastId} into at most {@code count} ranges of nearly equal width. */
  public static java.util.List<CardholderRange> split(long firstId, long lastId, int count) {
    java.util.List<CardholderRange> ranges = new java.util.ArrayList<>();
    long width = lastId - firstId + 1;
    long step = Math.max(1, (width + count - 1) / count);
    for (long from = firstId; from <= lastId; from += step) {
      ranges.add(new CardholderRange(from, Math.min(lastId, from + step - 1)));
    }
    return ranges;
  }
}

package io.iotpay.issuer.credit;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a store holds for one business date: how many cardholders are rated, by band.
 *
 * @param businessDate the date scored
 * @param scorecardVersion the scorecard that scored it
 * @param cardholders ratings stored for the date
 * @param byBand ratings per band (every band present, zero when none)
 */
public record ScoringSummary(LocalDate businessDate, int scorecardVersion, long cardholders,
    Map<RatingBand, Long> byBand) {
  public ScoringSummary {
    Objects.requireNonNull(businessDate, "businessDate");
    EnumMap<RatingBand, Long> all = new EnumMap<>(RatingBand.class);
    for (RatingBand band : RatingBand.values()) {
      all.put(band, byBand.getOrDefault(band, 0L));
    }
    byBand = java.util.Collections.unmodifiableMap(all);
  }
}

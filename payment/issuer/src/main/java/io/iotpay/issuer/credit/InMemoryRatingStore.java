package io.iotpay.issuer.credit;

import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/** Ratings in memory (tests, the benchmark's reference). Thread-safe: every method holds the store's lock. */
public final class InMemoryRatingStore implements RatingStore {
  private final Map<LocalDate, NavigableMap<Long, Rating>> byDate = new HashMap<>();
  private final Map<Long, NavigableMap<LocalDate, Boolean>> writtenByCardholder = new HashMap<>();
  private final Map<LocalDate, ScoringSummary> completed = new HashMap<>();

  @Override
  public synchronized Optional<ScoringSummary> completedRun(LocalDate businessDate) {
    return Optional.ofNullable(completed.get(businessDate));
  }

  @Override
  public synchronized long lastRated(LocalDate businessDate, CardholderRange range) {
    NavigableMap<Long, Rating> ratings = byDate.get(businessDate);
    Long last = ratings == null ? null : ratings.floorKey(range.lastId());
    return last != null && last >= range.firstId() ? last : range.firstId() - 1;
  }

  @Override
  public synchronized void save(LocalDate businessDate, List<Rating> ratings) {
    for (Rating rating : ratings) {
      io.iotpay.foundation.Assert.that(rating.businessDate().equals(businessDate), "rating of {} saved under {}",
          rating.businessDate(), businessDate);
    }
    NavigableMap<Long, Rating> stored = byDate.computeIfAbsent(businessDate, d -> new TreeMap<>());
    for (Rating rating : ratings) {
      long id = rating.cardholder().value();
      if (stored.putIfAbsent(id, rating) == null) {
        writtenByCardholder.computeIfAbsent(id, c -> new TreeMap<>()).put(businessDate, false);
      }
    }
  }

  @Override
  public synchronized ScoringSummary summarise(LocalDate businessDate, int scorecardVersion) {
    Map<RatingBand, Long> bands = new EnumMap<>(RatingBand.class);
    NavigableMap<Long, Rating> ratings = byDate.getOrDefault(businessDate, new TreeMap<>());
    for (Rating rating : ratings.values()) {
      bands.merge(rating.band(), 1L, Long::sum);
    }
    return new ScoringSummary(businessDate, scorecardVersion, ratings.size(), bands);
  }

  @Override
  public synchronized void completeRun(ScoringSummary summary) {
    completed.putIfAbsent(summary.businessDate(), summary);
  }

  @Override
  public synchronized Optional<Rating> ratingForNextTap(CardholderId cardholder) {
    NavigableMap<LocalDate, Boolean> written = writtenByCardholder.get(cardholder.value());
    if (written == null || written.lastEntry().getValue()) {
      return Optional.empty();
    }
    return Optional.of(byDate.get(written.lastKey()).get(cardholder.value()));
  }

  @Override
  public synchronized Optional<Rating> rating(CardholderId cardholder, LocalDate businessDate) {
    NavigableMap<Long, Rating> ratings = byDate.get(businessDate);
    return Optional.ofNullable(ratings == null ? null : ratings.get(cardholder.value()));
  }

  @Override
  public synchronized boolean written(CardholderId cardholder, LocalDate businessDate) {
    NavigableMap<LocalDate, Boolean> written = writtenByCardholder.get(cardholder.value());
    return written != null && Boolean.TRUE.equals(written.get(businessDate));
  }

  @Override
  public synchronized boolean markWritten(CardholderId cardholder, LocalDate businessDate, Instant confirmedAt) {
    NavigableMap<LocalDate, Boolean> written = writtenByCardholder.get(cardholder.value());
    if (written == null || !Boolean.FALSE.equals(written.get(businessDate))) {
      return false;
    }
    written.put(businessDate, true);
    return true;
  }
}

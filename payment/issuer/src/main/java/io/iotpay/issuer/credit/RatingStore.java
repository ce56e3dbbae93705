package io.iotpay.issuer.credit;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Where ratings wait for the card's next tap: {@link SqlRatingStore} (the issuer's database) or
 * {@link InMemoryRatingStore}. Writes are idempotent per (cardholder, business date): saving a
 * rating that is already stored changes nothing.
 */
public interface RatingStore {
  /** The summary of a completed run of that date, or empty if the date has not completed. */
  Optional<ScoringSummary> completedRun(LocalDate businessDate);

  /** The highest cardholder id of {@code range} rated for the date, or {@code range.firstId() - 1}. */
  long lastRated(LocalDate businessDate, CardholderRange range);

  /**
   * Stores ratings of one business date (all of {@code businessDate}); those already stored for
   * that cardholder and date are left as they are. Atomic: all or none.
   */
  void save(LocalDate businessDate, List<Rating> ratings);

  /** Counts what is stored for the date. */
  ScoringSummary summarise(LocalDate businessDate, int scorecardVersion);

  /** Records the date's run as complete (idempotent). */
  void completeRun(ScoringSummary summary);

  /**
   * The rating to write on the card at its next tap: the cardholder's newest rating, unless it has
   * already been written. Empty when there is nothing new for the card.
   */
  Optional<Rating> ratingForNextTap(CardholderId cardholder);

  /** The cardholder's rating of that date, written or not; empty when there is none. */
  Optional<Rating> rating(CardholderId cardholder, LocalDate businessDate);

  /** True when the card's confirmation of the rating of that date was recorded ({@link #markWritten}). */
  boolean written(CardholderId cardholder, LocalDate businessDate);

  /**
   * Records that the card confirmed writing the rating of that date.
   *
   * @return true if it was waiting to be written, false if unknown or written already
   */
  boolean markWritten(CardholderId cardholder, LocalDate businessDate, Instant confirmedAt);
}

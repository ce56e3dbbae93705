package io.iotpay.issuer.credit;

/** Progress of a nightly run, for a progress bar; called from the run's writer thread. */
@FunctionalInterface
public interface ScoringProgress {
  /**
   * @param ratedCardholders cardholders rated for the date so far (including an earlier, interrupted run's)
   * @param totalCardholders cardholders the source holds
   */
  void rated(long ratedCardholders, long totalCardholders);

  /** Reports nothing. */
  static ScoringProgress none() {
    return (rated, total) -> {};
  }
}

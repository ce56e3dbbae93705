package io.iotpay.issuer.credit;

import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the nightly run reads cardholders' facts: the issuer's credit tables
 * ({@link SqlWalletFacts}) or memory ({@link InMemoryFactsSource}). Implementations must allow
 * {@link #read} on several ranges at once from different threads.
 */
public interface FactsSource {
  /** How many cardholders there are (for progress). */
  long cardholders();

  /**
   * Disjoint ranges, ascending, that together hold every cardholder; at most {@code count} of them
   * (none when there are no cardholders).
   */
  List<CardholderRange> ranges(int count);

  /**
   * Hands every cardholder of {@code range} whose id is above {@code afterId} to {@code sink}, in
   * ascending id order, with the facts needed to score as of {@code asOf} (it may leave out facts
   * outside every indicator's window).
   *
   * @throws CreditInputException if stored facts break a rule of {@link CardholderFacts}
   */
  void read(CardholderRange range, long afterId, LocalDate asOf, Consumer<CardholderFacts> sink);
}

package io.iotpay.issuer.credit;

import java.time.LocalDate;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Facts held in memory, or generated on demand for ids 1..n (the benchmark's cardholders, each a
 * pure function of its id so that any thread can make any range).
 */
public final class InMemoryFactsSource implements FactsSource {
  private final long[] ids;
  private final LongFunction<CardholderFacts> factsOf;
  private final long count;

  private InMemoryFactsSource(long[] ids, long count, LongFunction<CardholderFacts> factsOf) {
    this.ids = ids;
    this.count = count;
    this.factsOf = factsOf;
  }

  /** The given cardholders (ids distinct). */
  public static InMemoryFactsSource of(Collection<CardholderFacts> facts) {
    List<CardholderFacts> sorted = facts.stream().sorted(Comparator.comparing(CardholderFacts::id)).toList();
    long[] ids = sorted.stream().mapToLong(f -> f.id().value()).toArray();
    for (int i = 1; i < ids.length; i++) {
      if (ids[i] == ids[i - 1]) {
        throw new CreditInputException("cardholder " + ids[i] + " listed twice");
      }
    }
    return new InMemoryFactsSource(ids, ids.length, id -> {
      int at = java.util.Arrays.binarySearch(ids, id);
      return at >= 0 ? sorted.get(at) : null;
    });
  }

  /** Cardholders 1..count, cardholder i being {@code generator.apply(i)} (whose id must be i). */
  public static InMemoryFactsSource generated(long count, LongFunction<CardholderFacts> generator) {
    return new InMemoryFactsSource(null, count, generator);
  }

  @Override
  public long cardholders() {
    return count;
  }

  @Override
  public List<CardholderRange> ranges(int rangeCount) {
    if (count == 0) {
      return List.of();
    }
    if (ids == null) {
      return CardholderRange.split(1, count, rangeCount);
    }
    return CardholderRange.split(ids[0], ids[ids.length - 1], rangeCount);
  }

  @Override
  public void read(CardholderRange range, long afterId, LocalDate asOf, Consumer<CardholderFacts> sink) {
    long from = Math.max(range.firstId(), afterId + 1);
    if (ids == null) {
      for (long id = from; id <= range.lastId(); id++) {
        sink.accept(factsOf.apply(id));
      }
      return;
    }
    int at = java.util.Arrays.binarySearch(ids, from);
    for (int i = at >= 0 ? at : -at - 1; i < ids.length && ids[i] <= range.lastId(); i++) {
      sink.accept(factsOf.apply(ids[i]));
    }
  }
}

package io.iotpay.issuer.credit;

import io.iotpay.foundation.Assert;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The nightly run: reads every cardholder's facts, computes indicators and rating, and stores the
 * ratings where the card's next tap takes them.
 *
 * <ul>
 *   <li><b>Parallel</b>: the cardholders are cut into id ranges; {@code threads} workers read and
 *       score ranges; the calling thread is the one writer, saving batches as they come.
 *   <li><b>Idempotent per business date</b>: a date whose run completed is not run again (its
 *       summary is returned); ratings are saved insert-if-absent, so nothing is ever duplicated.
 *   <li><b>Restart-safe</b>: each range's batches are saved in id order, so after a crash the run
 *       resumes every range after its highest rated id for the date.
 * </ul>
 */
public final class NightlyScoring {
  /**
   * @param threads scoring workers, 1..64 (default: the machine's cores)
   * @param rangesPerThread id ranges per worker, 1..64: more ranges even out uneven ranges
   * @param batchRatingsMax ratings per saved batch (one transaction), 1..100,000
   * @param queueBatchesMax batches waiting for the writer at most, 1..1,024: bounds memory when
   *     the store is slower than scoring
   */
  public record Settings(int threads, int rangesPerThread, int batchRatingsMax, int queueBatchesMax) {
    /** @throws CreditInputException naming the setting out of range */
    public Settings {
      DailyFacts.requireRange("threads", threads, 1, 64);
      DailyFacts.requireRange("rangesPerThread", rangesPerThread, 1, 64);
      DailyFacts.requireRange("batchRatingsMax", batchRatingsMax, 1, 100_000);
      DailyFacts.requireRange("queueBatchesMax", queueBatchesMax, 1, 1_024);
    }

    /** All cores, 4 ranges per worker, batches of 5,000, 16 batches queued. */
    public static Settings defaults() {
      return new Settings(Runtime.getRuntime().availableProcessors(), 4, 5_000, 16);
    }
  }

  private final Scorecard scorecard;
  private final Settings settings;

  public NightlyScoring(Scorecard scorecard, Settings settings) {
    this.scorecard = Assert.notNull(scorecard, "scorecard");
    this.settings = Assert.notNull(settings, "settings");
  }

  /**
   * Rates every cardholder of {@code source} as of {@code businessDate} into {@code store}.
   *
   * @return what the store holds for the date once the run is complete
   * @throws CreditInputException if the date was already completed by another scorecard version,
   *     or stored facts are invalid (then the ratings saved so far stay, and a rerun resumes)
   * @throws IllegalStateException if the store or source fails, or the source's cardholders
   *     changed during the run (the run is then not marked complete)
   */
  public ScoringSummary run(LocalDate businessDate, FactsSource source, RatingStore store, ScoringProgress progress) {
    int version = scorecard.settings().version();
    var completed = store.completedRun(businessDate);
    if (completed.isPresent()) {
      if (completed.get().scorecardVersion() != version) {
        throw new CreditInputException(businessDate + " was rated by scorecard version "
            + completed.get().scorecardVersion() + ", not " + version);
      }
      return completed.get();
    }
    long total = source.cardholders();
    List<CardholderRange> ranges = source.ranges(settings.threads() * settings.rangesPerThread());
    long rated = store.summarise(businessDate, version).cardholders();
    progress.rated(rated, total);
    writeAll(businessDate, source, store, ranges, rated, total, progress);
    ScoringSummary summary = store.summarise(businessDate, version);
    if (summary.cardholders() != total) {
      throw new IllegalStateException("credit: " + summary.cardholders() + " ratings stored for " + businessDate
          + " but the source holds " + total + " cardholders; run not marked complete");
    }
    store.completeRun(summary);
    return summary;
  }

  /** A batch of one range, or the end of a worker's share (with its failure, if any). */
  private record Batch(List<Rating> ratings, Throwable failure) {}

  private void writeAll(LocalDate date, FactsSource source, RatingStore store, List<CardholderRange> ranges,
      long ratedBefore, long total, ScoringProgress progress) {
    BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(settings.queueBatchesMax());
    AtomicBoolean aborted = new AtomicBoolean();
    int workers = Math.min(settings.threads(), Math.max(1, ranges.size()));
    ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
      Thread thread = new Thread(runnable, "credit-scoring");
      thread.setDaemon(true);
      return thread;
    });
    List<List<CardholderRange>> shares = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      shares.add(new ArrayList<>());
    }
    for (int i = 0; i < ranges.size(); i++) {
      shares.get(i % workers).add(ranges.get(i));
    }
    try {
      for (List<CardholderRange> share : shares) {
        pool.execute(() -> work(date, source, store, share, queue, aborted));
      }
      drain(date, store, queue, workers, ratedBefore, total, progress);
    } catch (RuntimeException | Error e) {
      aborted.set(true);
      throw e;
    } finally {
      aborted.set(true);
      pool.shutdownNow();
    }
  }

  private void drain(LocalDate date, RatingStore store, BlockingQueue<Batch> queue, int workers, long ratedBefore,
      long total, ScoringProgress progress) {
    long rated = ratedBefore;
    int finished = 0;
    while (finished < workers) {
      Batch batch = take(queue);
      if (batch.ratings() == null) {
        finished++;
        if (batch.failure() != null) {
          throw rethrow(batch.failure());
        }
        continue;
      }
      store.save(date, batch.ratings());
      rated += batch.ratings().size();
      progress.rated(rated, total);
    }
  }

  private void work(LocalDate date, FactsSource source, RatingStore store, List<CardholderRange> share,
      BlockingQueue<Batch> queue, AtomicBoolean aborted) {
    Throwable failure = null;
    try {
      for (CardholderRange range : share) {
        scoreRange(date, source, store.lastRated(date, range), range, queue, aborted);
      }
    } catch (RuntimeException | Error e) {
      failure = e;
    } finally {
      endShare(queue, new Batch(null, failure), aborted);
    }
  }

  /** Tells the writer this worker is done; once the run is aborted nobody listens, so it just stops. */
  private static void endShare(BlockingQueue<Batch> queue, Batch end, AtomicBoolean aborted) {
    try {
      boolean delivered = false;
      while (!delivered && !aborted.get()) {
        delivered = queue.offer(end, 50, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      // Interrupted by the writer's shutdownNow after an abort: nobody waits for the end marker.
      Thread.currentThread().interrupt();
    }
  }

  private void scoreRange(LocalDate date, FactsSource source, long afterId, CardholderRange range,
      BlockingQueue<Batch> queue, AtomicBoolean aborted) {
    @SuppressWarnings("unchecked")
    List<Rating>[] batch = new List[] {new ArrayList<Rating>(settings.batchRatingsMax())};
    source.read(range, afterId, date, facts -> {
      Assert.that(range.contains(facts.id().value()) && facts.id().value() > afterId,
          "source gave cardholder {} outside {} after {}", facts.id().value(), range, afterId);
      IndicatorValues values = Indicators.compute(facts, date);
      batch[0].add(scorecard.rate(facts.id(), date, facts.currency(), values));
      if (batch[0].size() == settings.batchRatingsMax()) {
        put(queue, new Batch(batch[0], null), aborted);
        batch[0] = new ArrayList<>(settings.batchRatingsMax());
      }
    });
    if (!batch[0].isEmpty()) {
      put(queue, new Batch(batch[0], null), aborted);
    }
  }

  /** Waits for room in the queue, giving up (cancelling the worker) once the run is aborted. */
  private static void put(BlockingQueue<Batch> queue, Batch batch, AtomicBoolean aborted) {
    try {
      while (!queue.offer(batch, 50, TimeUnit.MILLISECONDS)) {
        if (aborted.get()) {
          throw new CancellationException("credit: nightly run aborted");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("credit: nightly run interrupted");
    }
  }

  private static Batch take(BlockingQueue<Batch> queue) {
    try {
      return queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("credit: nightly run interrupted");
    }
  }

  private static RuntimeException rethrow(Throwable failure) {
    if (failure instanceof RuntimeException runtime) {
      return runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    return new IllegalStateException(failure);
  }
}

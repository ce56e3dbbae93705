package io.iotpay.bench.iot;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** How many envelopes per second the platform can open (parse, look up, verify the signature) on {@code threads} threads. */
public final class VerifyLimit {
  private VerifyLimit() {}

  public static double perSecond(List<byte[]> envelopes, Consumer<byte[]> open, int threads, double seconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicBoolean stop = new AtomicBoolean();
    try {
      long start = System.nanoTime();
      List<Future<Long>> counts = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t;
        counts.add(pool.submit(() -> {
          long done = 0;
          for (int i = offset; !stop.get(); i += threads) {
            open.accept(envelopes.get(i % envelopes.size()));
            done++;
          }
          return done;
        }));
      }
      Thread.sleep((long) (seconds * 1000));
      stop.set(true);
      long total = 0;
      for (Future<Long> count : counts) {
        total += count.get();
      }
      return total / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }
}

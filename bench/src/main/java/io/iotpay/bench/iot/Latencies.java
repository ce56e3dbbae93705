package io.iotpay.bench.iot;

import java.util.Arrays;

/** Latency samples in nanoseconds, bounded (samples past {@code capacity} are dropped and counted). */
public final class Latencies {
  private final long[] samples;
  private int size;
  private long dropped;

  public Latencies(int capacity) {
    this.samples = new long[capacity];
  }

  public synchronized void record(long nanos) {
    if (size < samples.length) {
      samples[size++] = nanos;
    } else {
      dropped++;
    }
  }

  /** The {@code fraction} quantile (0..1) in milliseconds; NaN when there are no samples. */
  public synchronized double quantileMs(double fraction) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    int index = (int) Math.min(size - 1, Math.max(0, Math.ceil(fraction * size) - 1));
    return sorted[index] / 1e6;
  }

  public synchronized int count() {
    return size;
  }

  public synchronized long dropped() {
    return dropped;
  }
}

package io.iotpay.bench.iot;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load: {@code inFlight} requests outstanding at any time, each slot sending its next
 * request as soon as the previous one is answered, over a pool of senders taken in turn (a sender is
 * never used by two slots at once, as a device sends its next message after the answer). Latency is
 * send → answer checked; a warm-up period is run and discarded first.
 */
public final class ClosedLoop {
  /** One source of requests: a device, or a raw client. */
  @FunctionalInterface
  public interface Sender {
    /** Sends one request; completes when its answer has arrived and been checked. */
    CompletableFuture<?> sendOne();
  }

  /** What a run measured. */
  /**
   * @param processCpuSeconds CPU time of the whole process (all threads) during the measured phase
   */
  public record Result(long completed, long failed, double seconds, Latencies latencies, double processCpuSeconds) {
    public double perSecond() {
      return completed / seconds;
    }

    /** Process CPU per completed request, milliseconds. */
    public double cpuMsPerRequest() {
      return completed == 0 ? Double.NaN : processCpuSeconds * 1e3 / completed;
    }
  }

  /** Runs each next send off the thread that completed the previous one (no unbounded recursion). */
  private static final java.util.concurrent.Executor CONTINUATIONS = java.util.concurrent.Executors.newFixedThreadPool(2,
      Thread.ofPlatform().name("bench-loop-", 0).daemon().factory());

  private ClosedLoop() {}

  /**
   * @param senders at least {@code inFlight} of them
   * @param inFlight concurrent requests, 1..senders
   */
  public static Result run(List<Sender> senders, int inFlight, double warmupSeconds, double seconds) throws InterruptedException {
    return run(senders, inFlight, warmupSeconds, seconds, () -> {});
  }

  /** As {@link #run(List, int, double, double)}, calling {@code atMeasureStart} when the warm-up has ended. */
  public static Result run(List<Sender> senders, int inFlight, double warmupSeconds, double seconds, Runnable atMeasureStart)
      throws InterruptedException {
    if (inFlight < 1 || inFlight > senders.size()) {
      throw new IllegalArgumentException("inFlight " + inFlight + " outside 1.." + senders.size());
    }
    Phase warmup = new Phase(senders, inFlight, false);
    warmup.runFor(warmupSeconds);
    atMeasureStart.run();
    Phase measured = new Phase(senders, inFlight, true);
    return measured.runFor(seconds);
  }

  private static final class Phase {
    private final List<Sender> senders;
    private final int inFlight;
    private final boolean record;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Latencies latencies = new Latencies(1 << 22);
    private final CountDownLatch drained;

    Phase(List<Sender> senders, int inFlight, boolean record) {
      this.senders = senders;
      this.inFlight = inFlight;
      this.record = record;
      this.drained = new CountDownLatch(inFlight);
    }

    Result runFor(double seconds) throws InterruptedException {
      long start = System.nanoTime();
      long cpuStart = processCpuNanos();
      for (int slot = 0; slot < inFlight; slot++) {
        sendNext(slot);
      }
      long until = start + (long) (seconds * 1e9);
      long remaining;
      while ((remaining = until - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.sleep(Math.min(remaining, 50_000_000L));
      }
      stop.set(true);
      double elapsed = (System.nanoTime() - start) / 1e9;
      double cpu = (processCpuNanos() - cpuStart) / 1e9;
      if (!drained.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("requests still outstanding 60 s after the run ended");
      }
      return new Result(completed.get(), failed.get(), elapsed, latencies, cpu);
    }

    /** Each slot owns the senders slot, slot + inFlight, slot + 2·inFlight, …: no sender is shared. */
    private void sendNext(int slot) {
      if (stop.get()) {
        drained.countDown();
        return;
      }
      int owned = (senders.size() - slot + inFlight - 1) / inFlight;
      int turn = Math.floorMod(next.getAndIncrement(), Math.max(1, owned));
      Sender sender = senders.get(slot + turn * inFlight);
      long sent = System.nanoTime();
      CompletableFuture<?> answer;
      try {
        answer = sender.sendOne();
      } catch (RuntimeException e) {
        answer = CompletableFuture.failedFuture(e);
      }
      answer.whenCompleteAsync((ok, error) -> {
        if (error == null) {
          completed.incrementAndGet();
          if (record) {
            latencies.record(System.nanoTime() - sent);
          }
        } else {
          failed.incrementAndGet();
        }
        sendNext(slot);
      }, CONTINUATIONS);
    }
  }

  /** CPU time of this process, all threads, nanoseconds (0 where the JVM cannot tell). */
  public static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : 0;
  }
}

package io.iotpay.bench.pos;

import io.iotpay.bench.BenchFiles;
import io.iotpay.bench.auth.AuthBench;
import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.phone.pos.QrCheckout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Consumer-presented QR payments from scan to outcome (issue 16, {@code iotpay bench pos}): the
 * cardholders' issuer apps make one-time codes in their secure elements (not timed: the phone shows
 * a code before the merchant scans; made before the run); the timed span starts when the merchant SDK is given the scanned
 * text and ends with its outcome: decode and checks, 0100 to the acquirer host, the switch, the
 * issuer (detokenise, cryptogram through the key custody, single use, hold), and the answers back,
 * all on the real parts of {@link QrChain}. Payments are offered open-loop at a fixed rate (each
 * on its own virtual thread at its scheduled time), so a slow answer does not slow the offered load.
 * Target: p99 ≤ {@value #TARGET_P99_MS} ms at 100 payments/s. The same-run reference is
 * {@link AuthBench#reference(AlgorithmSuite, int)}: one thread's ARQC verifications + ARPCs per
 * second through a software custody, the issuer's own crypto cost. A library, not a command.
 */
public final class QrBench {
  public static final double TARGET_P99_MS = 300;
  public static final double TARGET_RATE_PER_SECOND = 100;
  /** Each payment's amount, minor units. */
  public static final long AMOUNT_MINOR = 1_000;

  /**
   * @param ratePerSecond payments offered per second, 1..1,000
   * @param warmup payments before the measured ones (not measured), 0..100,000
   * @param payments measured payments, 1..100,000
   * @param tokens cardholders' tokens (one issuer app and SE each), 1..64
   * @param referenceOps operations of the same-run reference
   */
  public record Settings(AlgorithmSuite suite, double ratePerSecond, int warmup, int payments, int tokens,
      int referenceOps) {
    public Settings {
      Assert.notNull(suite, "suite");
      Assert.that(ratePerSecond >= 1 && ratePerSecond <= 1_000, "rate 1..1000 payments/s");
      Assert.that(warmup >= 0 && warmup <= 100_000 && payments >= 1 && payments <= 100_000, "payments 1..100000");
      Assert.that(tokens >= 1 && tokens <= 64 && referenceOps >= 1, "tokens 1..64, reference ops positive");
    }

    /**
     * The load: 100 payments/s, 1,000 measured after 1,000 of warm-up (a cold JVM's first
     * seconds are its compiler's, not the chain's), 8 tokens; a reference of 20,000 operations.
     */
    public static Settings standard(AlgorithmSuite suite) {
      return new Settings(suite, TARGET_RATE_PER_SECOND, 1_000, 1_000, 8, 20_000);
    }
  }

  /**
   * @param achievedPerSecond measured payments divided by the time from the first scheduled start to the last outcome
   * @param heldMinor what the issuer holds on the cardholder's account at the end
   * @param expectedHeldMinor approved payments (warm-up and measured) × {@link #AMOUNT_MINOR}
   */
  public record Report(AlgorithmSuite suite, double ratePerSecond, int payments, int approved, double achievedPerSecond,
      double p50Ms, double p99Ms, double maxMs, double referencePerSecond, long heldMinor, long expectedHeldMinor,
      boolean booksBalanced) {
    public boolean targetMet() {
      return approved == payments && p99Ms <= TARGET_P99_MS;
    }

    /** Payments per second over the reference's operations per second. */
    public double ratioToReference() {
      return achievedPerSecond / referencePerSecond;
    }
  }

  /**
   * {@code runs} runs (each its own chain) and their medians: achieved rate, p50, p99, max and
   * reference are each the median over the runs; counts and balances are the last run's, and
   * {@code approved} the fewest of any run, so a run that lost a payment is not hidden.
   */
  public Report runMedian(Settings settings, int runs, Consumer<String> progress) {
    Assert.that(runs >= 1 && runs <= 25, "runs 1..25");
    java.util.List<Report> reports = new java.util.ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      progress.accept("  run " + i + " of " + runs);
      reports.add(run(settings, progress));
    }
    Report last = reports.get(reports.size() - 1);
    return new Report(settings.suite(), settings.ratePerSecond(), settings.payments(),
        reports.stream().mapToInt(Report::approved).min().orElseThrow(), median(reports, Report::achievedPerSecond),
        median(reports, Report::p50Ms), median(reports, Report::p99Ms), median(reports, Report::maxMs),
        median(reports, Report::referencePerSecond), last.heldMinor(), last.expectedHeldMinor(),
        reports.stream().allMatch(Report::booksBalanced));
  }

  private static double median(java.util.List<Report> reports, java.util.function.ToDoubleFunction<Report> figure) {
    double[] values = reports.stream().mapToDouble(figure).sorted().toArray();
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  /** Builds the chain in a temporary directory, runs the warm-up and the measured payments, tears it down. */
  public Report run(Settings settings, Consumer<String> progress) {
    Path dir = BenchFiles.tempDir("iotpay-bench-qr", "the QR bench's databases");
    try (QrChain chain = new QrChain(settings.suite(), dir, settings.tokens())) {
      double reference = AuthBench.reference(settings.suite(), settings.referenceOps());
      progress.accept(String.format(Locale.ROOT, "  warm-up: %d consumer-presented payments", settings.warmup()));
      int approvedWarmup = offer(chain, settings, settings.warmup(), null);
      progress.accept(String.format(Locale.ROOT, "  measured: %d payments offered at %.0f/s", settings.payments(),
          settings.ratePerSecond()));
      long[] latencies = new long[settings.payments()];
      long start = System.nanoTime();
      int approved = offer(chain, settings, settings.payments(), latencies);
      double seconds = (System.nanoTime() - start) / 1e9;
      Arrays.sort(latencies);
      return new Report(settings.suite(), settings.ratePerSecond(), settings.payments(), approved,
          settings.payments() / seconds, AuthBench.percentileMs(latencies, 0.50), AuthBench.percentileMs(latencies, 0.99),
          latencies[latencies.length - 1] / 1e6, reference, chain.heldMinor(),
          (approvedWarmup + approved) * AMOUNT_MINOR, chain.booksBalance());
    } catch (Exception e) {
      throw new IllegalStateException("bench qr: " + e.getMessage(), e);
    } finally {
      BenchFiles.deleteTree(dir);
    }
  }

  /**
   * Offers {@code count} payments at the settings' rate; fills {@code latencies} when given; returns
   * the approvals. The codes are made first, on this thread (each token's SE in turn): on a phone the
   * SE's work is the phone's, so the simulated SEs do not compete with the chain for this machine's
   * cores while it is timed. {@code count} codes at the rate stay well inside their 60 s lifetime.
   */
  private static int offer(QrChain chain, Settings settings, int count, long[] latencies) throws InterruptedException {
    String[] codes = new String[count];
    for (int i = 0; i < count; i++) {
      codes[i] = chain.apps.get(i % chain.apps.size()).paymentCode();
    }
    AtomicInteger approved = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(count);
    long periodNs = (long) (1e9 / settings.ratePerSecond());
    long first = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long due = first + i * periodNs;
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait); // pacing the offered load, not waiting for a result
      }
      int n = i;
      Thread.ofVirtual().start(() -> {
        try {
          long scanned = System.nanoTime();
          QrCheckout.Outcome outcome = chain.checkout.chargeConsumerCode(codes[n], QrChain.cny(AMOUNT_MINOR));
          if (latencies != null) {
            latencies[n] = System.nanoTime() - scanned;
          }
          if (outcome.result() == QrCheckout.Result.APPROVED) {
            approved.incrementAndGet();
          }
        } finally {
          done.countDown();
        }
      });
    }
    if (!done.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("outcomes still missing 120 s after the last payment was offered");
    }
    return approved.get();
  }

  /** The text report. */
  public static String format(Report r) {
    return String.format(Locale.ROOT, "iotpay bench pos, QR consumer-presented (%s): %d payments offered at %.0f/s,"
        + " %d approved, %.1f payments/s achieved%n  scan to outcome: p50 %.1f ms, p99 %.1f ms, max %.1f ms"
        + " (target p99 <= %.0f ms: %s)%n  reference: %.0f ARQC verifications/s on one thread; ratio %.3f%n"
        + "  held %d minor (expected %d), books balanced: %s%n", r.suite(), r.payments(), r.ratePerSecond(),
        r.approved(), r.achievedPerSecond(), r.p50Ms(), r.p99Ms(), r.maxMs(), TARGET_P99_MS,
        r.targetMet() ? "met" : "NOT met", r.referencePerSecond(), r.ratioToReference(), r.heldMinor(),
        r.expectedHeldMinor(), r.booksBalanced());
  }
}

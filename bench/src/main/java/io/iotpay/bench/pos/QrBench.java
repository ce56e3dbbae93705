package io.iotpay.bench.pos;

import io.iotpay.bench.BenchFiles;
import io.iotpay.bench.auth.AuthBench;
import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.phone.pos.PosSdk;
import io.iotpay.phone.wallet.IssuerApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Consumer-presented QR payments from scan to outcome through the acquiring SDK (issue 16, {@code
 * iotpay bench pos}), as a merchant app takes them: the cardholders' issuer apps make one-time codes
 * in their secure elements (not timed: the phone shows a code before the merchant scans; made
 * before the run); the timed span starts at the payment's scheduled scan and ends with {@link
 * PosSdk#chargeConsumerCode}'s outcome: decode, the attestation (a nonce and an SE-signed token over
 * HTTP to the acquirer's monitoring service, which the SDK asks for after the scan and immediately
 * before the payment), the journal line and the sealed, synced 0100 on disk, the acquirer host (its
 * terminal risk check), the switch, the issuer (detokenise, cryptogram through the key custody,
 * single use, hold), the answers back and the FINAL journal line; all on the real parts of {@link
 * PhoneChain}. The attestation's share is also reported on its own. Payments are offered open-loop
 * at a fixed rate, each on its own virtual thread at its scheduled time, shared among the merchant's
 * phones (one payment at a time each, as a till): a payment whose phones are all busy waits for one,
 * inside its span, and is counted. Target: p99 ≤ {@value #TARGET_P99_MS} ms at 100 payments/s. The
 * same-run reference is {@link AuthBench#reference(AlgorithmSuite, int)}: one thread's ARQC
 * verifications + ARPCs per second through a software custody, the issuer's own crypto cost. A
 * library, not a command.
 */
public final class QrBench {
  public static final double TARGET_P99_MS = 300;
  public static final double TARGET_RATE_PER_SECOND = 100;
  /** Each payment's amount, minor units. */
  public static final long AMOUNT_MINOR = 1_000;
  /** Measured (and warm-up) payments of one run at most. */
  public static final int PAYMENTS_MAX = 100_000;
  /** The codes' lifetime at the issuer: the warm-up's and the run's codes are used well inside it. */
  static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
  private static final long OUTCOMES_WAIT_S = 120;

  /**
   * @param ratePerSecond payments offered per second, 1..1,000
   * @param warmup payments before the measured ones (not measured), 0..100,000
   * @param payments measured payments, 1..100,000
   * @param tokens cardholders' tokens (one issuer app and SE each), 1..64
   * @param phones the merchant's phones, each a {@link PosSdk} enrolled over HTTP, 1..64
   * @param referenceOps operations of the same-run reference
   */
  public record Settings(AlgorithmSuite suite, double ratePerSecond, int warmup, int payments, int tokens, int phones,
      int referenceOps) {
    public Settings {
      Assert.notNull(suite, "suite");
      Assert.that(ratePerSecond >= 1 && ratePerSecond <= 1_000, "rate 1..1000 payments/s");
      Assert.that(warmup >= 0 && warmup <= PAYMENTS_MAX && payments >= 1 && payments <= PAYMENTS_MAX,
          "payments 1..{}", PAYMENTS_MAX);
      Assert.that(tokens >= 1 && tokens <= 64 && phones >= 1 && phones <= 64 && referenceOps >= 1,
          "tokens 1..64, phones 1..64, reference ops positive");
    }

    /**
     * The load: 100 payments/s, 1,000 measured after 1,000 of warm-up (a cold JVM's first
     * seconds are its compiler's, not the chain's), 8 tokens, 16 phones (a payment takes tens of
     * milliseconds, so at 100/s a few are in flight at once); a reference of 20,000 operations.
     */
    public static Settings standard(AlgorithmSuite suite) {
      return new Settings(suite, TARGET_RATE_PER_SECOND, 1_000, 1_000, 8, 16, 20_000);
    }
  }

  /**
   * @param achievedPerSecond measured payments divided by the time from the first scheduled start to the last outcome
   * @param attestationP50Ms the attestation's calls to the acquirer (nonce and attestation over HTTP), median
   * @param seP50Ms the time inside the phone's simulated SE (the attestation token's signature), median
   * @param waitedForPhone measured payments that found every phone busy and waited for one (inside their span)
   * @param heldMinor what the issuer holds on the cardholders' accounts at the end
   * @param expectedHeldMinor approved payments (warm-up and measured) × {@link #AMOUNT_MINOR}
   */
  public record Report(AlgorithmSuite suite, double ratePerSecond, int payments, int approved, double achievedPerSecond,
      double p50Ms, double p99Ms, double maxMs, double attestationP50Ms, double attestationP99Ms, double seP50Ms,
      double seP99Ms, int phones,
      int waitedForPhone, double referencePerSecond, long heldMinor, long expectedHeldMinor, boolean booksBalanced) {
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
        median(reports, Report::attestationP50Ms), median(reports, Report::attestationP99Ms),
        median(reports, Report::seP50Ms), median(reports, Report::seP99Ms), settings.phones(),
        reports.stream().mapToInt(Report::waitedForPhone).max().orElseThrow(), median(reports, Report::referencePerSecond),
        last.heldMinor(), last.expectedHeldMinor(), reports.stream().allMatch(Report::booksBalanced));
  }

  private static double median(java.util.List<Report> reports, java.util.function.ToDoubleFunction<Report> figure) {
    double[] values = reports.stream().mapToDouble(figure).sorted().toArray();
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  /** Builds the chain in a temporary directory, runs the warm-up and the measured payments, tears it down. */
  public Report run(Settings settings, Consumer<String> progress) {
    Path dir = BenchFiles.tempDir("iotpay-bench-qr", "the QR bench's databases");
    try (PhoneChain chain = new PhoneChain(settings.suite(), dir)) {
      double reference = AuthBench.reference(settings.suite(), settings.referenceOps());
      List<IssuerApp> apps = chain.qrIssuerApps(settings.tokens(), CODE_LIFETIME);
      progress.accept(String.format(Locale.ROOT, "  %d phones enrolled over HTTP", settings.phones()));
      BlockingQueue<PhoneChain.Phone> phones = new ArrayBlockingQueue<>(settings.phones());
      for (int n = 1; n <= settings.phones(); n++) {
        phones.add(chain.phone(n));
      }
      progress.accept(String.format(Locale.ROOT, "  warm-up: %d consumer-presented payments", settings.warmup()));
      Offered warm = offer(apps, phones, settings, settings.warmup());
      progress.accept(String.format(Locale.ROOT, "  measured: %d payments offered at %.0f/s", settings.payments(),
          settings.ratePerSecond()));
      long start = System.nanoTime();
      Offered run = offer(apps, phones, settings, settings.payments());
      double seconds = (System.nanoTime() - start) / 1e9;
      Arrays.sort(run.latencies());
      Arrays.sort(run.attestations());
      Arrays.sort(run.seTimes());
      long[] latencies = run.latencies();
      return new Report(settings.suite(), settings.ratePerSecond(), settings.payments(), run.approved(),
          settings.payments() / seconds, AuthBench.percentileMs(latencies, 0.50), AuthBench.percentileMs(latencies, 0.99),
          latencies[latencies.length - 1] / 1e6, AuthBench.percentileMs(run.attestations(), 0.50),
          AuthBench.percentileMs(run.attestations(), 0.99), AuthBench.percentileMs(run.seTimes(), 0.50),
          AuthBench.percentileMs(run.seTimes(), 0.99), settings.phones(), run.waited(), reference,
          chain.heldMinor(), (warm.approved() + run.approved()) * AMOUNT_MINOR, chain.booksBalance());
    } catch (Exception e) {
      throw new IllegalStateException("bench qr: " + e.getMessage(), e);
    } finally {
      BenchFiles.deleteTree(dir);
    }
  }

  /** What one offered series did: approvals, per payment its span and its attestation's share (ns), waits for a phone. */
  private record Offered(int approved, long[] latencies, long[] attestations, long[] seTimes, int waited) {}

  /**
   * Offers {@code count} payments at the settings' rate. The codes are made first, on this thread
   * (each token's SE in turn): on a phone the SE's work is the phone's, so the simulated SEs do not
   * compete with the chain for this machine's cores while it is timed. {@code count} codes at the
   * rate stay well inside their lifetime.
   */
  private static Offered offer(List<IssuerApp> apps, BlockingQueue<PhoneChain.Phone> phones, Settings settings,
      int count) throws InterruptedException {
    String[] codes = new String[count];
    for (int i = 0; i < count; i++) {
      codes[i] = apps.get(i % apps.size()).paymentCode();
    }
    long[] latencies = new long[count];
    long[] attestations = new long[count];
    long[] seTimes = new long[count];
    AtomicInteger approved = new AtomicInteger();
    AtomicInteger waited = new AtomicInteger();
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
          PhoneChain.Phone phone = phones.poll();
          if (phone == null) {
            waited.incrementAndGet();
            phone = phones.take();
          }
          try {
            long attestedBefore = phone.monitoring().nanos;
            long seBefore = phone.seTime().nanos;
            PosSdk.QrPayment payment = phone.sdk().chargeConsumerCode(codes[n], PhoneChain.cny(AMOUNT_MINOR));
            latencies[n] = System.nanoTime() - due; // from the scheduled scan: a late start counts
            attestations[n] = phone.monitoring().nanos - attestedBefore;
            seTimes[n] = phone.seTime().nanos - seBefore;
            if (payment.approved()) {
              approved.incrementAndGet();
            }
          } finally {
            phones.add(phone);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          done.countDown();
        }
      });
    }
    if (!done.await(OUTCOMES_WAIT_S, TimeUnit.SECONDS)) {
      throw new IllegalStateException("outcomes still missing " + OUTCOMES_WAIT_S + " s after the last payment was offered");
    }
    return new Offered(approved.get(), latencies, attestations, seTimes, waited.get());
  }

  /** The text report. */
  public static String format(Report r) {
    return String.format(Locale.ROOT, "iotpay bench pos, QR consumer-presented through the SDK (%s): %d payments"
        + " offered at %.0f/s to %d phones, %d approved, %.1f payments/s achieved, %d waited for a phone%n"
        + "  scan to outcome: p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 <= %.0f ms: %s);"
        + " of it attestation calls p50 %.1f ms, p99 %.1f ms, inside the simulated SE p50 %.1f ms, p99 %.1f ms%n"
        + "  reference: %.0f ARQC verifications/s on one thread;"
        + " ratio %.3f%n  held %d minor (expected %d), books balanced: %s%n", r.suite(), r.payments(),
        r.ratePerSecond(), r.phones(), r.approved(), r.achievedPerSecond(), r.waitedForPhone(), r.p50Ms(), r.p99Ms(),
        r.maxMs(), TARGET_P99_MS, r.targetMet() ? "met" : "NOT met", r.attestationP50Ms(), r.attestationP99Ms(),
        r.seP50Ms(), r.seP99Ms(),
        r.referencePerSecond(), r.ratioToReference(), r.heldMinor(), r.expectedHeldMinor(), r.booksBalanced());
  }
}

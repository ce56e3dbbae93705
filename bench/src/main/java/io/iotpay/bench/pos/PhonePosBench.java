package io.iotpay.bench.pos;

import io.iotpay.bench.BenchFiles;
import io.iotpay.bench.auth.AuthBench;
import io.iotpay.bench.tap.AirTimeModel;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.phone.pos.SdkOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * {@code iotpay bench pos} (docs/bench-pos.md): phone payments by tap end to end, per suite — phones
 * with the acquiring SDK ({@link PhoneChain}: key in the SE, enrolled and attesting over the
 * acquirer's HTTP API) charge real EMV cards in jCardSim, each payment attested, then authorised
 * acquirer → switch → issuer over MACed ISO 8583. Measured: payments per second over all phones,
 * p50/p99 from {@code charge} to outcome (attestation included), the attestation's share; beside it,
 * {@code bench auth}'s figure ({@link AuthBench}) in the same run. The tap: its APDUs and bytes
 * from the last measured payment, modelled air time ({@link AirTimeModel}) and card time ({@link
 * CardTimeModel}); card in field to outcome = air + card + online (the measured charge without the
 * attestation and without the simulator's own time, on one phone alone after the throughput run) +
 * an assumed network round trip.
 */
public final class PhonePosBench {
  /**
   * A further section of the report, measured in the same run after the phones' payments: the seam
   * for the consumer-presented QR figure ({@code QrBench}: scan to outcome p50/p99 at 100
   * payments/s), which the {@code bench pos} command lists in its {@code sections()}.
   */
  public interface Section {
    /** The section's key in the JSON and its heading in the text, e.g. {@code qr_cpm}. */
    String name();

    /** Runs the section's measurement; its figures as a JSON object. */
    Map<String, Object> measure(Consumer<String> progress);
  }

  /** Issue #16's target: card in field to outcome, modelled with the online round trip. */
  public static final double IN_FIELD_MS_MAX = 500.0;
  static final long AMOUNT_MINOR = 100;

  /**
   * @param phones phones paying at once, each on its own thread, 1..16
   * @param warmup unmeasured payments first (over all phones), ≥ 0
   * @param payments measured payments per suite (over all phones), 1..100,000
   * @param networkRttMs the assumed wide-area round trip phone → acquirer → switch → issuer and back, 0..10,000
   * @param authorisations measured authorisations of the same-run {@code bench auth}, 1..900,000
   */
  public record Settings(int phones, int warmup, int payments, double networkRttMs, int authorisations) {
    public Settings {
      if (phones < 1 || phones > 16 || warmup < 0 || payments < 1 || payments > 100_000 || networkRttMs < 0
          || networkRttMs > 10_000 || authorisations < 1 || authorisations > 900_000) {
        throw new InvalidInputException("bench pos: --phones 1..16, --payments 1..100000, --warmup >= 0,"
            + " --rtt-ms 0..10000, --authorisations 1..900000");
      }
    }

    public static Settings quick() {
      return new Settings(4, 40, 400, 300, 5_000);
    }
  }

  /** The tap's figures: APDUs of the last measured payment, models, and the measured online part. */
  public record Tap(List<PosTapBench.Exchange> apdus, double airMs, double cardMs, boolean cardStandIn, double onlineP50Ms,
      double onlineP99Ms, double networkRttMs) {
    public int bytesToCard() {
      return apdus.stream().mapToInt(PosTapBench.Exchange::bytesToCard).sum();
    }

    public int bytesFromCard() {
      return apdus.stream().mapToInt(PosTapBench.Exchange::bytesFromCard).sum();
    }

    public double inFieldMs() {
      return airMs + cardMs + onlineP50Ms + networkRttMs;
    }

    public double inFieldP99Ms() {
      return airMs + cardMs + onlineP99Ms + networkRttMs;
    }
  }

  /** One suite's figures. @param auth the same run's {@code bench auth} of this suite */
  public record Result(AlgorithmSuite suite, int phones, int payments, int approved, double seconds, double perSecond,
      double p50Ms, double p99Ms, double attestationP50Ms, double attestationP99Ms, Tap tap, long heldMinor,
      long expectedHeldMinor, long reversalsPending, boolean booksBalanced, AuthBench.Report auth) {
    public boolean targetMet() {
      return approved == payments && tap.inFieldMs() <= IN_FIELD_MS_MAX;
    }
  }

  /** Both suites, each on a chain of its own, each with its {@code bench auth} after it. */
  public List<Result> run(Settings settings, Consumer<String> progress) {
    List<Result> results = new ArrayList<>();
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      progress.accept("bench pos (" + suite + "): " + settings.phones() + " phones, " + settings.payments()
          + " payments after " + settings.warmup() + " warm-up");
      Result phones = runSuite(suite, settings, progress);
      progress.accept("bench pos (" + suite + "): bench auth in the same run, " + settings.authorisations()
          + " authorisations");
      AuthBench.Report auth = new AuthBench().run(new AuthBench.Settings(suite, 100, Math.min(2_000,
          settings.authorisations()), settings.authorisations(), 2, 64, 2_000), progress);
      results.add(withAuth(phones, auth));
    }
    return results;
  }

  private static Result withAuth(Result r, AuthBench.Report auth) {
    return new Result(r.suite(), r.phones(), r.payments(), r.approved(), r.seconds(), r.perSecond(), r.p50Ms(),
        r.p99Ms(), r.attestationP50Ms(), r.attestationP99Ms(), r.tap(), r.heldMinor(), r.expectedHeldMinor(),
        r.reversalsPending(), r.booksBalanced(), auth);
  }

  /** The phones' payments on one chain, without the {@code bench auth} part. */
  Result runSuite(AlgorithmSuite suite, Settings settings, Consumer<String> progress) {
    Path dir = BenchFiles.tempDir("iotpay-bench-pos", "the parties' databases and the phones' files");
    try (PhoneChain chain = new PhoneChain(suite, dir)) {
      List<PhoneChain.Phone> phones = new ArrayList<>();
      for (int i = 1; i <= settings.phones(); i++) {
        phones.add(chain.phone(i));
      }
      progress.accept("  " + phones.size() + " phones enrolled over HTTP; each payment attested first");
      Load warm = Load.run(phones, settings.warmup());
      long t0 = System.nanoTime();
      Load load = Load.run(phones, settings.payments());
      double seconds = (System.nanoTime() - t0) / 1e9;
      // The tap's latency as one terminal sees it: one phone alone, the chain not loaded by the others
      // (here they share this machine's cores; in the field the parties run elsewhere).
      int tapSamples = Math.max(5, settings.payments() / 10);
      progress.accept("  tap latency: " + tapSamples + " payments on one phone alone");
      Load alone = Load.run(phones.subList(0, 1), tapSamples);
      long expectedHeld = (warm.approved.get() + load.approved.get() + alone.approved.get()) * AMOUNT_MINOR;
      return new Result(suite, phones.size(), settings.payments(), load.approved.get(), seconds,
          settings.payments() / seconds, ms(load.total, 0.50), ms(load.total, 0.99), ms(load.attestation, 0.50),
          ms(load.attestation, 0.99), tap(suite, alone, settings.networkRttMs()), chain.heldMinor(), expectedHeld,
          chain.reversalsPending(), chain.issuerBooksBalance(), null);
    } catch (IOException e) {
      throw new UncheckedIOException("bench pos: a party could not start", e);
    } catch (SQLException e) {
      throw new IllegalStateException("bench pos: a party's database did not open: " + e.getMessage(), e);
    } finally {
      BenchFiles.deleteTree(dir);
    }
  }

  private static Tap tap(AlgorithmSuite suite, Load load, double networkRttMs) {
    AirTimeModel air = AirTimeModel.iso14443a106();
    List<PosTapBench.Exchange> apdus = load.lastApdus;
    double airMs = apdus.stream().mapToDouble(e -> air.exchangeMicros(e.bytesToCard(), e.bytesFromCard())).sum() / 1000;
    CardTimeModel card = CardTimeModel.of(suite);
    return new Tap(apdus, airMs, card.tapMs(apdus.stream().map(PosTapBench.Exchange::ins).toList()), card.standIn(),
        ms(load.online, 0.50), ms(load.online, 0.99), networkRttMs);
  }

  /**
   * {@code count} payments spread over the phones, one thread per phone. Per payment: wall time of
   * {@code charge}, of its attestation (nonce + token over HTTP), and the rest less the time spent
   * inside the simulated card (the "online" part: kernel, journal, acquirer, switch, issuer).
   */
  static final class Load {
    final long[] total;
    final long[] attestation;
    final long[] online;
    final AtomicInteger approved = new AtomicInteger();
    final AtomicInteger next = new AtomicInteger();
    volatile List<PosTapBench.Exchange> lastApdus = List.of();

    private Load(int count) {
      total = new long[count];
      attestation = new long[count];
      online = new long[count];
    }

    static Load run(List<PhoneChain.Phone> phones, int count) {
      Load load = new Load(count);
      List<Thread> threads = new ArrayList<>();
      List<RuntimeException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (PhoneChain.Phone phone : phones) {
        threads.add(Thread.ofPlatform().name("bench-pos-phone").start(() -> {
          try {
            load.pay(phone);
          } catch (RuntimeException e) {
            failures.add(e);
          }
        }));
      }
      for (Thread thread : threads) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("bench pos interrupted", e);
        }
      }
      if (!failures.isEmpty()) {
        throw failures.get(0);
      }
      Arrays.sort(load.total);
      Arrays.sort(load.attestation);
      Arrays.sort(load.online);
      return load;
    }

    private void pay(PhoneChain.Phone phone) {
      for (int i = next.getAndIncrement(); i < total.length; i = next.getAndIncrement()) {
        phone.card().reinsert();
        PosTapBench.Recorder card = new PosTapBench.Recorder(phone.card().channel());
        phone.monitoring().nanos = 0;
        long t0 = System.nanoTime();
        SdkOutcome outcome = phone.sdk().charge(Money.ofMinor(AMOUNT_MINOR, CurrencyUnit.CNY), card);
        total[i] = System.nanoTime() - t0;
        attestation[i] = phone.monitoring().nanos;
        online[i] = total[i] - attestation[i] - card.cardWallNanos;
        if (outcome.approved()) {
          approved.incrementAndGet();
        }
        lastApdus = List.copyOf(card.exchanges);
      }
    }
  }

  private static double ms(long[] sorted, double q) {
    return AuthBench.percentileMs(sorted, q);
  }

  /** The text report. */
  public static String format(List<Result> results, Settings settings) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "iotpay bench pos: phone payments by tap end to end, %d phones, %d payments per"
        + " suite (after %d warm-up); %d processors%n", settings.phones(), settings.payments(), settings.warmup(),
        Runtime.getRuntime().availableProcessors()));
    out.append("  chain: PosSdk (key in the SE, jCardSim) -> attestation over HTTP -> POS kernel + EMV card (jCardSim)"
        + " -> acquirer host (risk check) -> switch -> issuer -> hold, MACed ISO 8583 over loopback TCP, one JVM\n");
    for (Result r : results) {
      Tap t = r.tap();
      out.append(String.format(Locale.ROOT, "%n%s%n", r.suite()));
      out.append(String.format(Locale.ROOT, "  phone payments/s: %.1f (p50 %.1f ms, p99 %.1f ms; attestation p50 %.1f ms,"
          + " p99 %.1f ms); approved %d of %d%n", r.perSecond(), r.p50Ms(), r.p99Ms(), r.attestationP50Ms(),
          r.attestationP99Ms(), r.approved(), r.payments()));
      if (r.auth() != null) {
        out.append(String.format(Locale.ROOT, "  bench auth, same run: %.0f authorisations/s (p50 %.2f ms, p99 %.2f ms);"
            + " phone payments are %.4f of it%n", r.auth().perSecond(), r.auth().p50Ms(), r.auth().p99Ms(),
            r.perSecond() / r.auth().perSecond()));
      }
      out.append(String.format(Locale.ROOT, "  tap (one phone alone): %d command APDUs, %d bytes to card, %d from card; air"
          + " %.1f ms, card %.1f ms%s; online p50 %.1f ms (p99 %.1f); network %.0f ms (assumed)%n", t.apdus().size(), t.bytesToCard(),
          t.bytesFromCard(), t.airMs(), t.cardMs(), t.cardStandIn() ? " (AES-128 stand-in for SM4)" : "", t.onlineP50Ms(),
          t.onlineP99Ms(), t.networkRttMs()));
      out.append(String.format(Locale.ROOT, "  card in field to outcome: %.1f ms at the online p50, %.1f ms at p99;"
          + " target <= %.0f ms: %s%n", t.inFieldMs(), t.inFieldP99Ms(), IN_FIELD_MS_MAX, r.targetMet() ? "met" : "NOT met"));
      out.append(String.format(Locale.ROOT, "  issuer: %d held (expected %d), books balanced: %s; acquirer reversals"
          + " pending: %d%n", r.heldMinor(), r.expectedHeldMinor(), r.booksBalanced(), r.reversalsPending()));
    }
    out.append("\nonline = charge() wall time less the attestation and less the time inside the simulated card: the kernel,"
        + " its journal's fsyncs, the acquirer, the switch and the issuer; card = CardTimeModel (JCAlgTest JCOP4);"
        + " air = ISO 14443-A 106 kbit/s (AirTimeModel).\n");
    return out.toString();
  }

  /** The JSON object of {@code --json}. */
  public static Map<String, Object> json(List<Result> results, Settings settings) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("bench", "pos");
    j.put("phones", settings.phones());
    j.put("payments_per_suite", settings.payments());
    j.put("processors", Runtime.getRuntime().availableProcessors());
    List<Map<String, Object>> suites = new ArrayList<>();
    for (Result r : results) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("suite", r.suite().name());
      s.put("payments_per_second", round(r.perSecond()));
      s.put("p50_ms", round(r.p50Ms()));
      s.put("p99_ms", round(r.p99Ms()));
      s.put("attestation_p50_ms", round(r.attestationP50Ms()));
      s.put("attestation_p99_ms", round(r.attestationP99Ms()));
      s.put("approved", r.approved());
      s.put("failed", r.payments() - r.approved());
      if (r.auth() != null) {
        s.put("auth", Map.of("authorisations_per_second", round(r.auth().perSecond()), "p50_ms", round(r.auth().p50Ms()),
            "p99_ms", round(r.auth().p99Ms()), "phone_payments_ratio", r.perSecond() / r.auth().perSecond()));
      }
      Tap t = r.tap();
      Map<String, Object> tap = new LinkedHashMap<>();
      tap.put("apdus", t.apdus().size());
      tap.put("bytes_to_card", t.bytesToCard());
      tap.put("bytes_from_card", t.bytesFromCard());
      tap.put("air_ms", round(t.airMs()));
      tap.put("card_ms", round(t.cardMs()));
      tap.put("card_ms_stand_in", t.cardStandIn());
      tap.put("online_p50_ms", round(t.onlineP50Ms()));
      tap.put("online_p99_ms", round(t.onlineP99Ms()));
      tap.put("network_rtt_ms_assumed", t.networkRttMs());
      tap.put("in_field_ms", round(t.inFieldMs()));
      tap.put("in_field_p99_ms", round(t.inFieldP99Ms()));
      tap.put("in_field_target_ms", IN_FIELD_MS_MAX);
      s.put("tap", tap);
      s.put("issuer_held_minor", r.heldMinor());
      s.put("issuer_expected_held_minor", r.expectedHeldMinor());
      s.put("acquirer_reversals_pending", r.reversalsPending());
      s.put("books_balanced", r.booksBalanced());
      s.put("target_met", r.targetMet());
      suites.add(s);
    }
    j.put("suites", suites);
    return j;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}

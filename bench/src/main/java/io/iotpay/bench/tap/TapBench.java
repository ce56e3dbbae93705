package io.iotpay.bench.tap;

import io.iotpay.bench.oda.SecureElementTimings;
import io.iotpay.bench.pos.CardTimeModel;
import io.iotpay.bench.pos.OdaScheme;
import io.iotpay.foundation.crypto.oda.CaRevocationList;
import io.iotpay.foundation.crypto.oda.OdaVerifier;
import java.time.YearMonth;
import io.iotpay.bench.BenchFiles;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.terminal.gate.FareTable;
import io.iotpay.terminal.gate.GateConfig;
import io.iotpay.terminal.gate.GateJournal;
import io.iotpay.terminal.gate.GateKernel;
import io.iotpay.terminal.gate.TapOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * {@code iotpay bench tap}: the gate kernel against the real transit applet in jCardSim, per suite,
 * with offline data authentication (fDDA: the card and the gates of {@link OdaScheme}). A rider
 * journeys S01 → S03 again and again (entry gate, exit gate; each tap fetches the other gate's proof
 * and the issuer certificate, the 7-command steady state). Per tap-in and tap-out it reports the
 * command APDUs, bytes each way, modelled ISO 14443-A air time ({@link AirTimeModel}), modelled card
 * time (the TAC from {@link CardTimeModel}, the fDDA signature from {@link SecureElementTimings}:
 * published secure-element figures) and the kernel's CPU time: thread CPU of {@code tap()} minus
 * thread CPU inside the card; also wall time minus the card's (which includes the journal's fsync).
 *
 * <p>{@link #runThroughReader} taps the card in a real PC/SC reader instead ({@code --reader NAME}):
 * the bench's own card of one suite ({@link #benchCard}), e.g. the jCardSim card put into pcscd by
 * {@code foundation.card.VpcdBridge}; the "card" time subtracted is then the whole PC/SC exchange.
 */
public final class TapBench {
  /** Targets: issue 13 (commands and air + card time, each tap, with ODA), issue 4 (CPU). */
  public static final int TAP_COMMANDS_MAX = 7;
  public static final double AIR_PLUS_CARD_MS_MAX = 300.0;
  /** What Calypso states for a contactless ticketing transaction: the aim, not the bound. */
  public static final double AIR_PLUS_CARD_MS_AIM = 200.0;
  public static final double CPU_P99_MS_MAX = 2.0;

  /** @param warmupJourneys unmeasured journeys first (JIT) @param journeys measured journeys per suite */
  public record Settings(int warmupJourneys, int journeys) {
    public Settings {
      if (warmupJourneys < 0 || journeys < 1 || journeys > 20_000) {
        throw new io.iotpay.foundation.InvalidInputException("bench tap: --journeys must be 1..20000 and --warmup >= 0");
      }
    }

    public static Settings quick() {
      return new Settings(500, 3_000);
    }
  }

  /** Figures of one tap type. */
  public record TapStats(String tap, List<RecordingChannel.Exchange> apdus, double airMs, double cardMs,
      long cpuMedianNanos, long cpuP99Nanos, long wallMedianNanos, long wallP99Nanos, int samples) {
    public double airPlusCardMs() {
      return airMs + cardMs;
    }

    int bytesToCard() {
      return apdus.stream().mapToInt(RecordingChannel.Exchange::bytesToCard).sum();
    }

    int bytesFromCard() {
      return apdus.stream().mapToInt(RecordingChannel.Exchange::bytesFromCard).sum();
    }
  }

  /** One suite's result. */
  public record Result(AlgorithmSuite suite, TapStats in, TapStats out) {}

  private final AirTimeModel air = AirTimeModel.iso14443a106();

  /** Runs both suites; progress lines go to {@code progress}. */
  public List<Result> run(Settings settings, Consumer<String> progress) {
    return Arrays.stream(AlgorithmSuite.values()).map(suite -> {
      progress.accept("  " + suite + ": " + settings.warmupJourneys() + " warm-up + " + settings.journeys() + " journeys");
      return runSuite(suite, settings);
    }).toList();
  }

  /**
   * The benchmark's card of {@code suite} (the transit applet in jCardSim with a quota no run can
   * exhaust), reached through a {@link CardChannel}: what {@link #run} taps, and what a reader run
   * expects in the reader.
   */
  public static CardChannel benchCard(AlgorithmSuite suite) {
    BenchCard.Oda oda = new BenchCard.Oda(OdaScheme.of(suite).issuer, YearMonth.of(2030, 12), false);
    return new BenchCard(suite, Pan.withCheckDigit("621234567890123"), 99_999_999, 800, 1, oda).channel();
  }

  /**
   * Modelled card time of a tap's commands (docs/gate.md §7): per GENERATE AC the TAC (session key,
   * MAC) and the fDDA signature, per INTERNAL AUTHENTICATE the signature; other commands 0.
   */
  static double cardMs(AlgorithmSuite suite, List<RecordingChannel.Exchange> apdus) {
    CardTimeModel model = CardTimeModel.of(suite);
    double signature = SecureElementTimings.fddaSignatureMs(suite);
    double ms = 0;
    for (RecordingChannel.Exchange e : apdus) {
      ms += switch (e.name()) {
        case "GENERATE AC" -> model.generateAcMs() + signature;
        case "INTERNAL AUTHENTICATE" -> signature;
        default -> 0;
      };
    }
    return ms;
  }

  /**
   * The same journeys against the card in a real reader (its connection's channel), labelled with
   * the card's {@code suite}.
   */
  public Result runThroughReader(Settings settings, AlgorithmSuite suite, CardChannel reader) {
    return runSuite(suite, settings, reader);
  }

  private Result runSuite(AlgorithmSuite suite, Settings settings) {
    return runSuite(suite, settings, benchCard(suite));
  }

  private Result runSuite(AlgorithmSuite suite, Settings settings, CardChannel card) {
    Path dir = BenchFiles.tempDir("iotpay-bench-tap", "the gate journals");
    FareTable fares = FareTable.line(8, 200, 100);
    ManualBusinessClock clock = new ManualBusinessClock(Instant.parse("2026-11-23T06:00:00Z"), BusinessDayRule.UTC_MIDNIGHT);
    PartyId operator = PartyId.of("METRO-1");
    try (GateJournal inJournal = GateJournal.open(dir.resolve("in.journal"));
        GateJournal outJournal = GateJournal.open(dir.resolve("out.journal"))) {
      OdaVerifier oda = OdaScheme.of(suite).verifier(CaRevocationList.empty());
      GateKernel in = new GateKernel(GateConfig.of(operator, 1, "IN-A", 1, 1, GateConfig.Direction.ENTRY), fares,
          inJournal, clock, oda);
      GateKernel out = new GateKernel(GateConfig.of(operator, 1, "OUT-E", 3, 1, GateConfig.Direction.EXIT), fares,
          outJournal, clock, oda);
      Sampler tapIn = new Sampler("tap-in", settings.journeys());
      Sampler tapOut = new Sampler("tap-out", settings.journeys());
      for (int i = 0; i < settings.warmupJourneys() + settings.journeys(); i++) {
        boolean measured = i >= settings.warmupJourneys();
        clock.advance(Duration.ofMinutes(30));
        tapIn.tap(in, card, measured);
        clock.advance(Duration.ofMinutes(10));
        tapOut.tap(out, card, measured);
      }
      return new Result(suite, tapIn.stats(air, suite), tapOut.stats(air, suite));
    } finally {
      BenchFiles.deleteTree(dir);
    }
  }

  /** Collects one tap type's samples. */
  private static final class Sampler {
    final String name;
    final long[] cpu;
    final long[] wall;
    int n;
    List<RecordingChannel.Exchange> lastApdus = List.of();

    Sampler(String name, int capacity) {
      this.name = name;
      cpu = new long[capacity];
      wall = new long[capacity];
    }

    void tap(GateKernel gate, CardChannel card, boolean measured) {
      RecordingChannel channel = new RecordingChannel(card);
      long cpu0 = RecordingChannel.threadCpuNanos();
      long wall0 = System.nanoTime();
      TapOutcome outcome = gate.tap(channel);
      long wallNanos = System.nanoTime() - wall0;
      long cpuNanos = RecordingChannel.threadCpuNanos() - cpu0;
      if (!(outcome instanceof TapOutcome.Opened)) {
        throw new IllegalStateException(name + " did not open the gate: " + outcome);
      }
      if (measured) {
        cpu[n] = cpuNanos - channel.cardCpuNanos;
        wall[n] = wallNanos - channel.cardWallNanos;
        n++;
        lastApdus = List.copyOf(channel.exchanges);
      }
    }

    TapStats stats(AirTimeModel air, AlgorithmSuite suite) {
      double airMicros = lastApdus.stream().mapToDouble(e -> air.exchangeMicros(e.bytesToCard(), e.bytesFromCard())).sum();
      long[] c = Arrays.copyOf(cpu, n);
      long[] w = Arrays.copyOf(wall, n);
      Arrays.sort(c);
      Arrays.sort(w);
      return new TapStats(name, lastApdus, airMicros / 1000, cardMs(suite, lastApdus), c[n / 2], c[p99(n)], w[n / 2],
          w[p99(n)], n);
    }

    private static int p99(int n) {
      return Math.max(0, (int) Math.ceil(n * 0.99) - 1);
    }
  }

  /** The report: per suite and tap, the APDUs, then the summary against the targets. */
  public static String format(List<Result> results, Settings settings) {
    return format(results, settings, null);
  }

  /**
   * The report of a run; {@code readerName} names the PC/SC reader the card was in, or is null for
   * the card in jCardSim.
   */
  public static String format(List<Result> results, Settings settings, String readerName) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "iotpay bench tap: %d journeys per suite (after %d warm-up), gate kernel vs."
        + " %s%n", settings.journeys(), settings.warmupJourneys(), readerName == null
        ? "the transit applet in jCardSim" : "the card in PC/SC reader '" + readerName + "'"));
    out.append("air model: ISO 14443-A 106 kbit/s, 9 bits/byte, SOF+EOF, I-block PCB+CRC_A (3 bytes), 2 x FDT 1172/fc per exchange\n");
    out.append("card model: per GENERATE AC the TAC (bench.pos.CardTimeModel, JCAlgTest NXP JCOP4 J3R180; NATIONAL: AES"
        + " stands in for SM4) + the fDDA signature (bench.oda.SecureElementTimings: RSA-1024 CRT 14.98 ms on JCOP4"
        + " P71; NATIONAL: ECDSA P-256 31.96 ms stands in for SM2); offline data authentication on\n");
    for (Result r : results) {
      for (TapStats t : List.of(r.in(), r.out())) {
        out.append(String.format(Locale.ROOT, "%n%s %s: %d command APDUs%n", r.suite(), t.tap(), t.apdus().size()));
        for (RecordingChannel.Exchange e : t.apdus()) {
          out.append(String.format(Locale.ROOT, "  %-24s %4d bytes to card %4d bytes from card%n", e.name(),
              e.bytesToCard(), e.bytesFromCard()));
        }
      }
    }
    out.append(String.format(Locale.ROOT, "%n%-14s %-8s %5s %8s %8s %8s %8s %9s %11s %11s %12s %12s%n", "suite", "tap",
        "cmds", "to card", "from", "air ms", "card ms", "air+card", "CPU med µs", "CPU p99 µs", "wall med µs",
        "wall p99 µs"));
    boolean met = true;
    boolean aim = true;
    boolean cpu = true;
    for (Result r : results) {
      for (TapStats t : List.of(r.in(), r.out())) {
        out.append(String.format(Locale.ROOT, "%-14s %-8s %5d %8d %8d %8.1f %8.1f %9.1f %11.0f %11.0f %12.0f %12.0f%n",
            r.suite(), t.tap(), t.apdus().size(), t.bytesToCard(), t.bytesFromCard(), t.airMs(), t.cardMs(),
            t.airPlusCardMs(), t.cpuMedianNanos() / 1e3, t.cpuP99Nanos() / 1e3, t.wallMedianNanos() / 1e3,
            t.wallP99Nanos() / 1e3));
        met &= t.apdus().size() <= TAP_COMMANDS_MAX && t.airPlusCardMs() <= AIR_PLUS_CARD_MS_MAX;
        aim &= t.airPlusCardMs() <= AIR_PLUS_CARD_MS_AIM;
        cpu &= t.cpuP99Nanos() / 1e6 <= CPU_P99_MS_MAX;
      }
    }
    out.append(String.format(Locale.ROOT, "%ntargets (every tap): <= %d command APDUs, air + card <= %.0f ms: %s;"
        + " aim air + card <= %.0f ms: %s; kernel CPU p99 <= %.0f ms: %s%n", TAP_COMMANDS_MAX, AIR_PLUS_CARD_MS_MAX,
        met ? "met" : "NOT met", AIR_PLUS_CARD_MS_AIM, aim ? "met" : "NOT met", CPU_P99_MS_MAX, cpu ? "met" : "NOT met"));
    out.append(readerName == null
        ? "CPU = thread CPU of the kernel's tap() minus thread CPU inside the card (jCardSim);"
            + " wall also excludes the card and includes the journal's fsync.\n"
        : "CPU = thread CPU of the kernel's tap() minus thread CPU inside the PC/SC exchanges;"
            + " wall also excludes the exchanges (the reader and card time) and includes the journal's fsync.\n");
    return out.toString();
  }


}

package io.iotpay.bench.pos;

import io.iotpay.bench.BenchFiles;
import io.iotpay.bench.oda.SecureElementTimings;
import io.iotpay.bench.tap.AirTimeModel;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.crypto.oda.CaRevocationList;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.protocol.Pan;
import io.iotpay.terminal.pos.AuthorisationRequest;
import io.iotpay.terminal.pos.AuthorisationResponse;
import io.iotpay.terminal.pos.OnlineAuthoriser;
import io.iotpay.terminal.pos.PinPad;
import io.iotpay.terminal.pos.PosConfig;
import io.iotpay.terminal.pos.PosJournal;
import io.iotpay.terminal.pos.PosKernel;
import io.iotpay.terminal.pos.PosOutcome;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The POS kernel's online tap figures, per suite: the real EMV applet in jCardSim, the loopback
 * issuer in process. Per tap: command APDUs and bytes each way; modelled ISO 14443-A air time
 * ({@link AirTimeModel}, docs/gate.md §7); modelled card time ({@link CardTimeModel}); the kernel's
 * CPU (thread CPU of {@code charge()} minus the card's and the issuer's) and wall time (which
 * includes the journal's two fsyncs); the loopback issuer's measured time; and an assumed network
 * round trip to the issuer. Card in field to outcome = air + card + kernel wall + issuer + network.
 *
 * <p>{@link #runThroughReader} taps the card in a real PC/SC reader instead ({@code --reader NAME}):
 * the bench's own card ({@link #benchCard}: keys of the loopback issuer seeded {@link #ISSUER_SEED},
 * PAN {@link #BENCH_PAN}), e.g. the jCardSim card put into pcscd by {@code foundation.card.VpcdBridge};
 * the measured time of the PC/SC exchanges is reported beside the modelled air and card time.
 */
public final class PosTapBench {
  /** Targets of issue #15 (EMVCo's recommended contactless transaction time). */
  public static final int COMMANDS_MAX = 8;
  public static final double IN_FIELD_MS_MAX = 500.0;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** The seed of the bench's loopback issuer, whose keys the bench's card carries. */
  public static final long ISSUER_SEED = 15;
  /** The PAN of the bench's card. */
  public static final Pan BENCH_PAN = Pan.withCheckDigit("621234567890123");

  /**
   * @param warmupTaps unmeasured taps first (JIT)
   * @param taps measured taps per suite, 1..20000
   * @param networkRttMs the assumed round trip terminal → acquirer → switch → issuer and back
   */
  public record Settings(int warmupTaps, int taps, double networkRttMs) {
    public Settings {
      if (warmupTaps < 0 || taps < 1 || taps > 20_000 || networkRttMs < 0 || networkRttMs > 10_000) {
        throw new io.iotpay.foundation.InvalidInputException(
            "bench pos-tap: taps 1..20000, warm-up >= 0, network RTT 0..10000 ms");
      }
    }

    public static Settings quick() {
      return new Settings(300, 2_000, 300);
    }
  }

  /** One exchange of the last measured tap. */
  public record Exchange(String name, int ins, int bytesToCard, int bytesFromCard) {}

  /** One suite's figures. */
  public record Result(AlgorithmSuite suite, boolean oda, List<Exchange> apdus, double airMs, double cardMs, boolean cardStandIn,
      long cpuMedianNanos, long cpuP99Nanos, long wallMedianNanos, long wallP99Nanos, long issuerMedianNanos,
      double networkRttMs, int samples, long exchangesMedianNanos) {
    public int bytesToCard() {
      return apdus.stream().mapToInt(Exchange::bytesToCard).sum();
    }

    public int bytesFromCard() {
      return apdus.stream().mapToInt(Exchange::bytesFromCard).sum();
    }

    /** Card in field to outcome, with the median kernel wall time. */
    public double inFieldMs() {
      return airMs + cardMs + wallMedianNanos / 1e6 + issuerMedianNanos / 1e6 + networkRttMs;
    }

    /** The same with the p99 kernel wall time (the journal's fsyncs dominate it). */
    public double inFieldP99Ms() {
      return airMs + cardMs + wallP99Nanos / 1e6 + issuerMedianNanos / 1e6 + networkRttMs;
    }
  }

  /** Both suites, without and with fDDA. */
  public List<Result> run(Settings settings) {
    List<Result> results = new ArrayList<>(4);
    for (boolean oda : new boolean[] {false, true}) {
      for (AlgorithmSuite suite : AlgorithmSuite.values()) {
        results.add(runSuite(suite, oda, settings));
      }
    }
    return results;
  }

  /** The card's fDDA signature time: {@link SecureElementTimings#fddaSignatureMs}, shared with the gate's bench. */
  static double fddaSignatureMs(AlgorithmSuite suite) {
    return SecureElementTimings.fddaSignatureMs(suite);
  }

  /**
   * The bench's card without ODA: the real EMV applet in jCardSim personalised with the keys of the
   * loopback issuer seeded {@link #ISSUER_SEED}; what a reader run expects in the reader.
   */
  public static PosCard benchCard(AlgorithmSuite suite) {
    return new PosCard(suite, new LoopbackIssuer(ISSUER_SEED), BENCH_PAN);
  }

  /**
   * Online taps (no ODA) of the card in a real reader, through its connection's channel; the card
   * must be the bench's card of {@code suite} ({@link #benchCard}).
   */
  public Result runThroughReader(Settings settings, AlgorithmSuite suite, CardChannel reader) {
    LoopbackIssuer issuer = new LoopbackIssuer(ISSUER_SEED);
    issuer.register(BENCH_PAN, suite);
    return measure(suite, null, issuer, () -> reader, settings);
  }

  private Result runSuite(AlgorithmSuite suite, boolean withOda, Settings settings) {
    LoopbackIssuer issuer = new LoopbackIssuer(ISSUER_SEED);
    OdaScheme scheme = withOda ? OdaScheme.of(suite) : null;
    PosCard card = withOda ? PosCard.withOda(suite, issuer, BENCH_PAN, scheme) : new PosCard(suite, issuer, BENCH_PAN);
    return measure(suite, scheme, issuer, () -> {
      card.reinsert();
      return card.channel();
    }, settings);
  }

  /** Runs the taps; {@code tapChannel} gives the channel of each tap (the card re-presented). */
  private Result measure(AlgorithmSuite suite, OdaScheme scheme, LoopbackIssuer issuer,
      Supplier<CardChannel> tapChannel, Settings settings) {
    boolean withOda = scheme != null;
    Path dir = BenchFiles.tempDir("iotpay-bench-pos", "the POS journal");
    AirTimeModel air = AirTimeModel.iso14443a106();
    CardTimeModel cardTime = CardTimeModel.of(suite);
    TimedIssuer timed = new TimedIssuer(issuer);
    ManualBusinessClock clock = new ManualBusinessClock(Instant.parse("2026-12-07T10:00:00Z"),
        BusinessDayRule.UTC_MIDNIGHT);
    PosConfig config = PosConfig.defaults("T0000001", "M00000000000001",
        new SecretKeyBytes(new byte[] {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7}));
    try (PosJournal journal = PosJournal.open(dir.resolve("pos.journal"))) {
      PosKernel kernel = withOda
          ? new PosKernel(config, timed, PinPad.NONE, journal, clock, scheme.verifier(CaRevocationList.empty()))
          : new PosKernel(config, timed, PinPad.NONE, journal, clock);
      int n = settings.taps();
      long[] cpu = new long[n];
      long[] wall = new long[n];
      long[] issuerNanos = new long[n];
      long[] exchangeNanos = new long[n];
      List<Exchange> last = List.of();
      for (int i = 0; i < settings.warmupTaps() + n; i++) {
        clock.advance(Duration.ofSeconds(30));
        Recorder recorder = new Recorder(tapChannel.get());
        timed.reset();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        PosOutcome outcome = kernel.charge(recorder, Money.ofMinor(1_000, CurrencyUnit.CNY));
        long wallNanos = System.nanoTime() - wall0;
        long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpu0;
        if (outcome.reason() != PosOutcome.Reason.APPROVED_ONLINE) {
          throw new IllegalStateException(suite + " tap " + i + " was not approved online: " + outcome);
        }
        int m = i - settings.warmupTaps();
        if (m >= 0) {
          cpu[m] = cpuNanos - recorder.cardCpuNanos - timed.cpuNanos;
          wall[m] = wallNanos - recorder.cardWallNanos - timed.wallNanos;
          issuerNanos[m] = timed.wallNanos;
          exchangeNanos[m] = recorder.cardWallNanos;
          last = List.copyOf(recorder.exchanges);
        }
      }
      double airMs = last.stream().mapToDouble(e -> air.exchangeMicros(e.bytesToCard(), e.bytesFromCard())).sum() / 1000;
      double cardMs = cardTime.tapMs(last.stream().map(Exchange::ins).toList())
          + (withOda ? fddaSignatureMs(suite) : 0);
      Arrays.sort(cpu);
      Arrays.sort(wall);
      Arrays.sort(issuerNanos);
      Arrays.sort(exchangeNanos);
      return new Result(suite, withOda, last, airMs, cardMs, cardTime.standIn(), cpu[n / 2], cpu[p99(n)], wall[n / 2],
          wall[p99(n)], issuerNanos[n / 2], settings.networkRttMs(), n, exchangeNanos[n / 2]);
    } finally {
      BenchFiles.deleteTree(dir);
    }
  }

  private static String label(Result r) {
    return r.suite() + (r.oda() ? "+fDDA" : "");
  }

  private static int p99(int n) {
    return Math.max(0, (int) Math.ceil(n * 0.99) - 1);
  }

  /** The report: per suite the APDUs, then the summary against the targets. */
  public static String format(List<Result> results, Settings settings) {
    return format(results, settings, null);
  }

  /**
   * The report of a run; {@code readerName} names the PC/SC reader the card was in, or is null for
   * the card in jCardSim.
   */
  public static String format(List<Result> results, Settings settings, String readerName) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "iotpay bench pos-tap: %d online taps per suite (after %d warm-up), POS kernel"
        + " vs. %s and the loopback issuer%n", settings.taps(), settings.warmupTaps(), readerName == null
        ? "the EMV applet in jCardSim" : "the card in PC/SC reader '" + readerName + "'"));
    out.append("air model: ISO 14443-A 106 kbit/s, 9 bits/byte, SOF+EOF, I-block PCB+CRC_A (3 bytes), 2 x FDT 1172/fc"
        + " per exchange (bench.tap.AirTimeModel)\n");
    out.append("card model: JCAlgTest NXP JCOP4 J3R180 figures (bench.pos.CardTimeModel); NATIONAL uses AES-128 as a"
        + " stand-in for SM4\n");
    for (Result r : results) {
      out.append(String.format(Locale.ROOT, "%n%s online tap: %d command APDUs%n", label(r), r.apdus().size()));
      for (Exchange e : r.apdus()) {
        out.append(String.format(Locale.ROOT, "  %-22s %4d bytes to card %4d bytes from card%n", e.name(),
            e.bytesToCard(), e.bytesFromCard()));
      }
    }
    out.append(String.format(Locale.ROOT, "%n%-19s %5s %7s %6s %7s %8s %9s %9s %10s %10s %9s %7s %9s %9s%n", "suite", "cmds",
        "to card", "from", "air ms", "card ms", "CPU med", "CPU p99", "wall med", "wall p99", "issuer", "net ms",
        "field med", "field p99"));
    boolean met = true;
    boolean odaMet = true;
    for (Result r : results) {
      out.append(String.format(Locale.ROOT, "%-19s %5d %7d %6d %7.1f %7.1f%s %8.0fµs %8.0fµs %9.0fµs %9.0fµs %8.0fµs"
          + " %7.0f %9.1f %9.1f%n", label(r), r.apdus().size(), r.bytesToCard(), r.bytesFromCard(), r.airMs(), r.cardMs(),
          r.cardStandIn() ? "*" : " ", r.cpuMedianNanos() / 1e3, r.cpuP99Nanos() / 1e3, r.wallMedianNanos() / 1e3,
          r.wallP99Nanos() / 1e3, r.issuerMedianNanos() / 1e3, r.networkRttMs(), r.inFieldMs(), r.inFieldP99Ms()));
      if (!r.oda()) {
        met &= r.apdus().size() <= COMMANDS_MAX && r.inFieldMs() <= IN_FIELD_MS_MAX;
      } else {
        odaMet &= r.apdus().size() <= COMMANDS_MAX && r.inFieldMs() <= IN_FIELD_MS_MAX;
      }
    }
    out.append(String.format(Locale.ROOT, "%ntargets: <= %d command APDUs and <= %.0f ms card in field to outcome with"
        + " the online round trip (at the median kernel wall time): without ODA %s; with fDDA %s%n", COMMANDS_MAX,
        IN_FIELD_MS_MAX,
        met ? "met" : "NOT met", odaMet ? "met" : "NOT met"));
    out.append("CPU = thread CPU of charge() minus the card's (" + (readerName == null ? "jCardSim" : "the PC/SC exchanges")
        + ") and the issuer's; wall likewise, and includes"
        + " the journal's two fsyncs; issuer = the loopback issuer's measured time (ARQC check, ARPC);"
        + " net = the assumed network round trip (--rtt-ms); field = air + card + kernel wall (median / p99) + issuer + net.\n");
    if (readerName != null) {
      for (Result r : results) {
        out.append(String.format(Locale.ROOT, "measured PC/SC exchanges of a tap (%s, reader '%s'): median %.1f ms"
            + " (air and card columns stay the models)%n", label(r), readerName, r.exchangesMedianNanos() / 1e6));
      }
    }
    out.append("* stand-in figure (NATIONAL: AES-128 for SM4; with fDDA also ECDSA P-256 for the SM2 signature)\n");
    out.append("+fDDA: card time adds the fDDA signature (bench.oda.SecureElementTimings), kernel CPU includes the"
        + " certificate chain and signature verification\n");
    return out.toString();
  }

  /** Passes exchanges to the card, recording names, bytes, and the thread CPU and wall time spent in the card. */
  private static final class Recorder implements CardChannel {
    final CardChannel inner;
    final List<Exchange> exchanges = new ArrayList<>(10);
    long cardCpuNanos;
    long cardWallNanos;

    Recorder(CardChannel inner) {
      this.inner = inner;
    }

    @Override
    public ResponseApdu transmit(CommandApdu command) {
      long cpu = THREADS.getCurrentThreadCpuTime();
      long wall = System.nanoTime();
      ResponseApdu response = inner.transmit(command);
      cardWallNanos += System.nanoTime() - wall;
      cardCpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
      exchanges.add(new Exchange(name(command), command.ins(), command.encode().length, response.data().length + 2));
      return response;
    }

    private static String name(CommandApdu c) {
      return switch (c.ins()) {
        case 0xA4 -> c.data().length == 14 ? "SELECT PPSE" : "SELECT AID";
        case 0xA8 -> "GET PROCESSING OPTIONS";
        case 0xB2 -> "READ RECORD";
        case 0xAE -> "GENERATE AC";
        default -> String.format("INS %02X", c.ins());
      };
    }
  }

  /** Times the issuer (thread CPU and wall) so the kernel's own figures exclude it. */
  private static final class TimedIssuer implements OnlineAuthoriser {
    final LoopbackIssuer inner;
    long cpuNanos;
    long wallNanos;

    TimedIssuer(LoopbackIssuer inner) {
      this.inner = inner;
    }

    void reset() {
      cpuNanos = 0;
      wallNanos = 0;
    }

    @Override
    public AuthorisationResponse authorise(AuthorisationRequest request) {
      long cpu = THREADS.getCurrentThreadCpuTime();
      long wall = System.nanoTime();
      AuthorisationResponse response = inner.authorise(request);
      wallNanos += System.nanoTime() - wall;
      cpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
      return response;
    }
  }

  /** {@code java … io.iotpay.bench.pos.PosTapBench [taps] [warm-up] [rtt-ms]}. */
  public static void main(String[] args) {
    Settings quick = Settings.quick();
    Settings settings = new Settings(args.length > 1 ? Integer.parseInt(args[1]) : quick.warmupTaps(),
        args.length > 0 ? Integer.parseInt(args[0]) : quick.taps(),
        args.length > 2 ? Double.parseDouble(args[2]) : quick.networkRttMs());
    System.out.print(format(new PosTapBench().run(settings), settings));
  }


}

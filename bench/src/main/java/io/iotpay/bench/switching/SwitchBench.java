package io.iotpay.bench.switching;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.PresentmentFile;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.IccData;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ZoneKeys;
import io.iotpay.protocol.online.Presentment;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.switching.online.AcquirerEndpoint;
import io.iotpay.switching.online.IssuerEndpoint;
import io.iotpay.switching.online.OnlineClearing;
import io.iotpay.switching.online.OnlineSwitch;
import io.iotpay.switching.online.OnlineSwitchConfig;
import io.iotpay.switching.online.StandInLimits;
import io.iotpay.switching.online.StoreKeys;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * {@code iotpay bench switch}: the online side of the switch in one process over loopback TCP, MACed
 * ISO 8583 links, a window of requests in flight on one connection:
 * <ol>
 *   <li>the reference: length-framed byte frames of an 0100's size echoed by a plain socket
 *       (framing and TCP, no encoding, no MAC);
 *   <li>the ISO 8583 link: a client to a server whose handler approves at once;
 *   <li>the online switch relay: acquirer client → {@link OnlineSwitch} (routing, repeat table,
 *       message log on SQLite) → an issuer server that approves at once;
 *   <li>online clearing at the switch: one acquirer presentment file of a capture for every relayed
 *       pair, taken by {@link OnlineClearing} (read, matched, recorded, result file), then the issuer
 *       file written; beside the same file parsed alone.
 * </ol>
 * Checks, which make the exit status: every echo came back intact, every request was answered with
 * its own STAN, every relayed authorisation approved and logged, every presentment accepted, one
 * issuer file.
 */
public final class SwitchBench {
  static final PartyId SWITCH = PartyId.of("SWITCH");
  static final PartyId ACQUIRER = PartyId.of("ACQ1");
  static final PartyId ISSUER = PartyId.of("ISSA");
  static final Pan CARD = Pan.withCheckDigit("621234567890123");
  static final LocalDate DAY = LocalDate.of(2026, 12, 7);
  private static final MonthDayTime AT = new MonthDayTime(MonthDay.of(12, 7), LocalTime.of(1, 0, 0));
  /** An ARQC-bearing field 55: 9F26 (ARQC), 9F36 (ATC), 95 (TVR). */
  private static final IccData ICC = new IccData(Hex.decode("9F2608A1B2C3D4E5F607189F3602002A95050000000000"));
  private static final Iso8583Wire WIRE = Iso8583Wire.load();
  /** Unmeasured requests on the echo and the link before the runs (JIT, connections). */
  private static final int WARMUP_MAX = 5_000;

  /**
   * @param suite the links' MACs and the store's keys
   * @param requests authorisations per stage and run, 1..999,999 (one STAN each)
   * @param inFlight most requests outstanding on a connection, 1..4,096
   * @param runs timed runs, 1..20: the report gives each figure's median
   * @param workDirectory where the switch's databases and files go (must exist)
   */
  public record Settings(AlgorithmSuite suite, int requests, int inFlight, int runs, Path workDirectory) {
    public static final int REQUESTS_DEFAULT = 20_000;
    public static final int REQUESTS_MAX = 999_999;
    public static final int IN_FLIGHT_DEFAULT = 256;
    public static final int IN_FLIGHT_MAX = 4_096;
    public static final int RUNS_MAX = 20;

    /** @throws InvalidInputException naming the setting out of range */
    public Settings {
      if (suite == null || requests < 1 || requests > REQUESTS_MAX || inFlight < 1 || inFlight > IN_FLIGHT_MAX
          || runs < 1 || runs > RUNS_MAX || workDirectory == null) {
        throw new InvalidInputException("bench switch: --requests 1.." + REQUESTS_MAX + ", --in-flight 1.."
            + IN_FLIGHT_MAX + ", --runs 1.." + RUNS_MAX + " (got " + requests + ", " + inFlight + ", " + runs + ")");
      }
    }
  }

  /**
   * One run's times (nanoseconds) and counts.
   *
   * @param echoNs the reference echo; {@code echoed} frames that came back intact
   * @param linkNs the ISO 8583 link; {@code linkAnswered} answers carrying their own STAN
   * @param relayNs the online switch, last answer; {@code relayLoggedNs} until every pair was in the log;
   *     {@code relayApproved} approvals with their own STAN; {@code logged} rows in the message log
   * @param parseNs the presentment file parsed alone; {@code intakeNs} taken by online clearing;
   *     {@code issuerFileNs} the issuer file written; {@code accepted} presentments accepted;
   *     {@code issuerFiles} issuer files written (one expected)
   */
  public record Run(long echoNs, long echoed, long linkNs, long linkAnswered, long relayNs, long relayLoggedNs,
      long relayApproved, long logged, long parseNs, long intakeNs, long issuerFileNs, long accepted,
      int issuerFiles) {}

  /** What the bench measured. */
  public record Result(AlgorithmSuite suite, int requests, int inFlight, int frameBytes, List<Run> runs,
      int processors, double loadAverage) {
    /** Every check of every run held. */
    public boolean consistent() {
      return runs.stream().allMatch(r -> r.echoed() == requests && r.linkAnswered() == requests
          && r.relayApproved() == requests && r.logged() == requests && r.accepted() == requests
          && r.issuerFiles() == 1);
    }

    /** Per second over the runs' median time of {@code ns}. */
    public double perSecond(ToDoubleFunction<Run> ns) {
      double[] values = runs.stream().mapToDouble(ns).sorted().toArray();
      int n = values.length;
      double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
      return requests * 1e9 / median;
    }

    public double echoPerSecond() {
      return perSecond(Run::echoNs);
    }

    public double linkPerSecond() {
      return perSecond(Run::linkNs);
    }

    public double relayPerSecond() {
      return perSecond(Run::relayNs);
    }

    public double parsePerSecond() {
      return perSecond(Run::parseNs);
    }

    public double intakePerSecond() {
      return perSecond(Run::intakeNs);
    }

    public double issuerFilePerSecond() {
      return perSecond(Run::issuerFileNs);
    }
  }

  /** Runs the bench; {@code progress} gets a line per stage. */
  public Result run(Settings settings, Consumer<String> progress) {
    Keys keys = new Keys(settings.suite());
    int frameBytes = WIRE.write(authorisation(1), settings.suite(), keys.acquirerLink.current()).length;
    try {
      int warmup = Math.min(settings.requests(), WARMUP_MAX);
      progress.accept("warm-up: " + warmup + " echoes and " + warmup + " link requests");
      echo(warmup, settings.inFlight(), frameBytes);
      link(keys, warmup, settings.inFlight());
      List<Run> runs = new ArrayList<>();
      for (int i = 1; i <= settings.runs(); i++) {
        Run run = once(settings, keys, frameBytes, settings.workDirectory().resolve("run-" + i));
        runs.add(run);
        progress.accept(String.format(Locale.ROOT, "run %d/%d: echo %.2f s, link %.2f s, relay %.2f s, "
            + "clearing intake %.2f s", i, settings.runs(), run.echoNs() / 1e9, run.linkNs() / 1e9,
            run.relayNs() / 1e9, run.intakeNs() / 1e9));
      }
      return new Result(settings.suite(), settings.requests(), settings.inFlight(), frameBytes, runs,
          Runtime.getRuntime().availableProcessors(),
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    } catch (IOException e) {
      throw new UncheckedIOException("bench switch", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("bench switch: interrupted", e);
    }
  }

  private static Run once(Settings s, Keys keys, int frameBytes, Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    long t0 = System.nanoTime();
    long echoed = echo(s.requests(), s.inFlight(), frameBytes);
    long echoNs = System.nanoTime() - t0;
    t0 = System.nanoTime();
    long answered = link(keys, s.requests(), s.inFlight());
    long linkNs = System.nanoTime() - t0;
    try (Database database = Database.open("jdbc:sqlite:" + dir.resolve("switch-online.db"), 4)) {
      long[] relay = relay(keys, s.requests(), s.inFlight(), database);
      Path file = dir.resolve("presentments.txt");
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
        PresentmentFile.write(out, ACQUIRER, SWITCH, DAY, 1, CurrencyUnit.CNY, presentments(s.requests()));
      }
      t0 = System.nanoTime();
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        PresentmentFile.read(in, FileLimits.defaults());
      }
      long parseNs = System.nanoTime() - t0;
      OnlineClearing clearing = new OnlineClearing(new OnlineClearing.Config(SWITCH, CurrencyUnit.CNY,
          List.of(new CardRange("621234", ISSUER)), List.of(ACQUIRER), FileLimits.defaults()), database,
          keys.store, dir.resolve("out"));
      t0 = System.nanoTime();
      OnlineClearing.Intake intake = clearing.accept(file);
      long intakeNs = System.nanoTime() - t0;
      t0 = System.nanoTime();
      Map<PartyId, Path> issuerFiles = clearing.writeIssuerFiles(DAY);
      long issuerFileNs = System.nanoTime() - t0;
      return new Run(echoNs, echoed, linkNs, answered, relay[0], relay[1], relay[2], relay[3], parseNs, intakeNs,
          issuerFileNs, intake.accepted(), issuerFiles.containsKey(ISSUER) ? issuerFiles.size() : 0);
    }
  }

  /**
   * The reference: {@code count} frames of {@code frameBytes} (2-byte length, as the ISO 8583 links
   * frame) written on one loopback connection to a plain socket that echoes them, at most {@code
   * inFlight} outstanding. Returns how many came back intact (carrying their own number).
   */
  static long echo(int count, int inFlight, int frameBytes) throws IOException, InterruptedException {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread server = Thread.ofPlatform().name("bench-echo").start(() -> {
        try (Socket socket = listener.accept()) {
          socket.setTcpNoDelay(true);
          DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
          OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
          byte[] frame = new byte[frameBytes];
          for (int i = 0; i < count; i++) {
            int length = in.readUnsignedShort();
            in.readFully(frame, 0, length);
            out.write(length >> 8);
            out.write(length);
            out.write(frame, 0, length);
            if (in.available() == 0) {
              out.flush();
            }
          }
          out.flush();
        } catch (IOException e) {
          // the client went away: its count shows what came back
        }
      });
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        socket.setTcpNoDelay(true);
        Semaphore window = new Semaphore(inFlight);
        AtomicLong intact = new AtomicLong();
        Thread reader = Thread.ofPlatform().name("bench-echo-reader").start(() -> {
          try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            byte[] frame = new byte[frameBytes];
            for (int i = 0; i < count; i++) {
              int length = in.readUnsignedShort();
              in.readFully(frame, 0, length);
              if (length == frameBytes && number(frame) == i) {
                intact.incrementAndGet();
              }
              window.release();
            }
          } catch (IOException e) {
            window.release(inFlight); // let the writer finish; the count shows the loss
          }
        });
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        byte[] frame = new byte[frameBytes];
        new SecureRandom().nextBytes(frame);
        for (int i = 0; i < count; i++) {
          window.acquire();
          frame[0] = (byte) (i >> 24);
          frame[1] = (byte) (i >> 16);
          frame[2] = (byte) (i >> 8);
          frame[3] = (byte) i;
          out.writeShort(frameBytes);
          out.write(frame);
          out.flush();
        }
        reader.join();
        server.join();
        return intact.get();
      }
    }
  }

  private static int number(byte[] frame) {
    return (frame[0] & 0xFF) << 24 | (frame[1] & 0xFF) << 16 | (frame[2] & 0xFF) << 8 | frame[3] & 0xFF;
  }

  /** The ISO 8583 link alone: returns how many requests were answered with their own STAN. */
  static long link(Keys keys, int count, int inFlight) throws IOException, InterruptedException {
    LinkSettings serverSettings = LinkSettings.defaults("48020000", "SWITCH01").withEchoIntervalMs(0);
    LinkSettings clientSettings = LinkSettings.defaults("48020000", "ACQ00001").withEchoIntervalMs(0)
        .withRequestTimeoutMs(15_000);
    try (Iso8583Server server = new Iso8583Server(serverSettings, keys.acquirerLink, SwitchBench::approveWithStan, WIRE)
            .start(loopback(0));
        Iso8583Client client = new Iso8583Client(loopback(server.port()), clientSettings, keys.acquirerLink, WIRE)) {
      client.connect();
      return window(client, count, inFlight, i -> client.nextStan());
    }
  }

  /**
   * Acquirer client → online switch → issuer server. Returns {relay ns, logged ns, approved with their
   * own STAN, rows in the message log}.
   */
  static long[] relay(Keys keys, int count, int inFlight, Database database)
      throws IOException, InterruptedException {
    LinkSettings issuerSide = LinkSettings.defaults("99990000", "SWITCH01").withRequestTimeoutMs(15_000)
        .withEchoIntervalMs(0);
    StandInLimits limits = new StandInLimits(cny(5_000), cny(8_000), cny(100_000));
    try (Iso8583Server issuer = new Iso8583Server(LinkSettings.defaults("11110000", "ISSUER01"), keys.issuerLink,
            SwitchBench::approveWithStan, WIRE).start(loopback(0));
        OnlineSwitch online = new OnlineSwitch(OnlineSwitchConfig.defaults(
            List.of(new AcquirerEndpoint(ACQUIRER, loopback(0), LinkSettings.defaults("99990000", "SWITCH01"),
                keys.acquirerLink)),
            List.of(new IssuerEndpoint(ISSUER, loopback(issuer.port()), issuerSide, keys.issuerLink, 5_000, limits)),
            List.of(new CardRange("621234", ISSUER)), keys.store), database, WIRE).start();
        Iso8583Client acquirer = new Iso8583Client(loopback(online.port(ACQUIRER)),
            LinkSettings.defaults("48020000", "ACQNODE1").withRequestTimeoutMs(15_000).withEchoIntervalMs(0),
            keys.acquirerLink, WIRE)) {
      acquirer.connect();
      long t0 = System.nanoTime();
      long approved = window(acquirer, count, inFlight, i -> i);
      long relayNs = System.nanoTime() - t0;
      boolean flushed = online.flushLog(60_000);
      long loggedNs = System.nanoTime() - t0;
      long logged = flushed ? Long.parseLong(online.query("SELECT COUNT(*) FROM online_message_log").get(0).get(0)) : -1;
      return new long[] {relayNs, loggedNs, approved, logged};
    }
  }

  /**
   * Sends {@code count} authorisations (STAN from {@code stanOf}, given 1..count) with at most {@code
   * inFlight} outstanding; returns how many were approved with their own STAN.
   */
  private static long window(Iso8583Client client, int count, int inFlight,
      java.util.function.IntUnaryOperator stanOf) throws InterruptedException {
    Semaphore window = new Semaphore(inFlight);
    AtomicLong right = new AtomicLong();
    for (int i = 1; i <= count; i++) {
      window.acquire();
      int stan = stanOf.applyAsInt(i);
      client.sendAsync(authorisation(stan)).thenAccept(outcome -> {
        if (outcome instanceof Outcome.Answered answered && answered.response() instanceof CardResponse response
            && response.stan() == stan && response.responseCode() == ResponseCode.APPROVED
            && approvalCode(stan).equals(response.approvalCode())) {
          right.incrementAndGet();
        }
        window.release();
      });
    }
    window.acquire(inFlight);
    return right.get();
  }

  /** Approves with an approval code made of the STAN, so each caller can check its own answer. */
  private static Iso8583Message approveWithStan(Iso8583Message request) {
    return CardResponse.answering(request, ResponseCode.APPROVED, approvalCode(request.stan()), null);
  }

  private static String approvalCode(int stan) {
    return String.format("%06d", stan);
  }

  static CardTransaction transaction(int stan) {
    return new CardTransaction(CARD, "000000", cny(100), AT, stan, AT, YearMonth.of(2029, 12), "071", 1, "48020000",
        "RRN" + String.format("%09d", stan), "TERM0001", "MERCHANT0000001", null, ICC);
  }

  static AuthorisationRequest authorisation(int stan) {
    return new AuthorisationRequest(transaction(stan));
  }

  /** A capture of every relayed authorisation, STANs 1..count. */
  static List<Presentment> presentments(int count) {
    List<Presentment> out = new ArrayList<>(count);
    for (int stan = 1; stan <= count; stan++) {
      CardTransaction t = transaction(stan);
      out.add(new Presentment("P" + stan, Presentment.Kind.CAPTURE, ACQUIRER,
          OriginalData.of(Mti.AUTHORISATION_REQUEST, t), t.rrn(), t.terminalId(), t.merchantId(), t.pan(),
          t.amount().amountMinor(), CurrencyUnit.CNY, approvalCode(stan), DAY));
    }
    return out;
  }

  private static Money cny(long minor) {
    return Money.ofMinor(minor, CurrencyUnit.CNY);
  }

  private static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** Fresh random keys for the run: the two links' zone keys and the switch's store keys. */
  static final class Keys {
    final ZoneKeys acquirerLink;
    final ZoneKeys issuerLink;
    final StoreKeys store;

    Keys(AlgorithmSuite suite) {
      SecureRandom random = new SecureRandom();
      acquirerLink = new ZoneKeys(suite, key(random), key(random), 30_000);
      issuerLink = new ZoneKeys(suite, key(random), key(random), 30_000);
      store = new StoreKeys(suite, key(random), key(random), key(random));
    }

    private static SecretKeyBytes key(SecureRandom random) {
      byte[] bytes = new byte[16];
      random.nextBytes(bytes);
      return new SecretKeyBytes(bytes);
    }
  }

  /** The report: medians over the runs, each figure beside its reference. */
  public static String format(Result r) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "iotpay bench switch: %s, %,d requests per stage, %d in flight, 0100 of %d"
        + " bytes, median of %d run(s)%n", r.suite(), r.requests(), r.inFlight(), r.frameBytes(), r.runs().size()));
    out.append(String.format(Locale.ROOT, "  %-58s %,10.0f /s%n", "reference: raw loopback echo of 0100-sized frames",
        r.echoPerSecond()));
    out.append(String.format(Locale.ROOT, "  %-58s %,10.0f /s  ratio to raw echo %.3f%n",
        "ISO 8583 link (encode, MAC, verify, decode, approve)", r.linkPerSecond(), r.linkPerSecond() / r.echoPerSecond()));
    out.append(String.format(Locale.ROOT, "  %-58s %,10.0f /s  ratio to the link %.3f%n",
        "online switch relay (acquirer -> switch -> issuer, logged)", r.relayPerSecond(),
        r.relayPerSecond() / r.linkPerSecond()));
    out.append(String.format(Locale.ROOT, "  %-58s %,10.0f /s%n", "reference: presentment file parsed alone",
        r.parsePerSecond()));
    out.append(String.format(Locale.ROOT, "  %-58s %,10.0f /s  ratio to the parse %.3f%n",
        "online clearing intake (read, match, record, result file)", r.intakePerSecond(),
        r.intakePerSecond() / r.parsePerSecond()));
    out.append(String.format(Locale.ROOT, "  %-58s %,10.0f /s%n", "issuer file written", r.issuerFilePerSecond()));
    out.append(String.format(Locale.ROOT, "processors %d, load average %.2f%n", r.processors(), r.loadAverage()));
    StringBuilder checks = new StringBuilder();
    for (Run run : r.runs()) {
      checks.append(String.format(Locale.ROOT, " [echoed %d, link answered %d, relay approved %d, logged %d, "
          + "presentments accepted %d, issuer files %d]", run.echoed(), run.linkAnswered(), run.relayApproved(),
          run.logged(), run.accepted(), run.issuerFiles()));
    }
    out.append("checks:").append(checks).append(" of ").append(r.requests()).append(" -> ")
        .append(r.consistent() ? "CONSISTENT" : "INCONSISTENT").append(System.lineSeparator());
    return out.toString();
  }
}

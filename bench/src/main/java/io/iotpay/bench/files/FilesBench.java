package io.iotpay.bench.files;

import io.iotpay.bench.auth.AuthBench;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.TransitFileReader;
import io.iotpay.protocol.file.TransitFileWriter;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.switching.transit.SettlementRun;
import io.iotpay.switching.transit.TransitSwitch;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * {@code iotpay bench files}: one operator's offline file of R tap-out records, timed through the
 * file format (write; integrity pass; decode to {@link TransitRecord}s) and through the switch
 * (intake: copy, integrity pass, validation, de-duplication, routing, spooling; T+1 settlement with
 * the clearing files and the switch's postings, on durable SQLite), beside the reference measured in
 * the same run: the same file's bytes read and split into lines without decoding. The records are
 * synthetic (the switch does not verify TACs; {@code iotpay bench clearing} carries genuine ones).
 * Checks, which make the exit status: every record decoded, accepted and settled exactly once, and
 * the switch's books balanced.
 */
public final class FilesBench {
  static final PartyId SWITCH = PartyId.of("SWITCH");
  static final PartyId OPERATOR = PartyId.of("METRO-A");
  static final List<PartyId> ISSUERS = List.of(PartyId.of("ISSUER-A"), PartyId.of("ISSUER-B"));
  static final LocalDate DAY = LocalDate.of(2026, 11, 20);
  /** Distinct cards: a PAN recurs every this many records, with the next ATC. */
  private static final int CARDS = 100_000;
  private static final int BUFFER = 1 << 16;

  /**
   * @param records tap-out records in the file, 1..5,000,000
   * @param runs timed runs, 1..20: the report gives each figure's median
   * @param workDirectory where the files and databases go (must exist)
   */
  public record Settings(int records, int runs, Path workDirectory) {
    public static final int RECORDS_DEFAULT = 200_000;
    public static final int RECORDS_MAX = 5_000_000;
    public static final int RUNS_MAX = 20;

    /** @throws InvalidInputException naming the setting out of range */
    public Settings {
      if (records < 1 || records > RECORDS_MAX || runs < 1 || runs > RUNS_MAX || workDirectory == null) {
        throw new InvalidInputException("bench files: --records 1.." + RECORDS_MAX + ", --runs 1.." + RUNS_MAX
            + " (got " + records + ", " + runs + ")");
      }
    }
  }

  /**
   * One run's figures (nanoseconds) and checks.
   *
   * @param rawReadNs the reference: the file's bytes read and split into lines, nothing decoded
   * @param writeNs the file written; {@code integrityNs} the integrity pass; {@code decodeNs} every record decoded
   * @param intakeNs the switch's intake of the file; {@code settleNs} its settlement of the day with clearing files
   * @param decoded records decoded; {@code accepted} accepted by the switch; {@code settled} in its settlement report
   */
  public record Run(long rawReadNs, long writeNs, long integrityNs, long decodeNs, long intakeNs, long settleNs,
      long fileBytes, long lines, long decoded, long accepted, long settled, boolean booksBalanced) {}

  /** What the bench measured: every run, and the machine's state at the end. */
  public record Result(int records, List<Run> runs, int processors, double loadAverage) {
    /** Every run decoded, accepted and settled every record once, and the switch's books balance. */
    public boolean consistent() {
      return runs.stream().allMatch(r -> r.decoded() == records && r.accepted() == records && r.settled() == records
          && r.lines() == records + 2L && r.booksBalanced());
    }

    /** Records per second of {@code ns} over the runs' median. */
    public double perSecond(ToDoubleFunction<Run> ns) {
      return records * 1e9 / median(runs, ns);
    }

    public double rawReadPerSecond() {
      return perSecond(Run::rawReadNs);
    }

    public double decodePerSecond() {
      return perSecond(Run::decodeNs);
    }

    public double intakePerSecond() {
      return perSecond(Run::intakeNs);
    }

    /** Write, switch intake and settlement together: the old SwitchThroughputTest's end-to-end figure. */
    public double switchEndToEndPerSecond() {
      return perSecond(r -> r.writeNs() + r.intakeNs() + r.settleNs());
    }
  }

  /** Runs the bench; {@code progress} gets a line per stage. */
  public Result run(Settings settings, Consumer<String> progress) {
    List<TransitRecord> records = records(settings.records());
    Run[] runs = new Run[settings.runs()];
    for (int i = 0; i < runs.length; i++) {
      Path dir = settings.workDirectory().resolve("run-" + (i + 1));
      runs[i] = once(records, dir);
      progress.accept(String.format(Locale.ROOT, "run %d/%d: write %.2f s, decode %.2f s, intake %.2f s, "
          + "settlement %.2f s", i + 1, runs.length, runs[i].writeNs() / 1e9, runs[i].decodeNs() / 1e9,
          runs[i].intakeNs() / 1e9, runs[i].settleNs() / 1e9));
    }
    return new Result(settings.records(), List.of(runs), Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static Run once(List<TransitRecord> records, Path dir) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("offline.txt");
      FileHeader header = TransitFileWriter.headerFor(FileKind.OFFLINE, OPERATOR, SWITCH, DAY, 1, CurrencyUnit.CNY,
          records);
      long t0 = System.nanoTime();
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER)) {
        TransitFileWriter.writeAll(out, header, records);
      }
      long writeNs = System.nanoTime() - t0;
      t0 = System.nanoTime();
      long lines = rawLines(file);
      long rawReadNs = System.nanoTime() - t0;
      t0 = System.nanoTime();
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
        TransitFileReader reader = TransitFileReader.open(in, FileKind.OFFLINE, FileLimits.defaults());
        while (reader.next()) {
          // the integrity pass only, as the switch's first pass
        }
      }
      long integrityNs = System.nanoTime() - t0;
      t0 = System.nanoTime();
      long decoded = 0;
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
        TransitFileReader reader = TransitFileReader.open(in, FileKind.OFFLINE, FileLimits.defaults());
        while (reader.next()) {
          reader.record();
          decoded++;
        }
      }
      long decodeNs = System.nanoTime() - t0;
      try (SwitchOnSqlite at = new SwitchOnSqlite(dir)) {
        t0 = System.nanoTime();
        IntakeReceipt receipt = at.transitSwitch.receive(file);
        long intakeNs = System.nanoTime() - t0;
        t0 = System.nanoTime();
        SettlementRun settlement = at.transitSwitch.settle(DAY, DAY.plusDays(1));
        long settleNs = System.nanoTime() - t0;
        return new Run(rawReadNs, writeNs, integrityNs, decodeNs, intakeNs, settleNs, Files.size(file), lines, decoded,
            receipt.recordsAccepted(), settlement.report().recordsSettled(), at.booksBalanced());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("bench files: " + dir, e);
    }
  }

  /** The reference: the file's bytes through the same buffer size, lines counted, nothing decoded. */
  private static long rawLines(Path file) throws IOException {
    long lines = 0;
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            lines++;
          }
        }
      }
    }
    return lines;
  }

  /**
   * R exit records of one operator and day, made on demand: {@value #CARDS} cards of both suites in
   * two issuers' ranges, 500 gates, 90 stations, fares 2.00–6.99, 1,000 distinct 64-byte TAC inputs.
   */
  static List<TransitRecord> records(int count) {
    Pan[] pans = new Pan[Math.min(CARDS, count)];
    for (int i = 0; i < pans.length; i++) {
      pans[i] = Pan.withCheckDigit((i % 2 == 0 ? "621" : "622") + String.format("%012d", i));
    }
    Random random = new Random(7);
    byte[][] inputs = new byte[1_000][64];
    for (byte[] input : inputs) {
      random.nextBytes(input);
    }
    Instant at = DAY.atTime(8, 0).toInstant(java.time.ZoneOffset.UTC);
    byte[] tac = new byte[8];
    return new AbstractList<>() {
      @Override
      public TransitRecord get(int i) {
        return new TransitRecord(new RecordId("G" + (i % 500), i + 1L), OPERATOR, "ST" + (i % 90), TransitKind.EXIT,
            pans[i % pans.length], 0, AlgorithmSuite.values()[i % 2], i / pans.length,
            Money.ofMinor(200 + i % 500, CurrencyUnit.CNY), 1000, at, DAY, inputs[i % inputs.length], tac, false);
      }

      @Override
      public int size() {
        return count;
      }
    };
  }

  /** A switch on its own durable SQLite ledger, files unsigned (the signed-file cost is in bench clearing). */
  private static final class SwitchOnSqlite implements AutoCloseable {
    final Database database;
    final Ledger ledger;
    final TransitSwitch transitSwitch;

    SwitchOnSqlite(Path dir) {
      database = Database.open("jdbc:sqlite:" + dir.resolve("switch.db"), 4);
      ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none());
      transitSwitch = new TransitSwitch(SwitchConfig.of(SWITCH, 30, 30_000, 3_000_000_000L,
          List.of(new CardRange("621", ISSUERS.get(0)), new CardRange("622", ISSUERS.get(1))), List.of(OPERATOR)),
          ledger, database, dir.resolve("switch"));
    }

    /** The settlement posted, and over every account debits equal credits, pending and posted. */
    boolean booksBalanced() {
      return !ledger.balances().isEmpty() && AuthBench.booksBalance(ledger);
    }

    @Override
    public void close() {
      transitSwitch.close();
      ledger.close();
      database.close();
    }
  }

  static double median(List<Run> runs, ToDoubleFunction<Run> figure) {
    double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  /** The report: medians over the runs, each rate beside the raw-read reference. */
  public static String format(Result r) {
    StringBuilder out = new StringBuilder();
    Run first = r.runs().get(0);
    out.append(String.format(Locale.ROOT, "iotpay bench files: %,d records (64-byte TAC input), %,d bytes, "
        + "median of %d run(s)%n", r.records(), first.fileBytes(), r.runs().size()));
    double raw = r.rawReadPerSecond();
    out.append(String.format(Locale.ROOT, "  %-62s %,12.0f records/s%n", "reference: raw read (bytes split into lines)",
        raw));
    row(out, "write an offline file", r.perSecond(Run::writeNs), raw);
    row(out, "integrity pass (checksum, count, total)", r.perSecond(Run::integrityNs), raw);
    row(out, "decode to TransitRecords", r.decodePerSecond(), raw);
    row(out, "write + decode (the file format alone)", r.perSecond(x -> x.writeNs() + x.decodeNs()), raw);
    row(out, "switch intake (copy, integrity, validate, de-dup, route, spool)", r.intakePerSecond(), raw);
    row(out, "switch settlement with clearing files", r.perSecond(Run::settleNs), raw);
    row(out, "write + switch intake + settlement", r.switchEndToEndPerSecond(), raw);
    out.append(String.format(Locale.ROOT, "processors %d, load average %.2f%n", r.processors(), r.loadAverage()));
    out.append(String.format(Locale.ROOT, "checks: decoded %s, accepted %s, settled %s of %,d; books balanced %s -> %s%n",
        Arrays.toString(r.runs().stream().mapToLong(Run::decoded).toArray()),
        Arrays.toString(r.runs().stream().mapToLong(Run::accepted).toArray()),
        Arrays.toString(r.runs().stream().mapToLong(Run::settled).toArray()), r.records(),
        r.runs().stream().allMatch(Run::booksBalanced), r.consistent() ? "CONSISTENT" : "INCONSISTENT"));
    return out.toString();
  }

  private static void row(StringBuilder out, String name, double perSecond, double reference) {
    out.append(String.format(Locale.ROOT, "  %-62s %,12.0f records/s  ratio to reference %.3f%n", name, perSecond,
        perSecond / reference));
  }
}

package io.iotpay.bench.clearing;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.issuer.Issuer;
import io.iotpay.issuer.transit.ClearingReport;
import io.iotpay.issuer.transit.TacVerifier;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.IntakeStatus;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.switching.transit.SettlementRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * {@code iotpay bench clearing}: one business day of R tap-out records with genuine TACs through
 * every party, timed end to end in one process — the switch's file intake (integrity pass,
 * validation, de-duplication, routing, spooling), T+1 net settlement with the switch's postings and
 * one clearing file per issuer, then each issuer streaming its clearing file into its clearing
 * (TAC verification, amount checks, ledger postings on durable SQLite, registry) — and, in the
 * same run, TAC verification alone over a sample (the reference). The set-up (issuing, keys,
 * generating and writing the files) is not timed.
 */
public final class ClearingBench {
  /** Records the MAC-only reference verifies at most. */
  public static final int SAMPLE_RECORDS_MAX = 300_000;

  /**
   * @param records tap-out records of the day, 3..50,000,000
   * @param workDirectory where the database and files go (must exist; left in place)
   * @param threads generator and reference threads, 1..64
   */
  public record Settings(long records, Path workDirectory, int threads, boolean audit, AlgorithmSuite fileSuite) {
    /** Default records: a run of under a minute on a 2-core machine. */
    public static final long RECORDS_DEFAULT = 200_000;
    public static final long RECORDS_MAX = 50_000_000;

    /** With the audit log on (the default). */
    public Settings(long records, Path workDirectory, int threads) {
      this(records, workDirectory, threads, true);
    }

    /** Files signed and verified under the INTERNATIONAL suite (ECDSA P-256, SHA-256). */
    public Settings(long records, Path workDirectory, int threads, boolean audit) {
      this(records, workDirectory, threads, audit, AlgorithmSuite.INTERNATIONAL);
    }

    /** @throws InvalidInputException naming the setting out of range */
    public Settings {
      if (records < 3 || records > RECORDS_MAX) {
        throw new InvalidInputException("bench clearing: --records " + records + " is outside 3.." + RECORDS_MAX);
      }
      if (threads < 1 || threads > 64 || workDirectory == null || fileSuite == null) {
        throw new InvalidInputException("bench clearing: threads " + threads + " outside 1..64, or no directory or suite");
      }
    }
  }

  /**
   * What one run measured and checked.
   *
   * @param stageNs switch intake, switch settlement, issuer clearing (file read and decode included)
   * @param stageCpuNs the process's CPU time (all threads) in each stage
   * @param macRecords records in the reference; {@code macNs} its time
   * @param cpuNs CPU time of the whole process (all threads) in the timed part; {@code macCpuNs} in
   *     the reference: figures that other load on a shared machine does not inflate
   * @param loadAverage the system's one-minute load average at the end (negative if unknown)
   * @param fileSuite the suite the files are signed in; {@code filesSigned} files of {@code signedBytes} in all
   * @param signNs the senders' time signing the operators' files (set-up, not in end to end)
   * @param verifyNs one more verification of every file the parties exchanged (operator and clearing files),
   *     after the run: the cost of signature verification that the intake and clearing stages include
   */
  public record Result(long records, int cards, long twins, long repeats, long switchAccepted, long switchRefused,
      long issuerAccepted, long issuerRefused, long faresMinor, long debitedMinor, long dueToSwitchMinor,
      long settledGrossMinor, boolean booksBalanced, long endToEndNs, long[] stageNs, long[] stageCpuNs, long macRecords,
      long macNs, int threads, long cpuNs, long macCpuNs, double loadAverage, boolean audit, AlgorithmSuite fileSuite,
      int filesSigned, long signedBytes, long signNs, long verifyNs) {
    /** Every unique record cleared and debited once, nothing refused by the issuer, books balanced. */
    public boolean consistent() {
      return switchAccepted == records && issuerAccepted == records && issuerRefused == 0
          && debitedMinor == faresMinor && dueToSwitchMinor == faresMinor && settledGrossMinor == faresMinor
          && switchRefused == twins + repeats && booksBalanced;
    }

    public double endToEndPerSecond() {
      return records * 1e9 / endToEndNs;
    }

    public double macPerSecond() {
      return macRecords * 1e9 / macNs;
    }
  }

  /** Runs the benchmark; progress lines go to {@code progress}. */
  public Result run(Settings settings, Consumer<String> progress) {
    int cards = (int) Math.max(2, settings.records() / 3);
    try (BenchParties parties = new BenchParties(settings.workDirectory(), cards, settings.audit(), settings.fileSuite(),
        progress)) {
      DayGenerator generator = new DayGenerator(parties, settings.records());
      long perCard = Math.max(1, settings.records() / cards);
      int sampleCards = (int) Math.max(1, Math.min(cards, SAMPLE_RECORDS_MAX / perCard));
      DayGenerator.Written files = generator.write(settings.workDirectory(), settings.threads(), sampleCards, progress);
      List<Path> operatorFiles = List.of(files.operatorA1(), files.operatorB1(), files.operatorA2());
      long signStart = System.nanoTime();
      parties.signOperatorFiles(operatorFiles);
      long signNs = System.nanoTime() - signStart;
      progress.accept("files written and signed by their operators; timing intake -> settlement -> issuer clearing");
      long[] stageNs = new long[3];
      long[] stageCpuNs = new long[3];
      long cpuStart = processCpuNs();
      long start = System.nanoTime();
      long[] intake = intake(parties, files);
      stageNs[0] = System.nanoTime() - start;
      stageCpuNs[0] = processCpuNs() - cpuStart;
      progress.accept(String.format("intake done in %.1f s", stageNs[0] / 1e9));
      long settleStart = System.nanoTime();
      SettlementRun run = parties.transitSwitch.settle(DayGenerator.DAY, DayGenerator.DAY.plusDays(1));
      stageNs[1] = System.nanoTime() - settleStart;
      stageCpuNs[1] = processCpuNs() - cpuStart - stageCpuNs[0];
      progress.accept(String.format("settlement done in %.1f s", stageNs[1] / 1e9));
      long[] issued = clearConcurrently(parties, run, stageNs, progress);
      long endToEndNs = System.nanoTime() - start;
      long cpuNs = processCpuNs() - cpuStart;
      stageCpuNs[2] = cpuNs - stageCpuNs[0] - stageCpuNs[1];
      progress.accept(String.format("end to end %.1f s; MAC-only reference over %d records", endToEndNs / 1e9,
          files.sample().size()));
      long macCpuStart = processCpuNs();
      long macNs = macOnly(parties, files.sample(), settings.threads());
      long macCpuNs = processCpuNs() - macCpuStart;
      List<Path> exchanged = new ArrayList<>(operatorFiles);
      exchanged.addAll(run.clearingFiles().values());
      long signedBytes = 0;
      for (Path file : exchanged) {
        signedBytes += size(file);
      }
      long verifyStart = System.nanoTime();
      parties.verifyAll(operatorFiles, run.clearingFiles());
      long verifyNs = System.nanoTime() - verifyStart;
      long gross = run.report().positions().stream().mapToLong(p -> p.net().amountMinor()).filter(v -> v > 0).sum();
      return new Result(settings.records(), cards, DayGenerator.twins(settings.records()), generator.repeats,
          intake[0], intake[1], issued[0], issued[1], files.faresMinor() - twinFares(settings.records()), issued[2], parties.dueToSwitchMinor(0) + parties.dueToSwitchMinor(1), gross,
          parties.booksBalanced(), endToEndNs, stageNs, stageCpuNs, files.sample().size(), macNs, settings.threads(), cpuNs, macCpuNs,
          loadAverage(), settings.audit(), settings.fileSuite(), exchanged.size(), signedBytes, signNs, verifyNs);
    }
  }

  private static long size(Path file) {
    try {
      return java.nio.file.Files.size(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("bench: cannot size " + file, e);
    }
  }

  private static long processCpuNs() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Uploads METRO-A 1, METRO-B 1, METRO-A 1 again (a no-op) and METRO-A 2; returns accepted, refused. */
  private static long[] intake(BenchParties parties, DayGenerator.Written files) {
    long[] out = new long[2];
    for (Path file : List.of(files.operatorA1(), files.operatorB1(), files.operatorA1(), files.operatorA2())) {
      IntakeReceipt receipt = parties.transitSwitch.receive(file);
      if (receipt.status() == IntakeStatus.REJECTED) {
        throw new IllegalStateException("bench: switch rejected " + file.getFileName() + ": " + receipt.reason());
      }
      if (receipt.status() == IntakeStatus.ALREADY_ACCEPTED) {
        continue; // the resend is answered with the first upload's receipt: its records are counted once
      }
      out[0] += receipt.recordsAccepted();
      out[1] += receipt.recordsRefused();
    }
    return out;
  }

  /**
   * Each issuer clears its own file on its own thread, as separate parties would (they share this
   * process's ledger and SQLite file, whose single writers serialise the postings). Returns
   * accepted, refused, debited; the stage time is the wall time until both are done.
   */
  private static long[] clearConcurrently(BenchParties parties, SettlementRun run, long[] stageNs,
      Consumer<String> progress) {
    long start = System.nanoTime();
    List<ClearingReport> reports;
    try (ExecutorService pool =
        Executors.newFixedThreadPool(parties.issuers.size())) {
      List<Future<ClearingReport>> futures = new ArrayList<>();
      for (int k = 0; k < parties.issuers.size(); k++) {
        Issuer issuer = parties.issuers.get(k);
        Path file = run.clearingFiles().get(BenchParties.ISSUERS.get(k));
        futures.add(pool.submit(() -> issuer.clearFile(file, FileLimits.defaults())));
      }
      reports = new ArrayList<>();
      for (Future<ClearingReport> future : futures) {
        reports.add(future.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("bench: interrupted while the issuers cleared", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("bench: an issuer's clearing failed", e.getCause());
    }
    stageNs[2] = System.nanoTime() - start;
    long[] out = new long[3];
    for (ClearingReport report : reports) {
      out[0] += report.accepted();
      out[1] += report.refusals().size();
      out[2] += report.debitedMinor();
      progress.accept(report.issuer() + ": cleared " + report.accepted() + " records");
    }
    return out;
  }

  /** TAC verification alone over the sample, split over {@code threads}; every TAC must verify. */
  private static long macOnly(BenchParties parties, List<TransitRecord> sample, int threads) {
    List<TacVerifier> verifiers = List.of(parties.issuers.get(0).tacVerifier(), parties.issuers.get(1).tacVerifier());
    AtomicLong verified = new AtomicLong();
    long start = System.nanoTime();
    IntStream.range(0, threads).parallel().forEach(t -> {
      long ok = 0;
      for (int i = t; i < sample.size(); i += threads) {
        TransitRecord r = sample.get(i);
        int k = BenchParties.ISSUERS.indexOf(issuerOf(r));
        if (verifiers.get(k).verify(r.suite(), r.pan(), r.panSequence(), r.atc(), r.cryptogramInput(), r.tac())) {
          ok++;
        }
      }
      verified.addAndGet(ok);
    });
    long ns = System.nanoTime() - start;
    if (verified.get() != sample.size()) {
      throw new IllegalStateException("bench: " + (sample.size() - verified.get()) + " sample TACs did not verify");
    }
    return ns;
  }

  private static PartyId issuerOf(TransitRecord record) {
    return record.pan().digits().startsWith("621") ? BenchParties.ISSUERS.get(0) : BenchParties.ISSUERS.get(1);
  }

  private static long twinFares(long records) {
    long sum = 0;
    for (long i = 0; i < records; i++) {
      if (DayGenerator.hasTwin(i)) {
        sum += DayGenerator.fareMinor(i);
      }
    }
    return sum;
  }

  /** The report: figures, ratio, per-stage times and the consistency checks. */
  public static String format(Result r) {
    StringBuilder out = new StringBuilder();
    out.append(r.audit()
        ? "audit log ON (every ledger account and entry a leaf, written in the ledger batch's transaction; signed"
            + " checkpoints); one debit rider account per card\n"
        : "audit log OFF (--no-audit): the ledger postings are not audited; one debit rider account per card\n");
    out.append(String.format("iotpay bench clearing: %,d tap-out records, %,d cards (both suites, 2 issuers, "
        + "2 operators), %,d torn-tap twins + %,d re-sent records refused by the switch%n", r.records(), r.cards(),
        r.twins(), r.repeats()));
    String[] names = {"switch intake (integrity, validate, de-duplicate, route, spool)",
        "net settlement + clearing files",
        "issuers: integrity pass, decode, TAC, checks, ledger, registry"};
    for (int s = 0; s < names.length; s++) {
      out.append(String.format("  %-64s %8.2f s  %,12.0f records/s  %8.2f CPU-s%n", names[s], r.stageNs()[s] / 1e9,
          r.records() * 1e9 / Math.max(1, r.stageNs()[s]), r.stageCpuNs()[s] / 1e9));
    }
    out.append(String.format("end to end:        %8.2f s  %,12.0f records/s%n", r.endToEndNs() / 1e9,
        r.endToEndPerSecond()));
    out.append(String.format("MAC-only reference: %,d TACs on %d threads in %.2f s = %,.0f TACs/s%n", r.macRecords(),
        r.threads(), r.macNs() / 1e9, r.macPerSecond()));
    out.append(String.format("ratio end-to-end / MAC-only: %.3f%n", r.endToEndPerSecond() / r.macPerSecond()));
    out.append(String.format("CPU (all threads): end to end %.2f s = %,.0f records per CPU-second; MAC-only %.2f s = "
        + "%,.0f TACs per CPU-second; load average %.1f on %d processors%n", r.cpuNs() / 1e9,
        r.records() * 1e9 / Math.max(1, r.cpuNs()), r.macCpuNs() / 1e9, r.macRecords() * 1e9 / Math.max(1, r.macCpuNs()),
        r.loadAverage(), Runtime.getRuntime().availableProcessors()));
    out.append(String.format("signed files (%s, docs/signed-files.md): %d files, %,d bytes; the operators signed theirs"
        + " in %.2f s (not timed above); verifying every file once takes %.2f s = %.0f MB/s, included in the intake"
        + " and clearing stages%n", r.fileSuite(), r.filesSigned(), r.signedBytes(), r.signNs() / 1e9, r.verifyNs() / 1e9,
        r.signedBytes() / 1e6 / Math.max(1e-9, r.verifyNs() / 1e9)));
    out.append(String.format("target 10,000,000 records in <= 100 s: at this rate %.0f s%n",
        1e7 / r.endToEndPerSecond()));
    out.append(String.format("checks: switch accepted %,d refused %,d; issuers accepted %,d refused %,d; fares %d = "
        + "debited %d = due to switch %d = settled gross %d; books balanced %b -> %s%n", r.switchAccepted(),
        r.switchRefused(), r.issuerAccepted(), r.issuerRefused(), r.faresMinor(), r.debitedMinor(),
        r.dueToSwitchMinor(), r.settledGrossMinor(), r.booksBalanced(), r.consistent() ? "CONSISTENT" : "INCONSISTENT"));
    return out.toString();
  }
}

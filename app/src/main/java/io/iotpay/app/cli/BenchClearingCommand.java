package io.iotpay.app.cli;

import io.iotpay.bench.clearing.ClearingBench;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code iotpay bench clearing}: one business day of R tap-out records with genuine TACs (both
 * suites), timed end to end through switch intake, de-duplication, routing, net settlement,
 * clearing files, issuer TAC verification and ledger posting on durable SQLite, beside TAC
 * verification alone in the same run. Progress to stderr, the report to stdout; exit status 1 when
 * the run's own checks fail (something not cleared exactly once, or books unbalanced). Meant to be
 * hung under an {@code iotpay bench} parent command; {@link #main} runs it on its own.
 */
@Command(
    name = "clearing",
    mixinStandardHelpOptions = true,
    description = {
      "Clearing of one metro day end to end (intake -> de-duplication -> routing -> net settlement ->",
      "clearing files -> issuer TAC verification -> ledger posting) beside TAC verification alone;",
      "target 10,000,000 records in <= 100 s on a 2-core machine."
    })
public final class BenchClearingCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--records", description = "tap-out records of the day, 3..50000000 (default ${DEFAULT-VALUE})")
  long records = ClearingBench.Settings.RECORDS_DEFAULT;

  @Option(names = "--threads", description = "generator and reference threads (default: available processors)")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--dir", description = "work directory kept after the run (default: a temporary one, deleted)")
  Path directory;

  @Option(names = "--no-audit", description = "run the ledger without its audit log (the report's first line says so;"
      + " by default every posting is audited)")
  boolean noAudit;

  @Option(names = "--file-suite", description = "suite the parties sign and verify their files in: INTERNATIONAL"
      + " (ECDSA P-256, SHA-256) or NATIONAL (SM2, SM3) (default: ${DEFAULT-VALUE})")
  String fileSuite = "INTERNATIONAL";

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    boolean temporary = directory == null;
    Path work = temporary ? Files.createTempDirectory("iotpay-bench-clearing") : Files.createDirectories(directory);
    try {
      err.println("iotpay bench clearing: " + records + " records in " + work + " ...");
      err.flush();
      ClearingBench.Result result;
      try (Progress progress = Progress.start("bench clearing", -1, err)) {
        result = new ClearingBench().run(new ClearingBench.Settings(records, work, threads, !noAudit,
            AlgorithmSuite.byName(fileSuite)), progress::stage);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.print(ClearingBench.format(result));
      out.flush();
      return result.consistent() ? 0 : 1;
    } finally {
      if (temporary) {
        delete(work);
      }
    }
  }

  static void delete(Path work) {
    try (Stream<Path> paths = Files.walk(work)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot delete " + path, e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + work, e);
    }
  }

  /** Runs the command on its own (before it is hung under {@code iotpay bench}). */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchClearingCommand()).execute(args));
  }
}

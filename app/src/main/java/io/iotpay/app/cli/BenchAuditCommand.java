package io.iotpay.app.cli;

import io.iotpay.bench.audit.AuditBenchmark;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.audit.AuditLogConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay bench audit}: audit-log appends per second with checkpoints signed every second
 * (group commit, beside the one-transaction-per-leaf reference measured in the same run) and median
 * proof times on a large tree, for both suites. Figures on stdout, progress on stderr.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Audit log: appends/s with checkpoints signed every second (target >= 100,000/s on SQLite),",
      "beside one transaction per leaf, and median proof times on a 1M-leaf tree; both suites."
    })
public final class BenchAuditCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--seconds", description = "length of each grouped append run (default: ${DEFAULT-VALUE})")
  long seconds = 8;

  @Option(names = "--reference-seconds", description = "length of each one-transaction-per-leaf run (default: ${DEFAULT-VALUE})")
  long referenceSeconds = 2;

  @Option(names = "--batch", description = "leaves per transaction, like the ledger's group commit, LedgerConfig default 8190 (default: ${DEFAULT-VALUE})")
  int batchLeaves = 8190;

  @Option(names = "--proof-leaves", description = "leaves of the tree proofs are timed on (default: ${DEFAULT-VALUE})")
  int proofLeaves = 1 << 20;

  @Option(names = "--samples", description = "proofs timed per kind and suite (default: ${DEFAULT-VALUE})")
  int samples = 2001;

  @Option(names = "--suite", description = "INTERNATIONAL or NATIONAL; repeat for both (default: both)")
  List<String> suites = List.of();

  @Option(names = "--postgres", paramLabel = "JDBC-URL", description = "also run the appends on this PostgreSQL (a scratch schema, dropped after)")
  String postgresUrl;

  @Option(names = "--work-dir", description = "where the scratch SQLite files go (default: ${DEFAULT-VALUE})")
  Path workDirectory = Path.of("iotpay-data", "bench");

  /** Runs the benchmark alone, until it hangs under {@code iotpay bench}. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchAuditCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<AlgorithmSuite> chosen = suites.isEmpty() ? List.of(AlgorithmSuite.values()) : suites.stream().map(AlgorithmSuite::byName).toList();
    AuditBenchmark.Settings settings =
        new AuditBenchmark.Settings(
            workDirectory, seconds * 1000, referenceSeconds * 1000, batchLeaves, proofLeaves, samples, chosen, postgresUrl);
    PrintWriter err = spec.commandLine().getErr();
    AuditBenchmark.Result result = AuditBenchmark.run(settings, line -> err.println("bench audit: " + line));
    print(spec.commandLine().getOut(), result);
    return 0;
  }

  private static void print(PrintWriter out, AuditBenchmark.Result result) {
    out.println("Audit log appends (checkpointer every " + AuditLogConfig.CHECKPOINT_INTERVAL_MS_DEFAULT + " ms: at least one signed checkpoint per second)");
    out.printf("%-14s %-11s %14s %14s %12s %16s%n", "suite", "store", "leaves/txn", "appends/s", "checkpoints", "longest gap ms");
    for (AuditBenchmark.AppendResult append : result.appends()) {
      out.printf("%-14s %-11s %,14d %,14.0f %12d %16d%n", append.suite(), append.store(), append.batchLeaves(), append.appendsPerSecond(),
          append.checkpoints(), append.checkpointGapMsMax());
    }
    for (int i = 0; i + 1 < result.appends().size(); i += 2) {
      AuditBenchmark.AppendResult grouped = result.appends().get(i);
      AuditBenchmark.AppendResult reference = result.appends().get(i + 1);
      out.printf("  %s on %s: group commit is %.0fx one transaction per leaf; target 100,000/s %s%n", grouped.suite(), grouped.store(),
          grouped.appendsPerSecond() / reference.appendsPerSecond(), grouped.appendsPerSecond() >= 100_000 ? "met" : "NOT met");
    }
    out.println();
    out.println("Proof times (median µs over random leaves and sizes)");
    out.printf("%-14s %10s %10s %14s %14s %14s %14s %6s%n", "suite", "leaves", "build ms", "incl. prove", "incl. verify", "cons. prove",
        "cons. verify", "path");
    for (AuditBenchmark.ProofResult proof : result.proofs()) {
      out.printf("%-14s %,10d %10d %14.1f %14.1f %14.1f %14.1f %6d%n", proof.suite(), proof.treeLeaves(), proof.buildMs(), proof.inclusionProveUs(),
          proof.inclusionVerifyUs(), proof.consistencyProveUs(), proof.consistencyVerifyUs(), proof.pathLengthMax());
    }
    out.flush();
  }
}

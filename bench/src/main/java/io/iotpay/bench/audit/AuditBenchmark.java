package io.iotpay.bench.audit;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.MerkleProofs;
import io.iotpay.ledger.audit.MerkleTree;
import io.iotpay.foundation.store.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The audit log benchmark behind {@code iotpay bench audit}:
 *
 * <ol>
 *   <li><b>Appends/s</b> through {@link AuditLog} in ledger-style group commits (one transaction
 *       per batch), with the checkpointer signing every second; beside it, in the same run, the
 *       reference: one transaction per leaf.
 *   <li><b>Proof times</b> on an in-memory tree of {@code proofTreeLeaves} leaves: medians of
 *       inclusion and consistency proof generation and verification over random leaves and sizes.
 * </ol>
 */
public final class AuditBenchmark {
  /** Unrecorded append run per suite before the measured ones. */
  static final long WARM_UP_MS = 1500;

  private AuditBenchmark() {}

  /**
   * What to run.
   *
   * @param workDirectory where the SQLite files go (deleted afterwards)
   * @param appendMs how long each suite's grouped append run lasts
   * @param referenceMs how long each suite's one-transaction-per-leaf run lasts
   * @param batchLeaves leaves per transaction in the grouped run (the ledger's group commit size)
   * @param proofTreeLeaves leaves of the tree proofs are timed on
   * @param proofSamples proofs timed per kind and suite
   * @param postgresUrl a PostgreSQL JDBC URL to run the append part on too, or null for SQLite only
   */
  public record Settings(
      Path workDirectory,
      long appendMs,
      long referenceMs,
      int batchLeaves,
      int proofTreeLeaves,
      int proofSamples,
      List<AlgorithmSuite> suites,
      String postgresUrl) {
    public Settings {
      Assert.that(appendMs > 0 && referenceMs > 0, "durations must be positive");
      Assert.that(batchLeaves >= 1 && batchLeaves <= 1_000_000, "batchLeaves {} outside 1..1000000", batchLeaves);
      Assert.that(proofTreeLeaves >= 2 && proofTreeLeaves <= 1 << 26, "proofTreeLeaves {} outside 2..2^26", proofTreeLeaves);
      Assert.that(proofSamples >= 1 && proofSamples <= 1_000_000, "proofSamples {} outside 1..1000000", proofSamples);
    }
  }

  /** One store × suite append run. */
  public record AppendResult(
      AlgorithmSuite suite, String store, int batchLeaves, long leaves, long elapsedMs, long checkpoints, long checkpointGapMsMax) {
    public double appendsPerSecond() {
      return leaves * 1000.0 / elapsedMs;
    }
  }

  /** Proof timings for one suite, in microseconds (medians). */
  public record ProofResult(
      AlgorithmSuite suite,
      long treeLeaves,
      long buildMs,
      double inclusionProveUs,
      double inclusionVerifyUs,
      double consistencyProveUs,
      double consistencyVerifyUs,
      int pathLengthMax) {}

  public record Result(List<AppendResult> appends, List<ProofResult> proofs) {}

  /** Runs everything in order, reporting progress lines to {@code progress}. */
  public static Result run(Settings settings, Consumer<String> progress) throws Exception {
    List<AppendResult> appends = new ArrayList<>();
    List<ProofResult> proofs = new ArrayList<>();
    // Warm-up, not recorded: lets the JIT compile the append path before the first measured run.
    for (AlgorithmSuite suite : settings.suites()) {
      appendRun(settings, suite, "sqlite", settings.batchLeaves(), WARM_UP_MS, line -> progress.accept("(warm-up) " + line.strip()));
    }
    for (AlgorithmSuite suite : settings.suites()) {
      appends.add(appendRun(settings, suite, "sqlite", settings.batchLeaves(), settings.appendMs(), progress));
      appends.add(appendRun(settings, suite, "sqlite", 1, settings.referenceMs(), progress));
      if (settings.postgresUrl() != null) {
        appends.add(appendRun(settings, suite, "postgresql", settings.batchLeaves(), settings.appendMs(), progress));
        appends.add(appendRun(settings, suite, "postgresql", 1, settings.referenceMs(), progress));
      }
    }
    for (AlgorithmSuite suite : settings.suites()) {
      proofs.add(proofRun(settings, suite, progress));
    }
    return new Result(appends, proofs);
  }

  private static AppendResult appendRun(
      Settings settings, AlgorithmSuite suite, String store, int batchLeaves, long durationMs, Consumer<String> progress) throws Exception {
    progress.accept("appends: " + suite + " on " + store + ", " + batchLeaves + " leaves per transaction, " + durationMs + " ms");
    try (Scratch scratch = Scratch.create(settings, store);
        Database database = Database.open(scratch.url(), 4)) {
      // The production default interval (500 ms): what keeps every gap between checkpoints under a second.
      AuditLogConfig config = AuditLogConfig.of(suite, suite.signature().generateKeyPair(new SecureRandom()));
      List<byte[]> batch = new ArrayList<>(batchLeaves);
      long leaves;
      long elapsedMs;
      try (AuditLog log = AuditLog.open(database, config);
          Connection connection = database.connection()) {
        connection.setAutoCommit(false);
        long startNs = System.nanoTime();
        long endNs = startNs + durationMs * 1_000_000;
        long next = 0;
        while (System.nanoTime() < endNs) {
          batch.clear();
          for (int i = 0; i < batchLeaves; i++) {
            batch.add(transferRecord(next++));
          }
          log.append(connection, batch);
          connection.commit();
          log.committed();
        }
        elapsedMs = Math.max(1, (System.nanoTime() - startNs) / 1_000_000);
        leaves = next;
        connection.setAutoCommit(true);
      }
      List<Checkpoint> checkpoints;
      try (AuditLog reopened = AuditLog.open(database, config)) {
        checkpoints = reopened.checkpoints();
      }
      AppendResult result = new AppendResult(suite, store, batchLeaves, leaves, elapsedMs, checkpoints.size(), gapMsMax(checkpoints));
      progress.accept(String.format("  %,.0f appends/s, %d checkpoints, longest gap %d ms", result.appendsPerSecond(), checkpoints.size(),
          result.checkpointGapMsMax()));
      return result;
    }
  }

  /** Stand-in for a ledger transfer's canonical bytes: about 100 bytes, different for every leaf. */
  static byte[] transferRecord(long index) {
    String text = "transfer id=" + (0x5EED_0000_0000L + index) + " debit=acct-" + (index * 7919 % 10_000) + " credit=acct-"
        + (index * 104_729 % 10_000) + " amountMinor=" + (index % 100_000 + 1) + " currency=CNY ts=" + (1_790_000_000_000L + index);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static long gapMsMax(List<Checkpoint> checkpoints) {
    long max = 0;
    for (int i = 1; i < checkpoints.size(); i++) {
      max = Math.max(max, checkpoints.get(i).timestampMs() - checkpoints.get(i - 1).timestampMs());
    }
    return max;
  }

  private static ProofResult proofRun(Settings settings, AlgorithmSuite suite, Consumer<String> progress) {
    int n = settings.proofTreeLeaves();
    progress.accept("proofs: " + suite + ", building a tree of " + n + " leaves");
    long buildStartNs = System.nanoTime();
    MerkleTree tree = new MerkleTree(suite, n);
    for (long i = 0; i < n; i++) {
      tree.appendEntry(transferRecord(i));
    }
    long buildMs = (System.nanoTime() - buildStartNs) / 1_000_000;
    SplittableRandom random = new SplittableRandom(20261122L);
    int samples = settings.proofSamples();
    long[] inclusionProve = new long[samples];
    long[] inclusionVerify = new long[samples];
    long[] consistencyProve = new long[samples];
    long[] consistencyVerify = new long[samples];
    int pathLengthMax = 0;
    progress.accept("proofs: " + suite + ", timing " + samples + " inclusion and " + samples + " consistency proofs");
    for (int s = 0; s < samples; s++) {
      long size = 1 + random.nextLong(n);
      long index = random.nextLong(size);
      byte[] root = tree.root(size);
      byte[] leafHash = tree.leafHash(index);
      long t0 = System.nanoTime();
      List<byte[]> path = tree.inclusionProof(index, size);
      long t1 = System.nanoTime();
      boolean included = MerkleProofs.verifyInclusion(suite, index, size, leafHash, path, root);
      long t2 = System.nanoTime();
      Assert.that(included, "inclusion proof failed [index={}, size={}]", index, size);
      inclusionProve[s] = t1 - t0;
      inclusionVerify[s] = t2 - t1;
      pathLengthMax = Math.max(pathLengthMax, path.size());

      long first = 1 + random.nextLong(size);
      byte[] firstRoot = tree.root(first);
      long t3 = System.nanoTime();
      List<byte[]> proof = tree.consistencyProof(first, size);
      long t4 = System.nanoTime();
      boolean consistent = MerkleProofs.verifyConsistency(suite, first, size, firstRoot, root, proof);
      long t5 = System.nanoTime();
      Assert.that(consistent, "consistency proof failed [first={}, second={}]", first, size);
      consistencyProve[s] = t4 - t3;
      consistencyVerify[s] = t5 - t4;
    }
    return new ProofResult(
        suite, n, buildMs, medianUs(inclusionProve), medianUs(inclusionVerify), medianUs(consistencyProve), medianUs(consistencyVerify),
        pathLengthMax);
  }

  private static double medianUs(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    double medianNs = sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    return medianNs / 1000.0;
  }

  /** A throw-away store: a SQLite file, or a fresh PostgreSQL schema dropped afterwards. */
  private record Scratch(String url, Path file, String baseUrl, String schema) implements AutoCloseable {
    static Scratch create(Settings settings, String store) throws Exception {
      if (store.equals("sqlite")) {
        Files.createDirectories(settings.workDirectory());
        Path file = settings.workDirectory().resolve("bench-audit-" + UUID.randomUUID() + ".db");
        return new Scratch("jdbc:sqlite:" + file, file, null, null);
      }
      String base = settings.postgresUrl();
      String schema = "bench_audit_" + UUID.randomUUID().toString().replace("-", "");
      try (Connection connection = DriverManager.getConnection(base);
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE SCHEMA " + schema);
      }
      return new Scratch(base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema, null, base, schema);
    }

    @Override
    public void close() throws IOException, SQLException {
      if (file != null) {
        for (String suffix : List.of("", "-wal", "-shm")) {
          Files.deleteIfExists(Path.of(file + suffix));
        }
        return;
      }
      try (Connection connection = DriverManager.getConnection(baseUrl);
          Statement statement = connection.createStatement()) {
        statement.execute("DROP SCHEMA " + schema + " CASCADE");
      } catch (SQLException e) {
        throw new SQLException("could not drop the benchmark schema " + schema, e);
      }
    }
  }
}

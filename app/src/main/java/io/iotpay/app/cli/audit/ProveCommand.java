package io.iotpay.app.cli.audit;

import io.iotpay.app.cli.AuditCommand;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.audit.AuditInputException;
import io.iotpay.ledger.audit.AuditIntegrityException;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.ConsistencyProof;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.ledger.audit.InclusionProof;
import io.iotpay.ledger.audit.MerkleTree;
import io.iotpay.foundation.store.Database;
import java.io.IOException;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code iotpay audit prove}: the inclusion proof of one entry, or the consistency proof from an
 * earlier tree size, as JSON; against the latest signed checkpoint unless {@code --against} names
 * another tree size.
 */
@Command(
    name = "prove",
    mixinStandardHelpOptions = true,
    description = {
      "Print the inclusion proof of entry N as JSON (suite, leaf index, tree size, leaf hash, path, root,",
      "entry, and the signed checkpoint at that size when there is one), or with --since SIZE the",
      "consistency proof that the tree at --against extends the tree at SIZE."
    })
public final class ProveCommand extends AuditSubcommand {
  @Option(names = "--db", paramLabel = "JDBC-URL-or-SQLite-path", description = "the database (default: ${DEFAULT-VALUE})")
  String database = AuditCommand.DEFAULT_DATABASE;

  @ArgGroup(exclusive = true, multiplicity = "1")
  What what;

  /** Exactly one: an inclusion proof of an entry, or a consistency proof from an earlier size. */
  static final class What {
    @Option(names = "--entry", paramLabel = "N", description = "inclusion proof of the leaf with this index (from 0)")
    Long entry;

    @Option(names = "--since", paramLabel = "SIZE", description = "consistency proof: the tree at --against extends the tree at SIZE")
    Long since;
  }

  @Option(names = "--against", paramLabel = "SIZE", description = "tree size to prove against (default: the latest checkpoint's)")
  Long against;

  @Override
  int execute() throws IOException, SQLException {
    try (Database db = AuditCli.openExisting(database)) {
      DatabaseAuditSource source = DatabaseAuditSource.of(db);
      AlgorithmSuite suite = source.suite();
      List<Checkpoint> checkpoints = source.checkpoints();
      MerkleTree tree;
      try {
        tree = AuditVerifier.loadTree(source);
      } catch (AuditIntegrityException e) {
        err().println("audit prove: the stored log does not verify: " + e.failure().describe());
        return AuditCommand.EXIT_NOT_VERIFIED;
      }
      long treeSize = against != null ? against : checkpoints.isEmpty() ? tree.size() : checkpoints.getLast().treeSize();
      if (treeSize > tree.size()) {
        throw new AuditInputException("tree size " + treeSize + " is beyond the " + tree.size() + " leaves stored");
      }
      Checkpoint checkpoint = checkpointAt(checkpoints, treeSize);
      byte[] root = tree.root(treeSize);
      if (!matches(tree, checkpoint) || !matches(tree, what.since == null ? null : checkpointAt(checkpoints, what.since))) {
        return AuditCommand.EXIT_NOT_VERIFIED;
      }
      if (what.since != null) {
        return proveConsistency(suite, tree, what.since, treeSize, checkpointAt(checkpoints, what.since), checkpoint);
      }
      long entry = what.entry;
      List<byte[]> path = tree.inclusionProof(entry, treeSize);
      InclusionProof proof =
          new InclusionProof(suite, entry, treeSize, tree.leafHash(entry), path, root, entryBytes(source, entry), checkpoint);
      out().println(AuditCli.json(proof.toJson(AuditCli.JSON)));
      if (checkpoint == null) {
        err().println("audit prove: no checkpoint was signed at tree size " + treeSize + "; the root is unsigned");
      }
      return 0;
    }
  }

  private int proveConsistency(
      AlgorithmSuite suite, MerkleTree tree, long firstSize, long secondSize, Checkpoint firstCheckpoint, Checkpoint secondCheckpoint) {
    if (firstSize > secondSize) {
      throw new AuditInputException("--since " + firstSize + " is beyond the tree size " + secondSize + " proved against");
    }
    List<byte[]> proof = tree.consistencyProof(firstSize, secondSize);
    ConsistencyProof consistency =
        new ConsistencyProof(suite, firstSize, secondSize, tree.root(firstSize), tree.root(secondSize), proof, firstCheckpoint, secondCheckpoint);
    out().println(AuditCli.json(consistency.toJson(AuditCli.JSON)));
    return 0;
  }

  /** True unless a checkpoint is given and the stored leaves do not give its root (said on stderr). */
  private boolean matches(MerkleTree tree, Checkpoint checkpoint) {
    if (checkpoint == null || MessageDigest.isEqual(tree.root(checkpoint.treeSize()), checkpoint.rootHash())) {
      return true;
    }
    err().println("audit prove: the stored leaves do not match checkpoint " + checkpoint.number() + "'s root");
    return false;
  }

  private static Checkpoint checkpointAt(List<Checkpoint> checkpoints, long treeSize) {
    Checkpoint found = null;
    for (Checkpoint checkpoint : checkpoints) {
      if (checkpoint.treeSize() == treeSize) {
        found = checkpoint;
      }
    }
    return found;
  }

  private static byte[] entryBytes(DatabaseAuditSource source, long leafIndex) throws SQLException {
    AtomicReference<byte[]> found = new AtomicReference<>();
    source.forEachLeaf(
        (index, entry, chainHash) -> {
          if (index == leafIndex) {
            found.set(entry);
          }
          return index < leafIndex;
        });
    return found.get();
  }
}

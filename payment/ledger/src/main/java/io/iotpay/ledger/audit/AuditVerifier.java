package io.iotpay.ledger.audit;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SignatureAlgorithm;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Verifies a whole audit log from its leaves and checkpoints, needing nothing but the log and the
 * trusted public keys: recomputes the tree leaf by leaf (O(log n) memory), and at each checkpoint's
 * size checks its number, suite, key, signature and that its root equals the recomputed head.
 * Stops at the first entry that does not hold and names it.
 */
public final class AuditVerifier {
  private final AlgorithmSuite suite;
  private final Map<String, PublicKey> trustedKeys;
  private final LeafCheck leafCheck;
  private final List<TrustedHead> trustedHeads;
  private final Map<String, SignatureAlgorithm.Verifier> verifiers = new HashMap<>();

  private AuditVerifier(AlgorithmSuite suite, Map<String, PublicKey> trustedKeys, LeafCheck leafCheck, List<TrustedHead> trustedHeads) {
    this.suite = suite;
    this.trustedKeys = trustedKeys;
    this.leafCheck = leafCheck;
    this.trustedHeads = trustedHeads;
  }

  /**
   * Verifies {@code source}.
   *
   * @param trustedKeys the keys checkpoints may be signed with, by {@link Checkpoint#keyIdOf key id};
   *     a checkpoint signed by any other key fails
   * @param leafCheck an extra per-leaf check ({@link LeafCheck#none()} for none)
   * @return the report; its failure names the first bad leaf or checkpoint
   * @throws IOException or SQLException when the source cannot be read (not a verification failure)
   */
  public static VerificationReport verify(AuditSource source, Map<String, PublicKey> trustedKeys, LeafCheck leafCheck)
      throws IOException, SQLException {
    return verify(source, trustedKeys, leafCheck, List.of());
  }

  /**
   * Verifies {@code source} and also checks it against tree heads held outside it (a witness's
   * cosigned checkpoints): at each head's size the recomputed head must equal it, and the log must
   * reach the largest size. A head the log does not reach is reported as a truncation, a head that
   * differs as a fork; both before the log's own checkpoints are blamed, since the outside head is
   * the stronger evidence.
   *
   * @param trustedHeads heads to hold the log to, any order; checked in size order
   */
  public static VerificationReport verify(
      AuditSource source, Map<String, PublicKey> trustedKeys, LeafCheck leafCheck, List<TrustedHead> trustedHeads)
      throws IOException, SQLException {
    AlgorithmSuite suite = source.suite();
    List<TrustedHead> heads = trustedHeads.stream().sorted(java.util.Comparator.comparingLong(TrustedHead::treeSize)).toList();
    return new AuditVerifier(suite, Map.copyOf(trustedKeys), leafCheck, heads).run(source);
  }

  /** The keys a log itself lists, as trusted keys: for checking a log against its own claims. */
  public static Map<String, PublicKey> keysOf(AuditSource source) throws IOException, SQLException {
    AlgorithmSuite suite = source.suite();
    Map<String, PublicKey> keys = new HashMap<>();
    for (byte[] der : source.publicKeysDer().values()) {
      keys.put(Checkpoint.keyIdOf(suite, der), suite.signature().publicKeyFromDer(der));
    }
    return keys;
  }

  /**
   * Loads every leaf of {@code source} into an in-memory tree (for proofs), checking that no index
   * is missing or repeated and that the row chain holds.
   *
   * @throws AuditIntegrityException naming the first leaf that does not hold
   */
  public static MerkleTree loadTree(AuditSource source) throws IOException, SQLException {
    AlgorithmSuite suite = source.suite();
    MerkleTree tree = new MerkleTree(suite, MerkleTree.LEAVES_MAX_LIMIT);
    LeafWalk walk = new LeafWalk(TreeHasher.of(suite));
    VerificationReport.Failure[] failure = {null};
    source.forEachLeaf(
        (leafIndex, entry, chainHash) -> {
          failure[0] = walk.nextIndex() < MerkleTree.LEAVES_MAX_LIMIT
              ? walk.accept(leafIndex, entry, chainHash)
              : VerificationReport.Failure.leaf(leafIndex, "beyond " + MerkleTree.LEAVES_MAX_LIMIT + " leaves");
          if (failure[0] == null) {
            tree.appendLeafHash(walk.lastLeafHash());
          }
          return failure[0] == null;
        });
    if (failure[0] != null) {
      throw new AuditIntegrityException(failure[0]);
    }
    return tree;
  }

  private VerificationReport run(AuditSource source) throws IOException, SQLException {
    Walk walk = new Walk(source.checkpoints());
    VerificationReport.Failure failure = walk.advanceHeads();
    if (failure == null) {
      failure = walk.advanceCheckpoints();
    }
    if (failure == null) {
      source.forEachLeaf(walk::visit);
      failure = walk.failure;
    }
    if (failure == null) {
      failure = walk.finish(source.declaredLeafCount());
    }
    return new VerificationReport(
        suite, walk.frontier.size(), walk.checkpointsChecked, walk.signedTreeSize, walk.nextHead, failure);
  }

  /** State of one pass over the leaves. */
  private final class Walk {
    private final List<Checkpoint> checkpoints;
    private final LeafWalk leaves = new LeafWalk(TreeHasher.of(suite));
    private final TreeFrontier frontier = new TreeFrontier(suite);
    private int nextCheckpoint;
    private int nextHead;
    private long checkpointsChecked;
    private long signedTreeSize;
    private VerificationReport.Failure failure;

    Walk(List<Checkpoint> checkpoints) {
      this.checkpoints = checkpoints;
    }

    boolean visit(long leafIndex, byte[] entry, byte[] chainHash) {
      failure = leaves.accept(leafIndex, entry, chainHash);
      if (failure == null) {
        failure = leafCheck.problem(leafIndex, entry).map(reason -> VerificationReport.Failure.leaf(leafIndex, reason)).orElse(null);
      }
      if (failure == null) {
        frontier.appendLeafHash(leaves.lastLeafHash());
        failure = advanceHeads();
      }
      if (failure == null) {
        failure = advanceCheckpoints();
      }
      return failure == null;
    }

    /** Checks every trusted head whose size the recomputed tree has reached. */
    VerificationReport.Failure advanceHeads() {
      while (nextHead < trustedHeads.size() && trustedHeads.get(nextHead).treeSize() <= frontier.size()) {
        TrustedHead head = trustedHeads.get(nextHead);
        byte[] recomputed = frontier.root();
        if (!MessageDigest.isEqual(recomputed, head.rootHash())) {
          return VerificationReport.Failure.witness(head.treeSize(),
              "fork: " + head.source() + " holds root " + Hex.encode(head.rootHash()) + " at tree size " + head.treeSize()
                  + " but the log's leaves give " + Hex.encode(recomputed)
                  + " (history before that size was rewritten after the witness saw it)");
        }
        nextHead++;
      }
      return null;
    }

    /** Checks every checkpoint whose size the recomputed tree has reached. */
    VerificationReport.Failure advanceCheckpoints() {
      while (nextCheckpoint < checkpoints.size() && checkpoints.get(nextCheckpoint).treeSize() <= frontier.size()) {
        Checkpoint checkpoint = checkpoints.get(nextCheckpoint);
        VerificationReport.Failure problem = check(checkpoint, nextCheckpoint + 1);
        if (problem != null) {
          return problem;
        }
        nextCheckpoint++;
        checkpointsChecked++;
        signedTreeSize = checkpoint.treeSize();
      }
      return null;
    }

    private VerificationReport.Failure check(Checkpoint checkpoint, long expectedNumber) {
      if (checkpoint.number() != expectedNumber) {
        return VerificationReport.Failure.checkpoint(
            expectedNumber, "missing (the next stored checkpoint is number " + checkpoint.number() + ")");
      }
      if (checkpoint.treeSize() < frontier.size()) {
        return VerificationReport.Failure.checkpoint(
            checkpoint.number(), "tree size " + checkpoint.treeSize() + " is smaller than an earlier checkpoint's");
      }
      return checkSigned(checkpoint);
    }

    private VerificationReport.Failure checkSigned(Checkpoint checkpoint) {
      if (checkpoint.suite() != suite) {
        return VerificationReport.Failure.checkpoint(checkpoint.number(), "suite " + checkpoint.suite() + " but the log's is " + suite);
      }
      PublicKey key = trustedKeys.get(checkpoint.keyId());
      if (key == null) {
        return VerificationReport.Failure.checkpoint(checkpoint.number(), "signed by key " + checkpoint.keyId() + ", which is not trusted");
      }
      SignatureAlgorithm.Verifier verifier = verifiers.computeIfAbsent(checkpoint.keyId(), id -> suite.signature().newVerifier(key));
      if (!verifier.verify(checkpoint.signedBytes(), checkpoint.signature())) {
        return VerificationReport.Failure.checkpoint(checkpoint.number(), "signature does not verify under key " + checkpoint.keyId());
      }
      byte[] recomputed = frontier.root();
      if (!MessageDigest.isEqual(recomputed, checkpoint.rootHash())) {
        long from = signedTreeSize;
        return VerificationReport.Failure.checkpoint(
            checkpoint.number(),
            "signed root " + Hex.encode(checkpoint.rootHash()) + " at tree size " + checkpoint.treeSize()
                + " but the leaves give " + Hex.encode(recomputed) + " (a leaf in " + from + ".." + (checkpoint.treeSize() - 1)
                + " was changed, removed, added or moved)");
      }
      return null;
    }

    VerificationReport.Failure finish(OptionalLong declaredLeafCount) {
      if (nextHead < trustedHeads.size()) {
        TrustedHead largest = trustedHeads.get(trustedHeads.size() - 1);
        return VerificationReport.Failure.witness(largest.treeSize(),
            "truncation: " + largest.source() + " holds a checkpoint of tree size " + largest.treeSize()
                + " but the log holds only " + frontier.size() + " leaves (the newest "
                + (largest.treeSize() - frontier.size()) + " or more were removed)");
      }
      if (nextCheckpoint < checkpoints.size()) {
        Checkpoint checkpoint = checkpoints.get(nextCheckpoint);
        return VerificationReport.Failure.checkpoint(
            checkpoint.number(), "covers " + checkpoint.treeSize() + " leaves but the log holds only " + frontier.size());
      }
      if (declaredLeafCount.isPresent() && declaredLeafCount.getAsLong() != frontier.size()) {
        return VerificationReport.Failure.log(
            "declares " + declaredLeafCount.getAsLong() + " leaves but holds " + frontier.size());
      }
      return leafCheck.afterLastLeaf().map(VerificationReport.Failure::log).orElse(null);
    }
  }
}

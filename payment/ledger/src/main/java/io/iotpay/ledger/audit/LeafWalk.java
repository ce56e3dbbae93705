package io.iotpay.ledger.audit;

import java.security.MessageDigest;

/**
 * Checks stored leaves one by one in index order: no index missing or repeated, and each stored
 * row-chain value follows from the leaves before it. Shared by start-up rebuild and the verifier.
 */
final class LeafWalk {
  private final TreeHasher hasher;
  private long nextIndex;
  private byte[] chain = TreeHasher.chainStart();
  private byte[] lastLeafHash;

  LeafWalk(TreeHasher hasher) {
    this.hasher = hasher;
  }

  /** Index the next leaf must have; equals the number of leaves accepted. */
  long nextIndex() {
    return nextIndex;
  }

  byte[] chain() {
    return chain;
  }

  /** Leaf hash of the last accepted leaf. */
  byte[] lastLeafHash() {
    return lastLeafHash;
  }

  /** Accepts the leaf or returns why not (naming the first leaf that does not hold). */
  VerificationReport.Failure accept(long leafIndex, byte[] entry, byte[] storedChain) {
    if (leafIndex > nextIndex) {
      return VerificationReport.Failure.leaf(nextIndex, "missing (the next stored leaf is " + leafIndex + ")");
    }
    if (leafIndex < nextIndex) {
      return VerificationReport.Failure.leaf(leafIndex, "stored again or out of order (after leaf " + (nextIndex - 1) + ")");
    }
    byte[] leafHash = hasher.leafHash(entry);
    byte[] nextChain = hasher.chainHash(chain, leafHash);
    if (storedChain != null && !MessageDigest.isEqual(nextChain, storedChain)) {
      return VerificationReport.Failure.leaf(
          leafIndex, "entry bytes changed or moved: its row chain hash does not follow from the leaves before it");
    }
    lastLeafHash = leafHash;
    chain = nextChain;
    nextIndex++;
    return null;
  }
}

package io.iotpay.ledger.audit;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The verification algorithms of RFC 9162 for inclusion proofs (§2.1.3.2) and consistency proofs
 * (§2.1.4.2). Needs nothing but the hashes: usable by anyone holding a proof and a trusted tree
 * head, without a database.
 *
 * <p>Every method answers yes or no and never throws for a malformed proof (wrong hash length,
 * too many or too few elements, sizes out of order); arguments must not be null.
 */
public final class MerkleProofs {
  private MerkleProofs() {}

  /**
   * True when {@code path} proves that the leaf with hash {@code leafHash} sits at {@code leafIndex}
   * in the tree of {@code treeSize} leaves whose head is {@code root}.
   */
  public static boolean verifyInclusion(
      AlgorithmSuite suite, long leafIndex, long treeSize, byte[] leafHash, List<byte[]> path, byte[] root) {
    if (leafIndex < 0 || leafIndex >= treeSize || !allHashes(path) || !isHash(leafHash) || !isHash(root)) {
      return false;
    }
    TreeHasher hasher = TreeHasher.of(suite);
    long fn = leafIndex;
    long sn = treeSize - 1;
    byte[] r = leafHash;
    for (byte[] p : path) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = hasher.nodeHash(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = hasher.nodeHash(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(r, root);
  }

  /**
   * True when {@code proof} shows that the tree of {@code secondSize} leaves with head
   * {@code secondRoot} extends the tree of {@code firstSize} leaves with head {@code firstRoot}.
   *
   * <p>Beyond the RFC's algorithm, which is defined for {@code 0 < first < second}: equal sizes are
   * consistent when the proof is empty and the heads are equal; every tree extends the empty tree
   * (size 0) with an empty proof.
   */
  public static boolean verifyConsistency(
      AlgorithmSuite suite, long firstSize, long secondSize, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) {
    if (firstSize < 0 || firstSize > secondSize || !allHashes(proof)) {
      return false;
    }
    if (firstSize == 0) {
      return proof.isEmpty();
    }
    if (!isHash(firstRoot) || !isHash(secondRoot)) {
      return false;
    }
    if (firstSize == secondSize) {
      return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
    }
    if (proof.isEmpty()) {
      return false;
    }
    List<byte[]> path = new ArrayList<>(proof.size() + 1);
    if (Long.bitCount(firstSize) == 1) {
      path.add(firstRoot);
    }
    path.addAll(proof);
    return walkConsistency(TreeHasher.of(suite), firstSize, secondSize, firstRoot, secondRoot, path);
  }

  /** Steps 3 to 7 of RFC 9162 §2.1.4.2. */
  private static boolean walkConsistency(
      TreeHasher hasher, long firstSize, long secondSize, byte[] firstRoot, byte[] secondRoot, List<byte[]> path) {
    long fn = firstSize - 1;
    long sn = secondSize - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = hasher.nodeHash(c, fr);
        sr = hasher.nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = hasher.nodeHash(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    // Both comparisons run (no short-circuit) so timing does not say which head failed.
    boolean firstMatches = MessageDigest.isEqual(fr, firstRoot);
    boolean secondMatches = MessageDigest.isEqual(sr, secondRoot);
    return firstMatches & secondMatches & sn == 0;
  }

  private static boolean isHash(byte[] hash) {
    return hash != null && hash.length == TreeHasher.HASH_BYTES;
  }

  private static boolean allHashes(List<byte[]> hashes) {
    for (byte[] hash : hashes) {
      if (!isHash(hash)) {
        return false;
      }
    }
    return true;
  }
}

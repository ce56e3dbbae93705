package io.iotpay.ledger.audit;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of a growing RFC 9162 tree: the hashes of its complete subtrees, at most one per
 * bit of the size (≤ 64). Enough to give the tree head after every append in O(log n) memory, which
 * is all a verifier walking a log from the start needs. Not thread-safe.
 */
public final class TreeFrontier {
  private final TreeHasher hasher;
  /** Complete subtree hashes, largest (leftmost) first. */
  private final List<byte[]> hashes = new ArrayList<>();
  /** Leaves under each entry of {@link #hashes}: decreasing powers of two. */
  private final List<Long> leafCounts = new ArrayList<>();
  private long size;

  public TreeFrontier(AlgorithmSuite suite) {
    this.hasher = TreeHasher.of(suite);
  }

  public long size() {
    return size;
  }

  /** The leaf hash {@code H(0x00 || entry)} under this frontier's suite. */
  public byte[] leafHash(byte[] entry) {
    return hasher.leafHash(entry);
  }

  /** Appends an entry; returns its leaf hash. */
  public byte[] appendEntry(byte[] entry) {
    byte[] leafHash = hasher.leafHash(entry);
    appendLeafHash(leafHash);
    return leafHash;
  }

  /** Appends a leaf by its leaf hash. */
  public void appendLeafHash(byte[] leafHash) {
    byte[] carry = leafHash;
    long carryCount = 1;
    while (!leafCounts.isEmpty() && leafCounts.get(leafCounts.size() - 1) == carryCount) {
      int last = hashes.size() - 1;
      carry = hasher.nodeHash(hashes.remove(last), carry);
      leafCounts.remove(last);
      carryCount *= 2;
    }
    hashes.add(carry);
    leafCounts.add(carryCount);
    size++;
  }

  /** The tree head of the leaves appended so far ({@code H()} when none). */
  public byte[] root() {
    if (hashes.isEmpty()) {
      return hasher.emptyRoot();
    }
    byte[] accumulator = hashes.get(hashes.size() - 1);
    for (int i = hashes.size() - 2; i >= 0; i--) {
      accumulator = hasher.nodeHash(hashes.get(i), accumulator);
    }
    return accumulator;
  }
}

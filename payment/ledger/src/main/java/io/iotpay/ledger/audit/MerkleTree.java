package io.iotpay.ledger.audit;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An append-only RFC 9162 §2.1 Merkle tree kept in memory, with the tree head of any size, inclusion
 * proofs (§2.1.3.1) and consistency proofs (§2.1.4.1).
 *
 * <p><b>Storage and cost.</b> Every complete (perfect, aligned) subtree's hash is stored once: level
 * 0 holds the leaf hashes, level {@code k} the hashes of aligned blocks of {@code 2^k} leaves. That is
 * fewer than {@code 2n} hashes, i.e. at most 64 bytes per leaf (1 M leaves ≈ 64 MiB). Appending a
 * leaf costs one hash for every level it completes: amortised one node hash per leaf. A tree head or a
 * proof combines at most {@code 2·log2(n)} stored hashes, so costs O(log n) hashes. The number of
 * leaves is bounded by {@code leavesMax} (given at construction) because the memory is.
 *
 * <p>Thread-safe: all methods synchronise on the tree; appends and proofs are short.
 */
public final class MerkleTree {
  /** The largest bound a tree accepts: 2^30 leaves would already need 64 GiB. */
  public static final long LEAVES_MAX_LIMIT = 1L << 30;

  private final TreeHasher hasher;
  private final long leavesMax;
  private final List<HashArray> levels = new ArrayList<>();
  private final byte[] scratch = new byte[TreeHasher.HASH_BYTES];
  private long size;

  /**
   * An empty tree.
   *
   * @param suite whose hash the tree uses; not null
   * @param leavesMax the most leaves this tree will hold (1 … {@link #LEAVES_MAX_LIMIT})
   */
  public MerkleTree(AlgorithmSuite suite, long leavesMax) {
    Assert.that(leavesMax > 0 && leavesMax <= LEAVES_MAX_LIMIT, "leavesMax {} outside 1..{}", leavesMax, LEAVES_MAX_LIMIT);
    this.hasher = TreeHasher.of(suite);
    this.leavesMax = leavesMax;
    levels.add(newLevel(0));
  }

  /** Level {@code k} holds at most n/2^k nodes: its chunks shrink with it, down to 16 hashes. */
  private static HashArray newLevel(int level) {
    return new HashArray(Math.max(4, HashArray.CHUNK_HASHES_SHIFT_MAX - level));
  }

  public AlgorithmSuite suite() {
    return hasher.suite();
  }

  public long leavesMax() {
    return leavesMax;
  }

  /** Number of leaves. */
  public synchronized long size() {
    return size;
  }

  /** Appends one entry (hashing it as a leaf); returns its leaf index. */
  public synchronized long appendEntry(byte[] entry) {
    return appendLeafHash(hasher.leafHash(entry));
  }

  /**
   * Appends a leaf by its leaf hash {@code H(0x00 || entry)}; returns its leaf index.
   *
   * @throws AssertionError if the tree is full ({@code leavesMax}) or the hash is not 32 bytes:
   *     callers check both first
   */
  public synchronized long appendLeafHash(byte[] leafHash) {
    Assert.that(leafHash.length == TreeHasher.HASH_BYTES, "leaf hash of {} bytes", leafHash.length);
    Assert.that(size < leavesMax, "Merkle tree full [leavesMax={}]", leavesMax);
    long index = size;
    levels.get(0).add(leafHash, 0);
    size++;
    // Each trailing 1-bit of the new index completes one more aligned block.
    int level = 0;
    while ((index & 1) == 1) {
      HashArray lower = levels.get(level);
      if (levels.size() == level + 1) {
        levels.add(newLevel(level + 1));
      }
      hasher.nodeHashInto(lower.chunkOf(index - 1), lower.offsetOf(index - 1), lower.chunkOf(index), lower.offsetOf(index), scratch, 0);
      levels.get(level + 1).add(scratch, 0);
      index >>>= 1;
      level++;
    }
    return size - 1;
  }

  /**
   * Appends leaves by their leaf hashes as one step: no reader sees the tree part-way through them.
   *
   * @return the leaf index of the first
   */
  public synchronized long appendLeafHashes(List<byte[]> leafHashes) {
    long first = size;
    for (byte[] leafHash : leafHashes) {
      appendLeafHash(leafHash);
    }
    return first;
  }

  /** The leaf hash at {@code leafIndex}. */
  public synchronized byte[] leafHash(long leafIndex) {
    checkRange("leaf index", leafIndex, 0, size - 1);
    return levels.get(0).get(leafIndex);
  }

  /** {@code MTH(D[0:treeSize])}, the tree head at an earlier or the current size. */
  public synchronized byte[] root(long treeSize) {
    checkRange("tree size", treeSize, 0, size);
    return treeSize == 0 ? hasher.emptyRoot() : rangeHash(0, treeSize);
  }

  /** The current tree head. */
  public synchronized byte[] root() {
    return root(size);
  }

  /**
   * {@code PATH(m, D[0:n])} of RFC 9162 §2.1.3.1, ordered from the leaf's sibling up to the root's
   * child.
   *
   * @throws AuditInputException unless {@code 0 <= leafIndex < treeSize <= size()}
   */
  public synchronized List<byte[]> inclusionProof(long leafIndex, long treeSize) {
    checkRange("tree size", treeSize, 1, size);
    checkRange("leaf index", leafIndex, 0, treeSize - 1);
    List<byte[]> siblings = new ArrayList<>();
    long low = 0;
    long high = treeSize;
    while (high - low > 1) {
      long split = largestPowerOfTwoBelow(high - low);
      if (leafIndex < low + split) {
        siblings.add(rangeHash(low + split, high));
        high = low + split;
      } else {
        siblings.add(rangeHash(low, low + split));
        low += split;
      }
    }
    Collections.reverse(siblings);
    return siblings;
  }

  /**
   * {@code PROOF(m, D[0:n])} of RFC 9162 §2.1.4.1 (empty when the sizes are equal).
   *
   * @throws AuditInputException unless {@code 1 <= firstSize <= secondSize <= size()}
   */
  public synchronized List<byte[]> consistencyProof(long firstSize, long secondSize) {
    checkRange("second tree size", secondSize, 1, size);
    checkRange("first tree size", firstSize, 1, secondSize);
    List<byte[]> outer = new ArrayList<>();
    long low = 0;
    long high = secondSize;
    boolean firstIsWholeSubtree = true;
    while (firstSize < high) {
      long split = largestPowerOfTwoBelow(high - low);
      if (firstSize - low <= split) {
        outer.add(rangeHash(low + split, high));
        high = low + split;
      } else {
        outer.add(rangeHash(low, low + split));
        low += split;
        firstIsWholeSubtree = false;
      }
    }
    List<byte[]> proof = new ArrayList<>(outer.size() + 1);
    if (!firstIsWholeSubtree) {
      proof.add(rangeHash(low, high));
    }
    Collections.reverse(outer);
    proof.addAll(outer);
    return proof;
  }

  /**
   * {@code MTH(D[low:high])} for the ranges RFC 9162's recursion produces: {@code low} is aligned to
   * a power of two at least as large as the biggest power of two in {@code high - low}. Such a range
   * splits greedily into stored complete subtrees, which are then folded from the right.
   */
  private byte[] rangeHash(long low, long high) {
    long length = high - low;
    Assert.that(low == 0 || Long.lowestOneBit(low) >= Long.highestOneBit(length), "unaligned range [{}, {})", low, high);
    List<byte[]> pieces = new ArrayList<>();
    long at = low;
    while (at < high) {
      long block = Long.highestOneBit(high - at);
      pieces.add(levels.get(Long.numberOfTrailingZeros(block)).get(at / block));
      at += block;
    }
    byte[] accumulator = pieces.get(pieces.size() - 1);
    for (int i = pieces.size() - 2; i >= 0; i--) {
      accumulator = hasher.nodeHash(pieces.get(i), accumulator);
    }
    return accumulator;
  }

  /** The largest power of two strictly smaller than {@code n} (n ≥ 2). */
  static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }

  private static void checkRange(String what, long value, long min, long max) {
    if (value < min || value > max) {
      throw new AuditInputException(what + " " + value + " outside " + min + ".." + max);
    }
  }
}

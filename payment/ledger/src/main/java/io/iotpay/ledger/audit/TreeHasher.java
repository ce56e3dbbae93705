package io.iotpay.ledger.audit;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.DigestAlgorithm;
import org.bouncycastle.crypto.Digest;

/**
 * The hashes of an RFC 9162 §2.1 Merkle tree under one suite's hash (SHA-256 or SM3): leaf hash
 * {@code H(0x00 || d)}, interior node {@code H(0x01 || left || right)}, empty tree {@code H()}.
 *
 * <p>Keeps one digest engine, so an instance is <b>not thread-safe</b>; make one per thread (they
 * are cheap).
 */
public final class TreeHasher {
  /** Length of every hash in bytes (SHA-256 and SM3 alike). */
  public static final int HASH_BYTES = 32;

  private static final byte[] LEAF_PREFIX = {0x00};
  private static final byte[] NODE_PREFIX = {0x01};
  private static final byte[] CHAIN_PREFIX = {0x02};

  private final AlgorithmSuite suite;
  private final Digest digest;

  private TreeHasher(AlgorithmSuite suite) {
    this.suite = suite;
    this.digest = suite.digest().newBcDigest();
    Assert.that(digest.getDigestSize() == HASH_BYTES, "digest of {} is not {} bytes", suite, HASH_BYTES);
  }

  /** A hasher for the suite's digest; never null. */
  public static TreeHasher of(AlgorithmSuite suite) {
    return new TreeHasher(Assert.notNull(suite, "suite"));
  }

  public AlgorithmSuite suite() {
    return suite;
  }

  public DigestAlgorithm algorithm() {
    return suite.digest();
  }

  /** {@code MTH({})}: the hash of the empty string, the head of an empty tree. */
  public byte[] emptyRoot() {
    return finish();
  }

  /** {@code H(0x00 || entry)}. */
  public byte[] leafHash(byte[] entry) {
    digest.update(LEAF_PREFIX, 0, 1);
    digest.update(entry, 0, entry.length);
    return finish();
  }

  /** {@code H(0x01 || left || right)}. */
  public byte[] nodeHash(byte[] left, byte[] right) {
    digest.update(NODE_PREFIX, 0, 1);
    digest.update(left, 0, left.length);
    digest.update(right, 0, right.length);
    return finish();
  }

  /** {@code H(0x01 || left || right)} where both children are read from arrays at offsets. */
  void nodeHashInto(byte[] leftArray, int leftOffset, byte[] rightArray, int rightOffset, byte[] out, int outOffset) {
    digest.update(NODE_PREFIX, 0, 1);
    digest.update(leftArray, leftOffset, HASH_BYTES);
    digest.update(rightArray, rightOffset, HASH_BYTES);
    digest.doFinal(out, outOffset);
  }

  /**
   * {@code H(0x02 || previous || leafHash)}: the row chain that lets a verifier name the first
   * damaged row. The prefix keeps it apart from leaf and node hashes.
   */
  public byte[] chainHash(byte[] previous, byte[] leafHash) {
    digest.update(CHAIN_PREFIX, 0, 1);
    digest.update(previous, 0, previous.length);
    digest.update(leafHash, 0, leafHash.length);
    return finish();
  }

  /** The chain value before the first leaf: 32 zero bytes. */
  public static byte[] chainStart() {
    return new byte[HASH_BYTES];
  }

  private byte[] finish() {
    byte[] out = new byte[HASH_BYTES];
    digest.doFinal(out, 0);
    return out;
  }
}

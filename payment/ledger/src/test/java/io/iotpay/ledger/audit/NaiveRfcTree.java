package io.iotpay.ledger.audit;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 transcribed literally as recursive functions over a list of
 * entries, hashing with the suite's digest directly (not through {@link TreeHasher}). Slow and
 * simple: the independent reference {@link MerkleTree} is checked against, for SM3 where no
 * published vectors exist and for SHA-256 beyond the 8-leaf vectors.
 */
final class NaiveRfcTree {
  private final AlgorithmSuite suite;

  NaiveRfcTree(AlgorithmSuite suite) {
    this.suite = suite;
  }

  byte[] leafHash(byte[] entry) {
    return suite.digest().digest(new byte[] {0}, entry);
  }

  /** MTH(D[n]). */
  byte[] mth(List<byte[]> d) {
    int n = d.size();
    if (n == 0) {
      return suite.digest().digest();
    }
    if (n == 1) {
      return leafHash(d.get(0));
    }
    int k = split(n);
    return suite.digest().digest(new byte[] {1}, mth(d.subList(0, k)), mth(d.subList(k, n)));
  }

  /** PATH(m, D[n]). */
  List<byte[]> path(int m, List<byte[]> d) {
    int n = d.size();
    List<byte[]> out = new ArrayList<>();
    if (n <= 1) {
      return out;
    }
    int k = split(n);
    if (m < k) {
      out.addAll(path(m, d.subList(0, k)));
      out.add(mth(d.subList(k, n)));
    } else {
      out.addAll(path(m - k, d.subList(k, n)));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }

  /** PROOF(m, D[n]). */
  List<byte[]> proof(int m, List<byte[]> d) {
    return subproof(m, d, true);
  }

  private List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
    int n = d.size();
    List<byte[]> out = new ArrayList<>();
    if (m == n) {
      if (!b) {
        out.add(mth(d));
      }
      return out;
    }
    int k = split(n);
    if (m <= k) {
      out.addAll(subproof(m, d.subList(0, k), b));
      out.add(mth(d.subList(k, n)));
    } else {
      out.addAll(subproof(m - k, d.subList(k, n), false));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }

  /** The largest power of two smaller than n. */
  private static int split(int n) {
    int k = 1;
    while (k << 1 < n) {
      k <<= 1;
    }
    return k;
  }
}

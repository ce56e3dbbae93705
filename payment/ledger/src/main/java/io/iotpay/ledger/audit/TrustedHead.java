package io.iotpay.ledger.audit;

import io.iotpay.foundation.codec.Hex;

/**
 * A tree head the verifier holds from outside the log it checks, such as a checkpoint a witness
 * cosigned: the log must reach {@code treeSize} leaves (else it was truncated) and its head there
 * must be {@code rootHash} (else its history was rewritten: a fork).
 *
 * <p>The byte array is not copied; treat it as read-only.
 *
 * @param treeSize the size the head commits to, ≥ 0
 * @param rootHash the head at that size
 * @param source who vouches for it, for people (e.g. "witness 1f2e… cosignature 3")
 */
public record TrustedHead(long treeSize, byte[] rootHash, String source) {
  /** @throws AuditInputException on a negative size or a missing root or source */
  public TrustedHead {
    if (treeSize < 0 || rootHash == null || source == null) {
      throw new AuditInputException("a trusted head needs a size >= 0, a root and a source");
    }
  }

  @Override
  public String toString() {
    return "TrustedHead[treeSize=" + treeSize + ", root=" + Hex.encode(rootHash) + ", source=" + source + "]";
  }
}

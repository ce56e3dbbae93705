package io.iotpay.ledger.audit;

import java.util.Optional;

/**
 * An extra check the verifier runs on every leaf, in index order, after the leaf's own checks: for
 * example that the ledger row recorded at this audit index has exactly these canonical bytes.
 */
@FunctionalInterface
public interface LeafCheck {
  /**
   * @param leafIndex the leaf's index in the log
   * @param entry the leaf's entry bytes; do not modify
   * @return what is wrong with the leaf, or empty when it is fine; never null
   */
  Optional<String> problem(long leafIndex, byte[] entry);

  /** A check that accepts every leaf. */
  static LeafCheck none() {
    return (leafIndex, entry) -> Optional.empty();
  }
}

package io.iotpay.ledger.audit;

import java.util.List;
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

  /**
   * Called once after every leaf passed: what is wrong that no leaf shows, such as a row that should
   * have a leaf and has none. The verifier reports it as a failure of the log as a whole.
   *
   * @return what is wrong, or empty; never null
   */
  default Optional<String> afterLastLeaf() {
    return Optional.empty();
  }

  /** A check that accepts every leaf. */
  static LeafCheck none() {
    return (leafIndex, entry) -> Optional.empty();
  }

  /** Every check in order, on every leaf and after the last: the first problem found is the answer. */
  static LeafCheck allOf(LeafCheck... checks) {
    List<LeafCheck> all = List.of(checks);
    return new LeafCheck() {
      @Override
      public Optional<String> problem(long leafIndex, byte[] entry) {
        for (LeafCheck check : all) {
          Optional<String> problem = check.problem(leafIndex, entry);
          if (problem.isPresent()) {
            return problem;
          }
        }
        return Optional.empty();
      }

      @Override
      public Optional<String> afterLastLeaf() {
        for (LeafCheck check : all) {
          Optional<String> problem = check.afterLastLeaf();
          if (problem.isPresent()) {
            return problem;
          }
        }
        return Optional.empty();
      }
    };
  }
}

package io.iotpay.ledger.audit;

/**
 * Told about each checkpoint once it is stored: the plug-in point for anchoring checkpoints with an
 * external witness, for metrics, and for tests that wait on checkpoints.
 *
 * <p>Called on the ledger's writer thread or the checkpointer thread, once per checkpoint, in number
 * order; it must return quickly. An exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface CheckpointListener {
  /** {@code checkpoint} is durable in the store. */
  void stored(Checkpoint checkpoint);

  /** A listener that does nothing. */
  static CheckpointListener none() {
    return checkpoint -> {};
  }
}

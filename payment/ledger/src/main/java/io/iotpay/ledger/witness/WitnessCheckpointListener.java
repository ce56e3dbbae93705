package io.iotpay.ledger.witness;

import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.CheckpointListener;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports each stored checkpoint to a {@link Witness} as the log makes it: the wiring for demos and
 * {@code serve}. The log calls {@link #stored} on its writer or checkpointer thread, which must not
 * wait for the witness's fsync, so the work runs on one thread of its own; when checkpoints arrive
 * faster than the witness cosigns, only the newest waiting one is sent (a witness needs only the newest:
 * its consistency proof covers the ones skipped).
 *
 * <p>Usage: create it, pass it to {@code AuditLogConfig.withCheckpointListener}, open the log, then
 * {@link #attach} the log's consistency proofs ({@code listener.attach(auditLog::consistencyProof)}).
 * Close it after the log (the log's close signs a last checkpoint), before the witness.
 */
public final class WitnessCheckpointListener implements CheckpointListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WitnessCheckpointListener.class);

  /** Where consistency proofs come from: {@code AuditLog::consistencyProof}. */
  @FunctionalInterface
  public interface ProofSource {
    List<byte[]> consistencyProof(long firstSize, long secondSize);
  }

  private final Witness witness;
  private final ExecutorService exporter;
  private final AtomicReference<Checkpoint> waiting = new AtomicReference<>();
  private final AtomicLong cosigned = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicReference<String> lastRefusal = new AtomicReference<>();
  private volatile ProofSource proofs;

  public WitnessCheckpointListener(Witness witness) {
    this.witness = witness;
    this.exporter = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "iotpay-witness-exporter");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Gives the listener the log's consistency proofs; checkpoints stored before this are not exported. */
  public void attach(ProofSource proofSource) {
    this.proofs = proofSource;
  }

  @Override
  public void stored(Checkpoint checkpoint) {
    if (proofs == null) {
      log.warn("Witness export skipped: no proof source attached yet [checkpoint={}]", checkpoint.number());
      return;
    }
    if (waiting.getAndSet(checkpoint) == null) {
      exporter.execute(this::exportWaiting);
    }
  }

  private void exportWaiting() {
    Checkpoint checkpoint = waiting.getAndSet(null);
    if (checkpoint == null) {
      return;
    }
    try {
      long oldSize = witness.treeSize();
      // From size 0 the proof is empty (C2SP tlog-witness); past the checkpoint there is none, and the witness refuses.
      List<byte[]> proof = oldSize == 0 || oldSize > checkpoint.treeSize()
          ? List.of() : proofs.consistencyProof(oldSize, checkpoint.treeSize());
      switch (witness.add(checkpoint, oldSize, proof)) {
        case AddResult.Cosigned c -> cosigned.incrementAndGet();
        case AddResult.AlreadyCosigned a -> { }
        case AddResult.Refused r -> {
          refused.incrementAndGet();
          lastRefusal.set(r.describe());
          log.error("Witness refused a checkpoint [checkpoint={}, reason={}]", checkpoint.number(), r.describe());
        }
      }
    } catch (IOException | RuntimeException e) {
      refused.incrementAndGet();
      lastRefusal.set(e.toString());
      log.error("Witness export failed [checkpoint={}]", checkpoint.number(), e);
    }
  }

  /** Checkpoints the witness cosigned through this listener. */
  public long cosignedCount() {
    return cosigned.get();
  }

  /** Checkpoints the witness refused (or that failed to reach it). */
  public long refusedCount() {
    return refused.get();
  }

  /** The last refusal, for a report; null when none. */
  public String lastRefusal() {
    return lastRefusal.get();
  }

  /** Exports what is waiting and stops the exporter thread (waits up to 10 s). Does not close the witness. */
  @Override
  public void close() {
    exporter.shutdown();
    try {
      if (!exporter.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("Witness exporter did not finish within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

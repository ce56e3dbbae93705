package io.iotpay.ledger;

import io.iotpay.ledger.audit.AuditJournal;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/** An audit journal that keeps its leaves in memory, honouring commit and rollback like a real one. */
final class MemoryJournal implements AuditJournal {
  private final List<byte[]> committed = new ArrayList<>();
  private List<byte[]> pending = List.of();
  int appendCalls;
  int rollbacks;
  int leavesPerAppendMax;

  @Override
  public synchronized long append(Connection transaction, List<byte[]> leaves) {
    appendCalls++;
    leavesPerAppendMax = Math.max(leavesPerAppendMax, leaves.size());
    pending = List.copyOf(leaves);
    return committed.size();
  }

  @Override
  public synchronized void committed() {
    committed.addAll(pending);
    pending = List.of();
  }

  @Override
  public synchronized void rolledBack() {
    rollbacks++;
    pending = List.of();
  }

  synchronized List<byte[]> leaves() {
    return List.copyOf(committed);
  }
}

package io.iotpay.ledger.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Where the ledger's writer puts the audit leaves of each batch, inside the batch's own database
 * transaction (group commit: one round trip per batch, never one per leaf).
 *
 * <p>Call order per batch, all on the writer thread: {@link #append} inside the open transaction,
 * then exactly one of {@link #committed()} (after a successful commit) or {@link #rolledBack()}.
 */
public interface AuditJournal {
  /**
   * Stores {@code leaves} (canonical bytes of each entry, in order) using the caller's open
   * transaction; must not commit or roll back.
   *
   * @return the leaf index given to the first of {@code leaves}; the rest follow consecutively
   * @throws SQLException when the store refuses; the caller then rolls back
   */
  long append(Connection transaction, List<byte[]> leaves) throws SQLException;

  /** The transaction holding the leaves of the last {@link #append} committed: they are durable. */
  void committed();

  /** The transaction rolled back: forget the leaves of the last {@link #append}. */
  void rolledBack();

  /** A journal that records nothing; for ledgers run without an audit log (tests of ledger rules). */
  static AuditJournal none() {
    return new AuditJournal() {
      private long size;
      private long pending;

      @Override
      public long append(Connection transaction, List<byte[]> leaves) {
        pending = leaves.size();
        return size;
      }

      @Override
      public void committed() {
        size += pending;
        pending = 0;
      }

      @Override
      public void rolledBack() {
        pending = 0;
      }
    };
  }
}

package io.iotpay.ledger;

import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.audit.LeafCheck;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The verifier's cross-check between the books and the audit log: every ledger row must be the leaf
 * at its recorded audit index, byte for byte, and every leaf that is a ledger entry must have its row.
 * So changing an amount, deleting a row or swapping two rows in {@code ledger_entry} is named by the
 * leaf it no longer matches, even though the audit tables themselves were left alone.
 *
 * <p>Holds every row's canonical bytes in memory (77 bytes each): fine for an operator's check of a
 * day's books; a streaming variant is the follow-up for very large stores.
 */
public final class LedgerAuditCheck implements LeafCheck {
  private final Map<Long, byte[]> canonicalByLeaf;
  private final List<String> rowProblems;
  private final long leafCount;

  private LedgerAuditCheck(Map<Long, byte[]> canonicalByLeaf, List<String> rowProblems, long leafCount) {
    this.canonicalByLeaf = canonicalByLeaf;
    this.rowProblems = rowProblems;
    this.leafCount = leafCount;
  }

  /**
   * Reads the ledger rows of {@code database}. A database without ledger tables gives a check that
   * accepts only leaves that are not ledger entries.
   *
   * @throws LedgerStoreException when the rows cannot be read
   */
  public static LedgerAuditCheck of(Database database) {
    Map<Long, byte[]> byLeaf = new HashMap<>();
    List<String> problems = new ArrayList<>();
    try (Connection connection = database.connection()) {
      if (!hasLedgerTable(connection)) {
        return new LedgerAuditCheck(byLeaf, problems, 0);
      }
      long leafCount = leafCount(connection);
      connection.setAutoCommit(false);
      new LedgerStore().readEntries(connection, entry -> {
        byte[] previous = byLeaf.put(entry.auditIndex(), entry.canonicalBytes());
        if (previous != null) {
          problems.add("ledger row seq " + entry.seq() + " claims audit leaf " + entry.auditIndex() + ", which another row holds");
        }
      });
      connection.rollback();
      return new LedgerAuditCheck(byLeaf, problems, leafCount);
    } catch (SQLException | RuntimeException e) {
      throw new LedgerStoreException("cannot read the ledger rows for the audit cross-check: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<String> problem(long leafIndex, byte[] entry) {
    if (leafIndex == 0 && !rowProblems.isEmpty()) {
      return Optional.of(rowProblems.get(0));
    }
    Optional<String> problem = rowProblem(canonicalByLeaf.remove(leafIndex), entry);
    if (problem.isEmpty() && leafIndex == leafCount - 1 && !canonicalByLeaf.isEmpty()) {
      // The last leaf: any row not matched by now points beyond the log (added without being logged).
      return Optional.of("ledger rows claim audit leaves beyond the log: " + rowsBeyondTheLog());
    }
    return problem;
  }

  private static Optional<String> rowProblem(byte[] row, byte[] entry) {
    if (row == null) {
      return isLedgerEntry(entry)
          ? Optional.of("no ledger row is recorded at this leaf (a ledger_entry row was deleted or moved)")
          : Optional.empty();
    }
    if (!Arrays.equals(row, entry)) {
      return Optional.of("the ledger row recorded at this leaf differs from the logged entry (a ledger_entry row was changed)");
    }
    return Optional.empty();
  }

  /** Rows whose audit index no leaf reached: after a full pass, these point beyond the log. */
  public List<Long> rowsBeyondTheLog() {
    return canonicalByLeaf.keySet().stream().sorted().toList();
  }

  private static boolean isLedgerEntry(byte[] entry) {
    return entry.length == LedgerEntry.CANONICAL_LENGTH && entry[0] == LedgerEntry.CANONICAL_VERSION;
  }

  private static long leafCount(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM audit_leaf")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static boolean hasLedgerTable(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.executeQuery("SELECT 1 FROM ledger_entry WHERE 1 = 0").close();
      return true;
    } catch (SQLException e) {
      // No ledger in this database (an audit log kept alone): nothing to cross-check.
      if (!connection.getAutoCommit()) {
        connection.rollback();
      }
      return false;
    }
  }
}

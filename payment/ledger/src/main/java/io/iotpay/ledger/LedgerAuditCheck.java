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
 * The verifier's cross-check between the books and the audit log: every ledger row (entries and
 * accounts) must be the leaf at its recorded audit index, byte for byte, and every leaf that is a
 * ledger entry or an account must have its row. So changing an amount, deleting a row, swapping two
 * rows, or inserting an account without its leaf is named, even though the audit tables themselves
 * were left alone.
 *
 * <p>Holds every row's canonical bytes in memory (77 bytes per entry, 27 per account): fine for an
 * operator's check of a day's books; a streaming variant is the follow-up for very large stores.
 */
public final class LedgerAuditCheck implements LeafCheck {
  private final Map<Long, byte[]> canonicalByLeaf;
  private final List<String> rowProblems;
  private final List<Account> accountsWithoutLeaf;
  private final boolean accountsChecked;
  private final long leafCount;

  private LedgerAuditCheck(Map<Long, byte[]> canonicalByLeaf, List<String> rowProblems, List<Account> accountsWithoutLeaf,
      boolean accountsChecked, long leafCount) {
    this.canonicalByLeaf = canonicalByLeaf;
    this.rowProblems = rowProblems;
    this.accountsWithoutLeaf = accountsWithoutLeaf;
    this.accountsChecked = accountsChecked;
    this.leafCount = leafCount;
  }

  /**
   * Reads the ledger rows of {@code database}, without changing it. A database without ledger
   * tables gives a check that accepts only leaves that are neither ledger entries nor accounts. A
   * ledger not yet migrated to account leaves (schema version 1) gives a check of entries only
   * ({@link #accountsChecked()} false).
   *
   * @throws LedgerStoreException when the rows cannot be read
   */
  public static LedgerAuditCheck of(Database database) {
    Map<Long, byte[]> byLeaf = new HashMap<>();
    List<String> problems = new ArrayList<>();
    List<Account> withoutLeaf = new ArrayList<>();
    try (Connection connection = database.connection()) {
      if (!selects(connection, "SELECT 1 FROM ledger_entry WHERE 1 = 0")) {
        return new LedgerAuditCheck(byLeaf, problems, withoutLeaf, false, 0);
      }
      boolean accountLeaves = selects(connection, "SELECT audit_index, audit_origin FROM ledger_account WHERE 1 = 0");
      long leafCount = leafCount(connection);
      connection.setAutoCommit(false);
      LedgerStore store = new LedgerStore();
      store.readEntries(connection, entry -> claim(byLeaf, problems, entry.auditIndex(), entry.canonicalBytes(),
          "ledger row seq " + entry.seq()));
      if (accountLeaves) {
        store.readAccountRows(connection, row -> {
          if (row.auditIndex() == null || row.origin() == null) {
            withoutLeaf.add(row.account());
          } else {
            claim(byLeaf, problems, row.auditIndex(), new AccountLeaf(row.account(), row.origin()).canonicalBytes(),
                "ledger_account row " + row.account().id());
          }
        });
      }
      connection.rollback();
      return new LedgerAuditCheck(byLeaf, problems, withoutLeaf, accountLeaves, leafCount);
    } catch (SQLException | RuntimeException e) {
      throw new LedgerStoreException("cannot read the ledger rows for the audit cross-check: " + e.getMessage(), e);
    }
  }

  private static void claim(Map<Long, byte[]> byLeaf, List<String> problems, long auditIndex, byte[] canonical, String row) {
    if (byLeaf.put(auditIndex, canonical) != null) {
      problems.add(row + " claims audit leaf " + auditIndex + ", which another row holds");
    }
  }

  /** False when the ledger's tables predate account leaves: only entries were cross-checked. */
  public boolean accountsChecked() {
    return accountsChecked;
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

  /**
   * {@inheritDoc}
   *
   * <p>An account row without an audit leaf was inserted behind the ledger's back: the ledger gives
   * every account it creates a leaf, and adopts the accounts of an older database once, at the first
   * start-up after the migration.
   */
  @Override
  public Optional<String> afterLastLeaf() {
    if (accountsWithoutLeaf.isEmpty()) {
      return Optional.empty();
    }
    Account first = accountsWithoutLeaf.get(0);
    return Optional.of(accountsWithoutLeaf.size() + " ledger_account row(s) have no audit leaf (inserted behind the"
        + " ledger's back), first: account " + first.id() + " of book " + first.bookId());
  }

  private static Optional<String> rowProblem(byte[] row, byte[] entry) {
    if (row == null) {
      if (isLedgerEntry(entry)) {
        return Optional.of("no ledger row is recorded at this leaf (a ledger_entry row was deleted or moved)");
      }
      return AccountLeaf.isAccountLeaf(entry)
          ? Optional.of("no ledger_account row is recorded at this account leaf (the row was deleted or moved)")
          : Optional.empty();
    }
    if (!Arrays.equals(row, entry)) {
      return Optional.of(AccountLeaf.isAccountLeaf(row)
          ? "the ledger_account row recorded at this leaf differs from the logged account (the row was changed)"
          : "the ledger row recorded at this leaf differs from the logged entry (a ledger_entry row was changed)");
    }
    return Optional.empty();
  }

  /** Rows whose audit index no leaf reached: after a full pass, these point beyond the log. */
  public List<Long> rowsBeyondTheLog() {
    return canonicalByLeaf.keySet().stream().sorted().toList();
  }

  /** True when {@code entry} has the shape of a version-1 ledger entry leaf. */
  public static boolean isLedgerEntry(byte[] entry) {
    return entry.length == LedgerEntry.CANONICAL_LENGTH && entry[0] == LedgerEntry.CANONICAL_VERSION;
  }

  private static long leafCount(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM audit_leaf")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** True when the query runs: the tables and columns it names exist. */
  private static boolean selects(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.executeQuery(sql).close();
      return true;
    } catch (SQLException e) {
      // No such table or column (an audit log kept alone, or a ledger from before account leaves).
      if (!connection.getAutoCommit()) {
        connection.rollback();
      }
      return false;
    }
  }
}

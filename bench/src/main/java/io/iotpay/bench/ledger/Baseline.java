package io.iotpay.bench.ledger;

import io.iotpay.foundation.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The straightforward ledger the benchmark compares against: balances stored in rows, one database
 * transaction per transfer that locks both accounts, updates their balances and inserts the transfer.
 *
 * <p>PostgreSQL locks with {@code SELECT … ORDER BY id FOR UPDATE} (ordered, so two transfers between
 * the same accounts cannot deadlock). SQLite has no row locks and no {@code FOR UPDATE}: the
 * transaction starts with {@code BEGIN IMMEDIATE}, which takes the database's write lock up front, then
 * runs the same SELECT (without {@code FOR UPDATE}), UPDATEs and INSERT.
 */
final class Baseline {
  private final Database database;

  Baseline(Database database) {
    this.database = database;
  }

  /** Creates the baseline's own tables (dropped first) with {@code accountCount} zero-balance accounts. */
  void setUp(int accountCount) throws SQLException {
    try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS bench_baseline_transfer");
      statement.execute("DROP TABLE IF EXISTS bench_baseline_account");
      statement.execute("CREATE TABLE bench_baseline_account (id BIGINT PRIMARY KEY,"
          + " debits_posted BIGINT NOT NULL, credits_posted BIGINT NOT NULL)");
      statement.execute("CREATE TABLE bench_baseline_transfer (id BIGINT PRIMARY KEY,"
          + " debit_account_id BIGINT NOT NULL, credit_account_id BIGINT NOT NULL, amount_minor BIGINT NOT NULL)");
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement(
              "INSERT INTO bench_baseline_account (id, debits_posted, credits_posted) VALUES (?, 0, 0)")) {
        for (long id = 1; id <= accountCount; id++) {
          insert.setLong(1, id);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      connection.commit();
    }
  }

  /** Runs transfers on one connection until {@code deadlineNanos}; counts each committed one. */
  void run(Workload workload, long firstId, long deadlineNanos, AtomicLong committed) throws SQLException {
    boolean sqlite = database.dialect() == Database.Dialect.SQLITE;
    try (Connection connection = database.connection()) {
      connection.setAutoCommit(sqlite); // SQLite: explicit BEGIN IMMEDIATE / COMMIT statements
      try (Statement control = connection.createStatement();
          PreparedStatement lock = connection.prepareStatement(sqlite
              ? "SELECT id, debits_posted, credits_posted FROM bench_baseline_account WHERE id IN (?, ?) ORDER BY id"
              : "SELECT id, debits_posted, credits_posted FROM bench_baseline_account WHERE id IN (?, ?) ORDER BY id FOR UPDATE");
          PreparedStatement debit = connection.prepareStatement(
              "UPDATE bench_baseline_account SET debits_posted = debits_posted + ? WHERE id = ?");
          PreparedStatement credit = connection.prepareStatement(
              "UPDATE bench_baseline_account SET credits_posted = credits_posted + ? WHERE id = ?");
          PreparedStatement insert = connection.prepareStatement(
              "INSERT INTO bench_baseline_transfer (id, debit_account_id, credit_account_id, amount_minor) VALUES (?, ?, ?, ?)")) {
        long id = firstId;
        while (System.nanoTime() < deadlineNanos) {
          long[] transfer = workload.next();
          if (sqlite) {
            control.execute("BEGIN IMMEDIATE");
          }
          try {
            transferOnce(lock, debit, credit, insert, id, transfer);
            if (sqlite) {
              control.execute("COMMIT");
            } else {
              connection.commit();
            }
          } catch (SQLException e) {
            rollback(connection, control, sqlite);
            if (!retryable(e)) {
              throw e;
            }
            continue; // lost a deadlock or lock wait: retry with the same id
          }
          id++;
          committed.incrementAndGet();
        }
      }
    }
  }

  private static void transferOnce(PreparedStatement lock, PreparedStatement debit, PreparedStatement credit,
      PreparedStatement insert, long id, long[] transfer) throws SQLException {
    lock.setLong(1, transfer[0]);
    lock.setLong(2, transfer[1]);
    int locked = 0;
    try (ResultSet rows = lock.executeQuery()) {
      while (rows.next()) {
        locked++;
      }
    }
    if (locked != 2) {
      throw new SQLException("baseline account missing [debit=" + transfer[0] + ", credit=" + transfer[1] + "]");
    }
    debit.setLong(1, transfer[2]);
    debit.setLong(2, transfer[0]);
    debit.executeUpdate();
    credit.setLong(1, transfer[2]);
    credit.setLong(2, transfer[1]);
    credit.executeUpdate();
    insert.setLong(1, id);
    insert.setLong(2, transfer[0]);
    insert.setLong(3, transfer[1]);
    insert.setLong(4, transfer[2]);
    insert.executeUpdate();
  }

  private static void rollback(Connection connection, Statement control, boolean sqlite) throws SQLException {
    if (!sqlite) {
      connection.rollback();
      return;
    }
    try {
      control.execute("ROLLBACK");
    } catch (SQLException e) {
      // A BEGIN IMMEDIATE that timed out opened no transaction: nothing to roll back then.
      if (e.getMessage() == null || !e.getMessage().contains("no transaction is active")) {
        throw e;
      }
    }
  }

  private static boolean retryable(SQLException e) {
    String state = e.getSQLState();
    // PostgreSQL deadlock_detected / serialization_failure; SQLite busy after busy_timeout.
    return "40P01".equals(state) || "40001".equals(state)
        || (e.getMessage() != null && e.getMessage().contains("SQLITE_BUSY"));
  }
}

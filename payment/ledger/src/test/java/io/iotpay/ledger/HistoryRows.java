package io.iotpay.ledger;

import io.iotpay.foundation.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Writes a ledger's history in bulk straight into its tables (one INSERT … SELECT per million rows,
 * not through the writer): {@code accounts} accounts in book 1, EUR, and single-phase transfers where
 * transfer {@code n} (= seq n = id n) moves {@code 1 + n % 997} from account {@code 1 + n % A} to
 * {@code 1 + (n + 1) % A}. For start-up measurements with millions of entries of history.
 */
final class HistoryRows {
  static final long APPLIED_AT_BASE_MS = 1_800_000_000_000L;
  private static final long ROWS_PER_STATEMENT = 1_000_000;

  private HistoryRows() {}

  static void accounts(Database database, int accounts) throws SQLException {
    String select = database.dialect() == Database.Dialect.SQLITE
        ? "WITH RECURSIVE a(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM a WHERE n < ?)"
            + " INSERT INTO ledger_account (id, book_id, currency, flags, audit_index, audit_origin)"
            + " SELECT n, 1, 978, 0, n - 1, 1 FROM a"
        : "INSERT INTO ledger_account (id, book_id, currency, flags, audit_index, audit_origin)"
            + " SELECT n, 1, 978, 0, n - 1, 1 FROM generate_series(1, ?::bigint) AS g(n)";
    try (Connection connection = database.connection(); PreparedStatement insert = connection.prepareStatement(select)) {
      insert.setLong(1, accounts);
      insert.executeUpdate();
    }
  }

  /** Appends entries {@code fromSeq..toSeq} (inclusive); the accounts must exist, seq must continue the history. */
  static void transfers(Database database, int accounts, long fromSeq, long toSeq) throws SQLException {
    String columns = " INSERT INTO ledger_entry (seq, kind, transfer_id, debit_account_id, credit_account_id,"
        + " amount_minor, pending_id, timeout_ms, linked, book_id, currency, applied_at_ms, audit_index)"
        + " SELECT n, 1, n, 1 + n % ?, 1 + (n + 1) % ?, 1 + n % 997, 0, 0, 0, 1, 978, " + APPLIED_AT_BASE_MS
        + " + n / 1000, ? + n - 1";
    String sql = database.dialect() == Database.Dialect.SQLITE
        ? "WITH RECURSIVE s(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM s WHERE n < ?)" + columns + " FROM s"
        : columns + " FROM generate_series(?::bigint, ?::bigint) AS g(n)";
    try (Connection connection = database.connection()) {
      for (long start = fromSeq; start <= toSeq; start += ROWS_PER_STATEMENT) {
        long end = Math.min(toSeq, start + ROWS_PER_STATEMENT - 1);
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
          int i = 1;
          if (database.dialect() == Database.Dialect.SQLITE) {
            insert.setLong(i++, start);
            insert.setLong(i++, end);
          }
          insert.setLong(i++, accounts);
          insert.setLong(i++, accounts);
          insert.setLong(i++, accounts);
          if (database.dialect() != Database.Dialect.SQLITE) {
            insert.setLong(i++, start);
            insert.setLong(i, end);
          }
          insert.executeUpdate();
        }
      }
    }
  }
}

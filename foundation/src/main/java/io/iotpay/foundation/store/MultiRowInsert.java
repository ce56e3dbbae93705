package io.iotpay.foundation.store;

import io.iotpay.foundation.Assert;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;

/**
 * Inserts many rows inside the caller's transaction with multi-row INSERTs: one statement of
 * {@code rowsPerStatement} rows, executed as a JDBC batch, then the rows left over one by one. On
 * SQLite this is several times faster than a batch of one-row statements (each statement is stepped
 * once, not once per row). Keep {@code rowsPerStatement × columns} under the drivers' parameter
 * limit (SQLite's older builds: 999).
 */
public final class MultiRowInsert {
  private MultiRowInsert() {}

  /** Binds one row's {@code columns} values from parameter {@code offset + 1} on. */
  @FunctionalInterface
  public interface RowBinder<T> {
    void bind(PreparedStatement statement, int offset, T row) throws SQLException;
  }

  /**
   * @param insertPrefix the statement up to its values, e.g. {@code "INSERT INTO t (a, b) VALUES "}
   * @param columns the values per row, at least 1
   * @param rowsPerStatement rows per multi-row statement, at least 1
   * @throws SQLException from the driver; the caller's transaction decides what is kept
   */
  public static <T> void insert(Connection connection, String insertPrefix, int columns, int rowsPerStatement,
      List<T> rows, RowBinder<T> binder) throws SQLException {
    Assert.that(columns >= 1 && rowsPerStatement >= 1, "multi-row insert: columns and rows per statement must be positive");
    String one = "(" + String.join(", ", Collections.nCopies(columns, "?")) + ")";
    int full = rows.size() / rowsPerStatement * rowsPerStatement;
    if (full > 0) {
      try (PreparedStatement s = connection.prepareStatement(insertPrefix
          + String.join(", ", Collections.nCopies(rowsPerStatement, one)))) {
        for (int start = 0; start < full; start += rowsPerStatement) {
          for (int row = 0; row < rowsPerStatement; row++) {
            binder.bind(s, row * columns, rows.get(start + row));
          }
          s.addBatch();
        }
        s.executeBatch();
      }
    }
    if (full < rows.size()) {
      try (PreparedStatement s = connection.prepareStatement(insertPrefix + one)) {
        for (int i = full; i < rows.size(); i++) {
          binder.bind(s, 0, rows.get(i));
          s.addBatch();
        }
        s.executeBatch();
      }
    }
  }
}

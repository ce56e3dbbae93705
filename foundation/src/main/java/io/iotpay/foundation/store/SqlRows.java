package io.iotpay.foundation.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plain statements on a {@link Database} for small stores: every write goes through the database's
 * writer lock ({@link Database#writing}), every failure is a {@link StoreException} naming the store.
 */
public final class SqlRows {
  /** Reads one row of a result set. */
  @FunctionalInterface
  public interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private final Database database;
  private final String storeName;

  /** @param storeName named in every error ("issuer-qr store: ...") */
  public SqlRows(Database database, String storeName) {
    this.database = database;
    this.storeName = storeName;
  }

  /** The rows the statement changed. */
  public int update(String sql, Object... args) {
    try {
      return database.writing(() -> {
        try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
          bind(s, args);
          return s.executeUpdate();
        }
      });
    } catch (SQLException e) {
      throw new StoreException(storeName + ": " + e.getMessage(), e);
    }
  }

  /** One statement of {@link #transaction}. */
  public record Statement(String sql, Object... args) {}

  /** The statements in one database transaction (one commit): all are applied, or none. */
  public void transaction(List<Statement> statements) {
    try {
      database.writing(() -> {
        try (Connection c = database.connection()) {
          c.setAutoCommit(false);
          try {
            for (Statement statement : statements) {
              try (PreparedStatement s = c.prepareStatement(statement.sql())) {
                bind(s, statement.args());
                s.executeUpdate();
              }
            }
            c.commit();
          } catch (SQLException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
        }
        return null;
      });
    } catch (SQLException e) {
      throw new StoreException(storeName + ": " + e.getMessage(), e);
    }
  }

  /** The first row, if any. */
  public <T> Optional<T> one(String sql, Row<T> row, Object... args) {
    List<T> all = list(sql, row, args);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /** Every row. */
  public <T> List<T> list(String sql, Row<T> row, Object... args) {
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(row.read(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException(storeName + ": " + e.getMessage(), e);
    }
  }

  private static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      s.setObject(i + 1, args[i]);
    }
  }

  /** A store statement failed (the database's message, never a value bound to it). */
  public static final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

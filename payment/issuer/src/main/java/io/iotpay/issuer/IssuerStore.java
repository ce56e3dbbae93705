package io.iotpay.issuer;

import io.iotpay.foundation.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;

/**
 * The issuer's own tables (Flyway component {@code issuer}) and the plain-JDBC plumbing its stores
 * share: one-statement reads and updates, write transactions under the store's write lock, and
 * IN-list batches. Migrates the tables when opened. Thread-safe (connections come from the pool).
 */
public final class IssuerStore {
  private final Database database;

  /** Migrates the issuer's tables on {@code database} (not closed by the issuer). */
  public IssuerStore(Database database) {
    this.database = database;
    database.migrate("issuer");
  }

  /** A pooled connection; the caller closes it. */
  public Connection connection() throws SQLException {
    return database.connection();
  }

  /** A transaction's statements, given its connection. */
  @FunctionalInterface
  public interface TransactionWork<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} as ONE write transaction (under the store's write lock): committed when it
   * returns, rolled back when it throws.
   *
   * @throws IllegalStateException naming {@code failure} when the store refuses it
   */
  public <T> T inTransaction(String failure, TransactionWork<T> work) {
    try {
      return database.inTransaction(work::run);
    } catch (SQLException e) {
      throw new IllegalStateException("issuer registry: " + failure, e);
    }
  }

  /** Binds one batch of items into a statement and runs it. */
  @FunctionalInterface
  public interface BatchWork<T> {
    void run(PreparedStatement statement, List<T> batch) throws SQLException;
  }

  /**
   * Runs {@code work} over {@code items} in batches of {@code size}, with a statement of {@code head}
   * + {@code size} comma-separated {@code each} + {@code tail}: prepared once for all full batches (a
   * statement of a few hundred parameters costs more to prepare than to run), once more for the rest.
   */
  public static <T> void inBatches(Connection c, List<T> items, int size, String head, String each, String tail,
      BatchWork<T> work) throws SQLException {
    int full = items.size() / size * size;
    if (full > 0) {
      try (PreparedStatement s = c.prepareStatement(head + String.join(", ", Collections.nCopies(size, each)) + tail)) {
        for (int start = 0; start < full; start += size) {
          work.run(s, items.subList(start, start + size));
        }
      }
    }
    if (full < items.size()) {
      try (PreparedStatement s = c.prepareStatement(head
          + String.join(", ", Collections.nCopies(items.size() - full, each)) + tail)) {
        work.run(s, items.subList(full, items.size()));
      }
    }
  }

  /** The first column of the first row of a one-row query. */
  public long single(String sql, Object... parameters) {
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, parameters);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("issuer registry: query failed", e);
    }
  }

  /** One update statement. */
  public void update(String sql, Object... parameters) {
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, parameters);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("issuer registry: update failed", e);
    }
  }

  /** Binds {@code parameters} in order. */
  public static void bind(PreparedStatement s, Object... parameters) throws SQLException {
    for (int i = 0; i < parameters.length; i++) {
      s.setObject(i + 1, parameters[i]);
    }
  }
}

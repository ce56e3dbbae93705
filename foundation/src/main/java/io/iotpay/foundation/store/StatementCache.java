package io.iotpay.foundation.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepared statements kept per physical connection of a pool, so that a hot query is parsed once
 * per connection instead of once per call. With SQLite, preparing a point query costs about three
 * times what running it does (docs/bench-auth.md §3.4), and neither the driver nor the pool caches.
 *
 * <p>Contract of {@link #prepared}: call it with the pooled connection the caller holds; bind every
 * parameter before each run; close every {@code ResultSet} it gives (that resets the statement, so
 * no read snapshot stays open on the connection); never close the statement itself, and do not run
 * the same SQL again while one of its result sets is open. The statements of a connection are only
 * touched by the thread holding that connection, which the pool hands over with a happens-before
 * edge. Thread-safe.
 */
public final class StatementCache {
  /** Statements kept per connection at most; the least recently used one is closed beyond it. */
  public static final int STATEMENTS_PER_CONNECTION_MAX = 32;

  private final Map<Connection, Map<String, PreparedStatement>> byConnection = new HashMap<>();

  /**
   * The statement for {@code sql} on the physical connection behind {@code pooled}, prepared on
   * first use.
   *
   * @throws SQLException when the statement cannot be prepared
   */
  public PreparedStatement prepared(Connection pooled, String sql) throws SQLException {
    Connection physical = pooled.unwrap(Connection.class);
    Map<String, PreparedStatement> statements = statementsOf(physical);
    PreparedStatement statement = statements.get(sql);
    if (statement == null || statement.isClosed()) {
      statement = physical.prepareStatement(sql);
      statements.put(sql, statement);
    }
    return statement;
  }

  private synchronized Map<String, PreparedStatement> statementsOf(Connection physical) throws SQLException {
    Map<String, PreparedStatement> statements = byConnection.get(physical);
    if (statements == null) {
      // A new physical connection: the pool retires old ones now and then; forget theirs.
      for (var it = byConnection.keySet().iterator(); it.hasNext(); ) {
        if (it.next().isClosed()) {
          it.remove();
        }
      }
      statements = new LeastRecentlyUsed();
      byConnection.put(physical, statements);
    }
    return statements;
  }

  /** Statements of one connection, the least recently used one closed past the bound. */
  private static final class LeastRecentlyUsed extends LinkedHashMap<String, PreparedStatement> {
    LeastRecentlyUsed() {
      super(16, 0.75f, true);
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
      if (size() <= STATEMENTS_PER_CONNECTION_MAX) {
        return false;
      }
      try {
        eldest.getValue().close();
      } catch (SQLException e) {
        // Closing frees the driver's handle; one that fails is released with its connection.
      }
      return true;
    }
  }
}

package io.iotpay.ledger.audit;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The audit log's SQL, the same text on SQLite and PostgreSQL. */
final class AuditStore {
  /** Rows per JDBC batch: bounds driver memory for a large ledger batch; still one batch per 4096 leaves. */
  static final int INSERT_BATCH_ROWS_MAX = 4096;
  /** Rows fetched per round trip when streaming leaves (PostgreSQL honours it inside a transaction). */
  static final int FETCH_ROWS = 4096;

  static final String INSERT_LEAF = "INSERT INTO audit_leaf (leaf_index, entry, chain_hash) VALUES (?, ?, ?)";
  /** Leaf rows per multi-row INSERT: one statement execution (one JNI/protocol round) per chunk. */
  static final int INSERT_ROWS_PER_STATEMENT = 64;
  static final String INSERT_LEAF_CHUNK = insertLeaves(INSERT_ROWS_PER_STATEMENT);

  static String insertLeaves(int rows) {
    StringBuilder sql = new StringBuilder("INSERT INTO audit_leaf (leaf_index, entry, chain_hash) VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
    }
    return sql.toString();
  }
  private static final String SELECT_LEAVES = "SELECT leaf_index, entry, chain_hash FROM audit_leaf ORDER BY leaf_index";
  private static final String SELECT_CHECKPOINTS =
      "SELECT checkpoint_number, tree_size, root_hash, timestamp_ms, suite, key_id, signature FROM audit_checkpoint";

  private AuditStore() {}

  /** The log's suite, or empty for a log not yet created. */
  static Optional<AlgorithmSuite> suite(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT suite FROM audit_log_info WHERE id = 1");
        ResultSet rows = select.executeQuery()) {
      return rows.next() ? Optional.of(AlgorithmSuite.byName(rows.getString(1))) : Optional.empty();
    }
  }

  static void createInfo(Connection connection, AlgorithmSuite suite, long createdMs) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_log_info (id, suite, created_ms) VALUES (1, ?, ?)")) {
      insert.setString(1, suite.name());
      insert.setLong(2, createdMs);
      insert.executeUpdate();
    }
  }

  static void putKey(Connection connection, String keyId, AlgorithmSuite suite, byte[] publicKeyDer) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO audit_key (key_id, suite, public_key) VALUES (?, ?, ?) ON CONFLICT (key_id) DO NOTHING")) {
      insert.setString(1, keyId);
      insert.setString(2, suite.name());
      insert.setBytes(3, publicKeyDer);
      insert.executeUpdate();
    }
  }

  static Map<String, byte[]> keys(Connection connection) throws SQLException {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    try (PreparedStatement select = connection.prepareStatement("SELECT key_id, public_key FROM audit_key ORDER BY key_id");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        keys.put(rows.getString(1), rows.getBytes(2));
      }
    }
    return keys;
  }

  /**
   * Inserts the checkpoint unless its number is already stored: the writer's transaction and the
   * checkpointer may both store the same signed checkpoint.
   */
  static void insertCheckpoint(Connection connection, Checkpoint checkpoint) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO audit_checkpoint (checkpoint_number, tree_size, root_hash, timestamp_ms, suite, key_id, signature)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (checkpoint_number) DO NOTHING")) {
      insert.setLong(1, checkpoint.number());
      insert.setLong(2, checkpoint.treeSize());
      insert.setBytes(3, checkpoint.rootHash());
      insert.setLong(4, checkpoint.timestampMs());
      insert.setString(5, checkpoint.suite().name());
      insert.setString(6, checkpoint.keyId());
      insert.setBytes(7, checkpoint.signature());
      insert.executeUpdate();
    }
  }

  static List<Checkpoint> checkpoints(Connection connection) throws SQLException {
    List<Checkpoint> checkpoints = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(SELECT_CHECKPOINTS + " ORDER BY checkpoint_number");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        checkpoints.add(checkpoint(rows));
      }
    }
    return checkpoints;
  }

  static Optional<Checkpoint> latestCheckpoint(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT_CHECKPOINTS + " ORDER BY checkpoint_number DESC LIMIT 1");
        ResultSet rows = select.executeQuery()) {
      return rows.next() ? Optional.of(checkpoint(rows)) : Optional.empty();
    }
  }

  private static Checkpoint checkpoint(ResultSet rows) throws SQLException {
    return new Checkpoint(
        rows.getLong(1),
        rows.getLong(2),
        rows.getBytes(3),
        rows.getLong(4),
        AlgorithmSuite.byName(rows.getString(5)),
        rows.getString(6),
        rows.getBytes(7));
  }

  /**
   * Streams every leaf row in index order. On PostgreSQL the rows come through a cursor (inside a
   * read transaction, {@link #FETCH_ROWS} at a time) so a large log is never held in memory.
   */
  static void forEachLeaf(Database database, AuditSource.LeafVisitor visitor) throws SQLException {
    try (Connection connection = database.connection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try (PreparedStatement select = connection.prepareStatement(SELECT_LEAVES)) {
        select.setFetchSize(FETCH_ROWS);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next() && visitor.visit(rows.getLong(1), rows.getBytes(2), rows.getBytes(3))) {
            // the visitor does the work; it returns false to stop early
          }
        }
      } finally {
        connection.rollback();
        connection.setAutoCommit(autoCommit);
      }
    }
  }

  /** True when the database holds the audit tables. */
  static boolean exists(Database database) throws SQLException {
    try (Connection connection = database.connection();
        ResultSet tables = connection.getMetaData().getTables(null, null, "%", null)) {
      while (tables.next()) {
        if ("audit_log_info".equalsIgnoreCase(tables.getString("TABLE_NAME"))) {
          return true;
        }
      }
      return false;
    }
  }
}

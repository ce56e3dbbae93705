package io.iotpay.ledger.audit;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.TestStores;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Stores × suites, entries and direct SQL edits that stand in for an attacker with database access. */
final class AuditTestSupport {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AuditTestSupport() {}

  /** Every (dialect, suite) pair; PostgreSQL cases skip without IOTPAY_TEST_POSTGRES_URL. */
  static Stream<Arguments> storesAndSuites() {
    List<Arguments> out = new ArrayList<>();
    for (Database.Dialect dialect : TestStores.dialects()) {
      for (AlgorithmSuite suite : AlgorithmSuite.values()) {
        out.add(Arguments.of(dialect, suite));
      }
    }
    return out.stream();
  }

  static KeyPair keyPair(AlgorithmSuite suite) {
    return suite.signature().generateKeyPair(RANDOM);
  }

  static List<byte[]> entries(int from, int count) {
    List<byte[]> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      out.add(("transfer " + i + " amountMinor=" + (i * 37 % 1000)).getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Appends in the caller's transaction, as the ledger writer does, and commits. */
  static long appendCommitted(Database database, AuditLog log, List<byte[]> entries) throws SQLException {
    try (Connection connection = database.connection()) {
      connection.setAutoCommit(false);
      long first = log.append(connection, entries);
      connection.commit();
      log.committed();
      connection.setAutoCommit(true);
      return first;
    }
  }

  static void execute(Database database, String sql, Object... parameters) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      statement.executeUpdate();
    }
  }

  static byte[] bytesOf(Database database, String sql, long key) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, key);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getBytes(1);
      }
    }
  }

  static long count(Database database, String table) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM " + table);
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Flips one bit of leaf {@code leafIndex}'s entry in the store. */
  static void flipLeafByte(Database database, long leafIndex) throws SQLException {
    byte[] entry = bytesOf(database, "SELECT entry FROM audit_leaf WHERE leaf_index = ?", leafIndex);
    entry[entry.length / 2] ^= 0x01;
    execute(database, "UPDATE audit_leaf SET entry = ? WHERE leaf_index = ?", entry, leafIndex);
  }

  /** Swaps the contents (entry and chain) of two leaf rows: the rows change places. */
  static void swapLeafRows(Database database, long first, long second) throws SQLException {
    byte[] firstEntry = bytesOf(database, "SELECT entry FROM audit_leaf WHERE leaf_index = ?", first);
    byte[] firstChain = bytesOf(database, "SELECT chain_hash FROM audit_leaf WHERE leaf_index = ?", first);
    byte[] secondEntry = bytesOf(database, "SELECT entry FROM audit_leaf WHERE leaf_index = ?", second);
    byte[] secondChain = bytesOf(database, "SELECT chain_hash FROM audit_leaf WHERE leaf_index = ?", second);
    execute(database, "UPDATE audit_leaf SET entry = ?, chain_hash = ? WHERE leaf_index = ?", secondEntry, secondChain, first);
    execute(database, "UPDATE audit_leaf SET entry = ?, chain_hash = ? WHERE leaf_index = ?", firstEntry, firstChain, second);
  }

  /** Swaps the signatures of two checkpoints. */
  static void swapSignatures(Database database, long first, long second) throws SQLException {
    String select = "SELECT signature FROM audit_checkpoint WHERE checkpoint_number = ?";
    byte[] a = bytesOf(database, select, first);
    byte[] b = bytesOf(database, select, second);
    execute(database, "UPDATE audit_checkpoint SET signature = ? WHERE checkpoint_number = ?", b, first);
    execute(database, "UPDATE audit_checkpoint SET signature = ? WHERE checkpoint_number = ?", a, second);
  }
}

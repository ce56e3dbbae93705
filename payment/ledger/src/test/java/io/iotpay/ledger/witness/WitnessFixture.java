package io.iotpay.ledger.witness;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.TestStores;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.ledger.audit.Checkpoint;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** A real audit log in a test store and the attacks on it that stand in for an insider with the database and the log's key. */
final class WitnessFixture {
  static final SecureRandom RANDOM = new SecureRandom();

  private WitnessFixture() {}

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

  static List<byte[]> entries(int from, int count, int alteredIndex) {
    List<byte[]> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      String text = "transfer " + i + " amountMinor=" + (i * 37 % 1000) + (i == alteredIndex ? " (rewritten)" : "");
      out.add(text.getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  static AuditLog open(Database database, AlgorithmSuite suite, KeyPair key) throws SQLException {
    // 1 s between automatic checkpoints; the tests sign theirs with checkpointNow(), so sizes are exact.
    return AuditLog.open(database, AuditLogConfig.of(suite, key).withCheckpointIntervalMs(1000));
  }

  /** Appends entries {@code from..from+count-1} (entry {@code alteredIndex} rewritten, -1 for none) and signs a checkpoint. */
  static Checkpoint grow(AuditLog log, int from, int count, int alteredIndex) throws SQLException {
    log.appendStandalone(entries(from, count, alteredIndex));
    return log.checkpointNow().orElseThrow();
  }

  static void execute(Database database, String sql, long parameter) throws SQLException {
    try (Connection connection = database.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, parameter);
      statement.executeUpdate();
    }
  }

  /** Deletes the newest {@code count} leaves of a log of {@code size} and every checkpoint beyond what is left. */
  static void truncate(Database database, long size, long count) throws SQLException {
    execute(database, "DELETE FROM audit_leaf WHERE leaf_index >= ?", size - count);
    execute(database, "DELETE FROM audit_checkpoint WHERE tree_size > ?", size - count);
  }

  /**
   * An insider with the database and the log's signing key rewrites history: every leaf and checkpoint
   * is deleted, then the same entries are appended again with entry {@code alteredIndex} changed, and
   * checkpoints are re-signed at the same sizes. The log is self-consistent afterwards.
   */
  static void rewrite(Database database, AlgorithmSuite suite, KeyPair key, int[] checkpointSizes, int alteredIndex)
      throws SQLException {
    execute(database, "DELETE FROM audit_leaf WHERE leaf_index >= ?", 0);
    execute(database, "DELETE FROM audit_checkpoint WHERE checkpoint_number >= ?", 0);
    try (AuditLog log = open(database, suite, key)) {
      int from = 0;
      for (int size : checkpointSizes) {
        grow(log, from, size - from, alteredIndex);
        from = size;
      }
    }
  }
}

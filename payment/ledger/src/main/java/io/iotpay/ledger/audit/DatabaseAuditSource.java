package io.iotpay.ledger.audit;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** The audit log as stored in a database, read without changing it. */
public final class DatabaseAuditSource implements AuditSource {
  private final Database database;

  private DatabaseAuditSource(Database database) {
    this.database = database;
  }

  /**
   * The audit log in {@code database}; the caller keeps ownership of the database.
   *
   * @throws AuditInputException when the database holds no audit log
   */
  public static DatabaseAuditSource of(Database database) throws SQLException {
    if (!AuditStore.exists(database)) {
      throw new AuditInputException("the database holds no audit log (table audit_log_info is missing)");
    }
    return new DatabaseAuditSource(database);
  }

  @Override
  public AlgorithmSuite suite() throws SQLException {
    try (Connection connection = database.connection()) {
      return AuditStore.suite(connection)
          .orElseThrow(() -> new AuditInputException("the audit log was never started (audit_log_info is empty)"));
    }
  }

  @Override
  public List<Checkpoint> checkpoints() throws SQLException {
    try (Connection connection = database.connection()) {
      return AuditStore.checkpoints(connection);
    }
  }

  @Override
  public Map<String, byte[]> publicKeysDer() throws SQLException {
    try (Connection connection = database.connection()) {
      return AuditStore.keys(connection);
    }
  }

  @Override
  public void forEachLeaf(LeafVisitor visitor) throws SQLException {
    AuditStore.forEachLeaf(database, visitor);
  }
}

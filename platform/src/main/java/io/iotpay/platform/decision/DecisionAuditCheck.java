package io.iotpay.platform.decision;

import io.iotpay.ledger.audit.LeafCheck;
import io.iotpay.foundation.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The audit verifier's cross-check between the platform's decision rows and the log (as
 * {@code LedgerAuditCheck} does for ledger rows): every {@code platform_decision} row must be the
 * leaf at its audit index byte for byte, every decision leaf must have its row and decode as a
 * version-1 decision. So an edited, deleted or moved decision row is named by its leaf.
 *
 * <p>Holds every row's bytes in memory (about 150 bytes each): fine for an operator's check.
 */
public final class DecisionAuditCheck implements LeafCheck {
  private final Map<Long, byte[]> rowsByLeaf;
  private final long leafCount;

  private DecisionAuditCheck(Map<Long, byte[]> rowsByLeaf, long leafCount) {
    this.rowsByLeaf = rowsByLeaf;
    this.leafCount = leafCount;
  }

  /**
   * Reads the decision rows of {@code database} (none if the platform's tables do not exist).
   *
   * @throws DecisionStoreException when the rows cannot be read
   */
  public static DecisionAuditCheck of(Database database) {
    Map<Long, byte[]> rows = new HashMap<>();
    try (Connection connection = database.connection()) {
      if (!tableExists(connection, "platform_decision")) {
        return new DecisionAuditCheck(rows, 0);
      }
      try (PreparedStatement select = connection.prepareStatement("SELECT audit_index, entry FROM platform_decision");
          ResultSet result = select.executeQuery()) {
        while (result.next()) {
          rows.put(result.getLong(1), result.getBytes(2));
        }
      }
      // The audit log's own table: the count tells which leaf is the last, where leftover rows are reported.
      try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM audit_leaf");
          ResultSet result = count.executeQuery()) {
        result.next();
        return new DecisionAuditCheck(rows, result.getLong(1));
      }
    } catch (SQLException e) {
      throw new DecisionStoreException("cannot read the decision rows for the audit cross-check", e);
    }
  }

  @Override
  public Optional<String> problem(long leafIndex, byte[] entry) {
    byte[] row = rowsByLeaf.remove(leafIndex);
    Optional<String> problem = problem(row, entry);
    if (problem.isEmpty() && leafIndex == leafCount - 1 && !rowsByLeaf.isEmpty()) {
      return Optional.of("decision rows claim audit leaves beyond the log: " + new TreeSet<>(rowsByLeaf.keySet()));
    }
    return problem;
  }

  private static Optional<String> problem(byte[] row, byte[] entry) {
    boolean decisionLeaf = DecisionCodec.isDecision(entry);
    if (row == null) {
      return decisionLeaf ? Optional.of("no platform_decision row is recorded at this decision leaf (deleted or moved)") : Optional.empty();
    }
    if (!Arrays.equals(row, entry)) {
      return Optional.of("the platform_decision row recorded at this leaf differs from the leaf");
    }
    try {
      DecisionCodec.decode(entry, 0);
      return Optional.empty();
    } catch (DecisionInputException e) {
      return Optional.of("decision leaf does not decode: " + e.getMessage());
    }
  }

  private static boolean tableExists(Connection connection, String table) throws SQLException {
    // In the connection's own schema only: on PostgreSQL another schema of the same database may have one.
    try (ResultSet tables = connection.getMetaData().getTables(null, connection.getSchema(), table, null)) {
      return tables.next();
    }
  }
}

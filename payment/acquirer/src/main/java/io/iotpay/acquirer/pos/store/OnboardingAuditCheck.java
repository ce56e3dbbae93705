package io.iotpay.acquirer.pos.store;

import io.iotpay.acquirer.pos.merchant.AuditEvent;
import io.iotpay.acquirer.pos.merchant.OnboardingStoreException;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.audit.LeafCheck;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The audit verifier's cross-check between the onboarding trail and the log (as the platform's
 * {@code DecisionAuditCheck} does for decisions): every {@code pos_event} row, encoded again, must be
 * the leaf at its audit index byte for byte, and every onboarding leaf must have its row. So an
 * edited, deleted or moved state change is named by its leaf.
 *
 * <p>Holds every row's encoding in memory (about 100 bytes each): fine for an operator's check.
 */
public final class OnboardingAuditCheck implements LeafCheck {
  private final Map<Long, byte[]> rowsByLeaf;
  private final long leafCount;

  private OnboardingAuditCheck(Map<Long, byte[]> rowsByLeaf, long leafCount) {
    this.rowsByLeaf = rowsByLeaf;
    this.leafCount = leafCount;
  }

  /**
   * Reads the onboarding rows of {@code database} (none if its tables do not exist).
   *
   * @throws OnboardingStoreException when the rows cannot be read
   */
  public static OnboardingAuditCheck of(Database database) {
    Map<Long, byte[]> rows = new HashMap<>();
    try (Connection connection = database.connection()) {
      if (!tableExists(connection, "pos_event")) {
        return new OnboardingAuditCheck(rows, 0);
      }
      try (PreparedStatement select = connection.prepareStatement(
              "SELECT subject_kind, subject_id, from_state, to_state, actor, at_ms, reason, audit_index FROM pos_event");
          ResultSet result = select.executeQuery()) {
        while (result.next()) {
          AuditEvent event = new AuditEvent(result.getString(1), result.getString(2), result.getString(3), result.getString(4),
              result.getString(5), Instant.ofEpochMilli(result.getLong(6)), result.getString(7));
          rows.put(result.getLong(8), event.leaf());
        }
      }
      try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM audit_leaf");
          ResultSet result = count.executeQuery()) {
        result.next();
        return new OnboardingAuditCheck(rows, result.getLong(1));
      }
    } catch (SQLException e) {
      throw new OnboardingStoreException("cannot read the onboarding rows for the audit cross-check", e);
    }
  }

  @Override
  public Optional<String> problem(long leafIndex, byte[] entry) {
    byte[] row = rowsByLeaf.remove(leafIndex);
    Optional<String> problem;
    if (row == null) {
      problem = AuditEvent.isOnboardingLeaf(entry)
          ? Optional.of("no pos_event row is recorded at this onboarding leaf (deleted or moved)")
          : Optional.empty();
    } else if (!Arrays.equals(row, entry)) {
      problem = Optional.of("the pos_event row recorded at this leaf differs from the leaf");
    } else {
      problem = Optional.empty();
    }
    if (problem.isEmpty() && leafIndex == leafCount - 1 && !rowsByLeaf.isEmpty()) {
      return Optional.of("pos_event rows claim audit leaves beyond the log: " + new TreeSet<>(rowsByLeaf.keySet()));
    }
    return problem;
  }

  private static boolean tableExists(Connection connection, String table) throws SQLException {
    // In the connection's own schema only: on PostgreSQL another schema of the same database may have one.
    try (ResultSet tables = connection.getMetaData().getTables(null, connection.getSchema(), table, null)) {
      return tables.next();
    }
  }
}

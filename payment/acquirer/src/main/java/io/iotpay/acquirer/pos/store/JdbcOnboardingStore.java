package io.iotpay.acquirer.pos.store;

import io.iotpay.acquirer.pos.merchant.AuditEvent;
import io.iotpay.acquirer.pos.merchant.Check;
import io.iotpay.acquirer.pos.merchant.Finding;
import io.iotpay.acquirer.pos.merchant.Merchant;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.merchant.MerchantState;
import io.iotpay.acquirer.pos.merchant.OnboardingStore;
import io.iotpay.acquirer.pos.merchant.OnboardingStoreException;
import io.iotpay.acquirer.pos.merchant.SettlementAccount;
import io.iotpay.acquirer.pos.merchant.Terminal;
import io.iotpay.acquirer.pos.merchant.TerminalId;
import io.iotpay.acquirer.pos.merchant.TerminalState;
import io.iotpay.acquirer.pos.merchant.Verdict;
import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.audit.AuditLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The onboarding store on SQLite or PostgreSQL (migrations under {@code db/acquirer-pos/}). Every
 * state change is appended to the {@link AuditLog} as a leaf ({@link AuditEvent#leaf()}) in the same
 * transaction as its rows, and its leaf index is kept with the event row.
 */
public final class JdbcOnboardingStore implements OnboardingStore {
  static final String COMPONENT = "acquirer-pos";
  private static final String MERCHANT_COLUMNS = "merchant_id, state, legal_name, licence_number, owner_id_masked, mcc, address, "
      + "bank_id, account_number, registered_at_ms, state_changed_at_ms, state_reason";
  private static final String TERMINAL_COLUMNS =
      "terminal_id, merchant_id, suite, state, certificate_der, enrolled_at_ms, state_changed_at_ms, state_reason";

  private final Database database;
  private final AuditLog auditLog;

  private JdbcOnboardingStore(Database database, AuditLog auditLog) {
    this.database = database;
    this.auditLog = auditLog;
  }

  /**
   * Migrates the onboarding tables and returns the store. The audit log must live in the same
   * database (its leaves are written in the store's transactions). The caller closes both.
   */
  public static JdbcOnboardingStore open(Database database, AuditLog auditLog) {
    Assert.notNull(database, "database");
    Assert.notNull(auditLog, "auditLog");
    database.migrate(COMPONENT);
    return new JdbcOnboardingStore(database, auditLog);
  }

  /** Work on one connection. */
  @FunctionalInterface
  private interface Work<T> {
    T run(Connection tx) throws SQLException;
  }

  private <T> T write(String what, WriteWork<T> work) {
    try {
      return database.writing(() -> {
        try (Connection connection = database.connection()) {
          connection.setAutoCommit(false);
          Tx tx = new Tx(connection);
          try {
            T result = work.run(tx);
            connection.commit();
            if (tx.appended) {
              auditLog.committed();
            }
            return result;
          } catch (SQLException | RuntimeException e) {
            connection.rollback();
            // A no-op when nothing is pending (no append, or an append that failed and cleaned up itself).
            auditLog.rolledBack();
            throw e;
          } finally {
            connection.setAutoCommit(true);
          }
        }
      });
    } catch (SQLException e) {
      throw new OnboardingStoreException("cannot " + what, e);
    }
  }

  /** A write transaction's connection, and whether an audit leaf was appended in it (then the log must hear of the commit). */
  private static final class Tx {
    final Connection connection;
    boolean appended;

    Tx(Connection connection) {
      this.connection = connection;
    }
  }

  @FunctionalInterface
  private interface WriteWork<T> {
    T run(Tx tx) throws SQLException;
  }

  private <T> T read(String what, Work<T> work) {
    try (Connection connection = database.connection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new OnboardingStoreException("cannot " + what, e);
    }
  }

  /** Appends the event's leaf (opening the log's append, closed by commit/rollback in {@link #write}) and its row. */
  private void record(Tx t, AuditEvent event) throws SQLException {
    Connection tx = t.connection;
    long index = auditLog.append(tx, List.of(event.leaf()));
    t.appended = true;
    try (PreparedStatement insert = tx.prepareStatement("INSERT INTO pos_event (subject_kind, subject_id, from_state, to_state, "
        + "actor, at_ms, reason, audit_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, event.subjectKind());
      insert.setString(2, event.subjectId());
      insert.setString(3, event.from());
      insert.setString(4, event.to());
      insert.setString(5, event.actor());
      insert.setLong(6, event.at().toEpochMilli());
      insert.setString(7, event.reason());
      insert.setLong(8, index);
      insert.executeUpdate();
    }
  }

  @Override
  public Optional<SeenRequest> request(String requestId) {
    return read("read a registration request", c -> {
      try (PreparedStatement select = c.prepareStatement("SELECT merchant_id, fingerprint FROM pos_request WHERE request_id = ?")) {
        select.setString(1, requestId);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.of(new SeenRequest(new MerchantId(rows.getString(1)), rows.getBytes(2))) : Optional.empty();
        }
      }
    });
  }

  @Override
  public Optional<Merchant> merchant(MerchantId id) {
    return read("read a merchant", c -> {
      try (PreparedStatement select = c.prepareStatement("SELECT " + MERCHANT_COLUMNS + " FROM pos_merchant WHERE merchant_id = ?")) {
        select.setString(1, id.value());
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.of(merchantOf(rows)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public Optional<byte[]> ownerIdHash(MerchantId id) {
    return read("read a merchant", c -> {
      try (PreparedStatement select = c.prepareStatement("SELECT owner_id_hash FROM pos_merchant WHERE merchant_id = ?")) {
        select.setString(1, id.value());
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.of(rows.getBytes(1)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public boolean licenceHeldByOther(String licenceNumber, MerchantId self) {
    return read("look up a licence", c -> {
      try (PreparedStatement select = c.prepareStatement(
          "SELECT 1 FROM pos_merchant WHERE licence_number = ? AND merchant_id <> ? AND state <> 'REJECTED' LIMIT 1")) {
        select.setString(1, licenceNumber);
        select.setString(2, self.value());
        try (ResultSet rows = select.executeQuery()) {
          return rows.next();
        }
      }
    });
  }

  @Override
  public void create(Merchant m, String requestId, byte[] fingerprint, byte[] ownerIdHash, AuditEvent event) {
    write("store a merchant", t -> {
      Connection tx = t.connection;
      record(t, event);
      try (PreparedStatement insert = tx.prepareStatement("INSERT INTO pos_merchant (" + MERCHANT_COLUMNS
          + ", legal_name_folded, owner_id_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, m.id().value());
        insert.setString(2, m.state().name());
        insert.setString(3, m.legalName());
        insert.setString(4, m.licenceNumber());
        insert.setString(5, m.ownerIdMasked());
        insert.setString(6, m.mcc());
        insert.setString(7, m.address());
        insert.setString(8, m.settlementAccount().bankId());
        insert.setString(9, m.settlementAccount().accountNumber());
        insert.setLong(10, m.registeredAt().toEpochMilli());
        insert.setLong(11, m.stateChangedAt().toEpochMilli());
        insert.setString(12, m.stateReason());
        insert.setString(13, fold(m.legalName()));
        insert.setBytes(14, ownerIdHash);
        insert.executeUpdate();
      }
      try (PreparedStatement insert = tx.prepareStatement("INSERT INTO pos_request (request_id, merchant_id, fingerprint) VALUES (?, ?, ?)")) {
        insert.setString(1, requestId);
        insert.setString(2, m.id().value());
        insert.setBytes(3, fingerprint);
        insert.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public boolean update(Merchant updated, MerchantState from, List<Finding> findings, AuditEvent event) {
    return write("change a merchant's state", t -> {
      Connection tx = t.connection;
      try (PreparedStatement update = tx.prepareStatement("UPDATE pos_merchant SET state = ?, state_changed_at_ms = ?, state_reason = ? "
          + "WHERE merchant_id = ? AND state = ?")) {
        update.setString(1, updated.state().name());
        update.setLong(2, updated.stateChangedAt().toEpochMilli());
        update.setString(3, updated.stateReason());
        update.setString(4, updated.id().value());
        update.setString(5, from.name());
        if (update.executeUpdate() != 1) {
          return false;
        }
      }
      if (event != null) {
        record(t, event);
      }
      insertFindings(tx, updated.id(), findings);
      return true;
    });
  }

  private static void insertFindings(Connection tx, MerchantId id, List<Finding> findings) throws SQLException {
    if (findings.isEmpty()) {
      return;
    }
    long next;
    try (PreparedStatement select = tx.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM pos_finding WHERE merchant_id = ?")) {
      select.setString(1, id.value());
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        next = rows.getLong(1) + 1;
      }
    }
    try (PreparedStatement insert = tx.prepareStatement(
        "INSERT INTO pos_finding (merchant_id, seq, check_name, verdict, reason, checked_at_ms) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (Finding finding : findings) {
        insert.setString(1, id.value());
        insert.setLong(2, next++);
        insert.setString(3, finding.check().name());
        insert.setString(4, finding.verdict().name());
        insert.setString(5, finding.reason());
        insert.setLong(6, finding.checkedAt().toEpochMilli());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  @Override
  public List<Finding> findings(MerchantId id) {
    return read("read findings", c -> {
      try (PreparedStatement select = c.prepareStatement(
          "SELECT check_name, verdict, reason, checked_at_ms FROM pos_finding WHERE merchant_id = ? ORDER BY seq")) {
        select.setString(1, id.value());
        List<Finding> out = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            out.add(new Finding(Check.valueOf(rows.getString(1)), Verdict.valueOf(rows.getString(2)), rows.getString(3),
                Instant.ofEpochMilli(rows.getLong(4))));
          }
        }
        return out;
      }
    });
  }

  @Override
  public List<AuditEvent> history(String subjectKind, String subjectId) {
    return read("read a history", c -> {
      try (PreparedStatement select = c.prepareStatement("SELECT subject_kind, subject_id, from_state, to_state, actor, at_ms, reason "
          + "FROM pos_event WHERE subject_kind = ? AND subject_id = ? ORDER BY event_id")) {
        select.setString(1, subjectKind);
        select.setString(2, subjectId);
        List<AuditEvent> out = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            out.add(new AuditEvent(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                Instant.ofEpochMilli(rows.getLong(6)), rows.getString(7)));
          }
        }
        return out;
      }
    });
  }

  /** The audit log leaf indices of a subject's events, oldest first (for proofs and tests). */
  public List<Long> auditIndices(String subjectKind, String subjectId) {
    return read("read audit indices", c -> {
      try (PreparedStatement select = c.prepareStatement(
          "SELECT audit_index FROM pos_event WHERE subject_kind = ? AND subject_id = ? ORDER BY event_id")) {
        select.setString(1, subjectKind);
        select.setString(2, subjectId);
        List<Long> out = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            out.add(rows.getLong(1));
          }
        }
        return out;
      }
    });
  }

  @Override
  public List<Merchant> list(MerchantState state, String search, MerchantId after, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + MERCHANT_COLUMNS + " FROM pos_merchant WHERE merchant_id > ?");
    List<String> args = new ArrayList<>();
    args.add(after == null ? "" : after.value());
    if (state != null) {
      sql.append(" AND state = ?");
      args.add(state.name());
    }
    if (search != null) {
      sql.append(" AND (legal_name_folded LIKE ? ESCAPE '!' OR licence_number = ?)");
      args.add("%" + fold(search).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
      args.add(search.replace(" ", "").replace("-", "").toUpperCase(Locale.ROOT));
    }
    sql.append(" ORDER BY merchant_id LIMIT ?");
    return read("list merchants", c -> {
      try (PreparedStatement select = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          select.setString(i + 1, args.get(i));
        }
        select.setInt(args.size() + 1, limit);
        List<Merchant> out = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            out.add(merchantOf(rows));
          }
        }
        return out;
      }
    });
  }

  @Override
  public boolean createTerminal(Terminal terminal, AuditEvent event) {
    if (terminal(terminal.id()).isPresent()) {
      return false;
    }
    return write("store a terminal", t -> {
      Connection tx = t.connection;
      record(t, event);
      try (PreparedStatement insert = tx.prepareStatement("INSERT INTO pos_terminal (" + TERMINAL_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, terminal.id().value());
        insert.setString(2, terminal.merchantId().value());
        insert.setString(3, terminal.suite().name());
        insert.setString(4, terminal.state().name());
        insert.setBytes(5, terminal.certificateDer());
        insert.setLong(6, terminal.enrolledAt().toEpochMilli());
        insert.setLong(7, terminal.stateChangedAt().toEpochMilli());
        insert.setString(8, terminal.stateReason());
        insert.executeUpdate();
      }
      return true;
    });
  }

  @Override
  public boolean updateTerminal(Terminal updated, TerminalState from, AuditEvent event) {
    return write("change a terminal's state", t -> {
      Connection tx = t.connection;
      try (PreparedStatement update = tx.prepareStatement("UPDATE pos_terminal SET state = ?, state_changed_at_ms = ?, state_reason = ? "
          + "WHERE terminal_id = ? AND state = ?")) {
        update.setString(1, updated.state().name());
        update.setLong(2, updated.stateChangedAt().toEpochMilli());
        update.setString(3, updated.stateReason());
        update.setString(4, updated.id().value());
        update.setString(5, from.name());
        if (update.executeUpdate() != 1) {
          return false;
        }
      }
      record(t, event);
      return true;
    });
  }

  @Override
  public Optional<Terminal> terminal(TerminalId id) {
    return read("read a terminal", c -> {
      try (PreparedStatement select = c.prepareStatement("SELECT " + TERMINAL_COLUMNS + " FROM pos_terminal WHERE terminal_id = ?")) {
        select.setString(1, id.value());
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.of(terminalOf(rows)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<Terminal> terminals(MerchantId merchantId) {
    return read("list terminals", c -> {
      try (PreparedStatement select = c.prepareStatement(
          "SELECT " + TERMINAL_COLUMNS + " FROM pos_terminal WHERE merchant_id = ? ORDER BY terminal_id")) {
        select.setString(1, merchantId.value());
        List<Terminal> out = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            out.add(terminalOf(rows));
          }
        }
        return out;
      }
    });
  }

  private static Merchant merchantOf(ResultSet rows) throws SQLException {
    return new Merchant(new MerchantId(rows.getString(1)), MerchantState.valueOf(rows.getString(2)), rows.getString(3), rows.getString(4),
        rows.getString(5), rows.getString(6), rows.getString(7), new SettlementAccount(rows.getString(8), rows.getString(9)),
        Instant.ofEpochMilli(rows.getLong(10)), Instant.ofEpochMilli(rows.getLong(11)), rows.getString(12));
  }

  private static Terminal terminalOf(ResultSet rows) throws SQLException {
    return new Terminal(new TerminalId(rows.getString(1)), new MerchantId(rows.getString(2)), AlgorithmSuite.valueOf(rows.getString(3)),
        TerminalState.valueOf(rows.getString(4)), rows.getBytes(5), Instant.ofEpochMilli(rows.getLong(6)),
        Instant.ofEpochMilli(rows.getLong(7)), rows.getString(8));
  }

  private static String fold(String text) {
    return text.toLowerCase(Locale.ROOT);
  }
}

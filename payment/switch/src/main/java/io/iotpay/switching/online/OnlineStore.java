package io.iotpay.switching.online;

import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.Mti;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The online switch's tables (db/switch-online): message log, stand-in exposure, advice queue, exceptions. */
final class OnlineStore {
  static final String COMPONENT = "switch-online";
  private final Database database;

  OnlineStore(Database database) {
    this.database = database;
    database.migrate(COMPONENT);
  }

  /** A queued advice as read back: its sealed bytes are opened by the caller. */
  record QueuedAdvice(long seq, PartyId issuer, Mti mti, byte[] sealed, int attempts) {}

  /** A stand-in approval still holding exposure. */
  record StandInApproval(long id, PartyId issuer, String approvalCode) {}

  void insertLog(List<LogEntry> batch) {
    String sql = "INSERT INTO online_message_log (logged_at_ms, acquirer, issuer, request_mti, response_mti, stan, rrn,"
        + " terminal_id, pan_masked, pan_hash, amount_minor, currency, response_code, approval_code, answered_by,"
        + " issuer_ms, total_ms, transmitted_at, original_stan, original_transmitted_at, processing_code)"
        + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    write("insert message log", connection -> {
      connection.setAutoCommit(false); // one transaction per batch: one sync, not one per row
      try (PreparedStatement insert = connection.prepareStatement(sql)) {
        for (LogEntry e : batch) {
          CardTransaction t = e.transaction();
          CardResponse r = e.response();
          insert.setLong(1, e.loggedAtMs());
          insert.setString(2, e.acquirer().value());
          insert.setString(3, e.issuer() == null ? null : e.issuer().value());
          insert.setString(4, e.requestMti().code());
          insert.setString(5, r == null ? null : r.mti().code());
          insert.setInt(6, t.stan());
          insert.setString(7, t.rrn());
          insert.setString(8, t.terminalId());
          insert.setString(9, t.pan().masked());
          insert.setString(10, e.panHash());
          insert.setLong(11, t.amount().amountMinor());
          insert.setString(12, t.amount().currency().alphaCode());
          insert.setString(13, r == null ? null : r.responseCode().code());
          insert.setString(14, r == null ? null : r.approvalCode());
          insert.setString(15, e.answeredBy().name());
          if (e.issuerMs() < 0) {
            insert.setNull(16, Types.BIGINT);
          } else {
            insert.setLong(16, e.issuerMs());
          }
          insert.setLong(17, e.totalMs());
          insert.setString(18, t.transmittedAt().field7());
          if (e.original() == null) {
            insert.setNull(19, Types.INTEGER);
            insert.setNull(20, Types.VARCHAR);
          } else {
            insert.setInt(19, e.original().stan());
            insert.setString(20, e.original().transmittedAt().field7());
          }
          insert.setString(21, t.processingCode());
          insert.addBatch();
        }
        insert.executeBatch();
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
      return null;
    });
  }

  /** Unreleased stand-in approvals of one day, in minor units: of one card, and of the whole issuer. */
  record StandInTotals(long cardMinor, long issuerMinor) {}

  StandInTotals standInTotals(PartyId issuer, String businessDate, String panHash, String currency) {
    String sql = "SELECT COALESCE(SUM(amount_minor), 0), COALESCE(SUM(CASE WHEN pan_hash = ? THEN amount_minor ELSE 0 END), 0)"
        + " FROM online_stip_approval WHERE issuer = ? AND business_date = ? AND currency = ? AND released = 0";
    return read("read stand-in totals", connection -> {
      try (PreparedStatement query = connection.prepareStatement(sql)) {
        query.setString(1, panHash);
        query.setString(2, issuer.value());
        query.setString(3, businessDate);
        query.setString(4, currency);
        try (ResultSet rows = query.executeQuery()) {
          rows.next();
          return new StandInTotals(rows.getLong(2), rows.getLong(1));
        }
      }
    });
  }

  void insertStandInApproval(PartyId issuer, String panHash, String businessDate, CardTransaction t, String approvalCode) {
    String sql = "INSERT INTO online_stip_approval (issuer, pan_hash, business_date, amount_minor, currency, acquirer_id,"
        + " terminal_id, stan, transmitted_at, approval_code) VALUES (?,?,?,?,?,?,?,?,?,?)";
    write("insert stand-in approval", connection -> {
      try (PreparedStatement insert = connection.prepareStatement(sql)) {
        insert.setString(1, issuer.value());
        insert.setString(2, panHash);
        insert.setString(3, businessDate);
        insert.setLong(4, t.amount().amountMinor());
        insert.setString(5, t.amount().currency().alphaCode());
        insert.setString(6, t.acquirerId());
        insert.setString(7, t.terminalId());
        insert.setInt(8, t.stan());
        insert.setString(9, t.transmittedAt().field7());
        insert.setString(10, approvalCode);
        insert.executeUpdate();
      }
      return null;
    });
  }

  /** The unreleased stand-in approval of the original a reversal names (field 90 + terminal), if any. */
  Optional<StandInApproval> standInApproval(String acquirerId, String terminalId, int stan, String transmittedAt) {
    String sql = "SELECT id, issuer, approval_code FROM online_stip_approval WHERE acquirer_id = ? AND terminal_id = ?"
        + " AND stan = ? AND transmitted_at = ? AND released = 0";
    return read("read stand-in approval", connection -> {
      try (PreparedStatement query = connection.prepareStatement(sql)) {
        query.setString(1, acquirerId);
        query.setString(2, terminalId);
        query.setInt(3, stan);
        query.setString(4, transmittedAt);
        try (ResultSet rows = query.executeQuery()) {
          return rows.next()
              ? Optional.of(new StandInApproval(rows.getLong(1), PartyId.of(rows.getString(2)), rows.getString(3)))
              : Optional.empty();
        }
      }
    });
  }

  void releaseStandInApproval(long id) {
    write("release stand-in approval", connection -> {
      try (PreparedStatement update = connection.prepareStatement("UPDATE online_stip_approval SET released = 1 WHERE id = ?")) {
        update.setLong(1, id);
        update.executeUpdate();
      }
      return null;
    });
  }

  void enqueueAdvice(PartyId issuer, Mti mti, int stan, String terminalId, byte[] sealed, long nowMs) {
    String sql = "INSERT INTO online_advice (issuer, mti, stan, terminal_id, sealed, queued_at_ms) VALUES (?,?,?,?,?,?)";
    write("enqueue advice", connection -> {
      try (PreparedStatement insert = connection.prepareStatement(sql)) {
        insert.setString(1, issuer.value());
        insert.setString(2, mti.code());
        insert.setInt(3, stan);
        insert.setString(4, terminalId);
        insert.setBytes(5, sealed);
        insert.setLong(6, nowMs);
        insert.executeUpdate();
      }
      return null;
    });
  }

  /** The oldest undelivered advice of {@code issuer}: advices go out one at a time, in order. */
  Optional<QueuedAdvice> oldestAdvice(PartyId issuer) {
    String sql = "SELECT seq, mti, sealed, attempts FROM online_advice WHERE issuer = ? AND delivered_at_ms IS NULL"
        + " ORDER BY seq LIMIT 1";
    return read("read advice queue", connection -> {
      try (PreparedStatement query = connection.prepareStatement(sql)) {
        query.setString(1, issuer.value());
        try (ResultSet rows = query.executeQuery()) {
          if (!rows.next()) {
            return Optional.empty();
          }
          Mti mti = Mti.byTypeNumber(Integer.parseInt(rows.getString(2), 16));
          return Optional.of(new QueuedAdvice(rows.getLong(1), issuer, mti, rows.getBytes(3), rows.getInt(4)));
        }
      }
    });
  }

  long pendingAdvices(PartyId issuer) {
    return read("count advice queue", connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT COUNT(*) FROM online_advice WHERE issuer = ? AND delivered_at_ms IS NULL")) {
        query.setString(1, issuer.value());
        try (ResultSet rows = query.executeQuery()) {
          rows.next();
          return rows.getLong(1);
        }
      }
    });
  }

  void adviceAttempted(long seq, boolean acknowledged, long nowMs) {
    String sql = "UPDATE online_advice SET attempts = attempts + 1, delivered_at_ms = ? WHERE seq = ?"
        + " AND delivered_at_ms IS NULL";
    write("mark advice", connection -> {
      try (PreparedStatement update = connection.prepareStatement(sql)) {
        if (acknowledged) {
          update.setLong(1, nowMs);
        } else {
          update.setNull(1, Types.BIGINT);
        }
        update.setLong(2, seq);
        update.executeUpdate();
      }
      return null;
    });
  }

  void insertException(PartyId issuer, String kind, CardTransaction t, String panHash, String standInCode,
      String issuerCode, long nowMs) {
    String sql = "INSERT INTO online_stip_exception (recorded_at_ms, issuer, kind, acquirer_id, terminal_id, stan, rrn,"
        + " pan_hash, amount_minor, currency, stand_in_code, issuer_code) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";
    write("insert stand-in exception", connection -> {
      try (PreparedStatement insert = connection.prepareStatement(sql)) {
        insert.setLong(1, nowMs);
        insert.setString(2, issuer.value());
        insert.setString(3, kind);
        insert.setString(4, t.acquirerId());
        insert.setString(5, t.terminalId());
        insert.setInt(6, t.stan());
        insert.setString(7, t.rrn());
        insert.setString(8, panHash);
        insert.setLong(9, t.amount().amountMinor());
        insert.setString(10, t.amount().currency().alphaCode());
        insert.setString(11, standInCode);
        insert.setString(12, issuerCode);
        insert.executeUpdate();
      }
      return null;
    });
  }

  /** Rows of one query as strings, for tests and reports: each row's columns in order. */
  List<List<String>> rows(String sql) {
    return read("read rows", connection -> {
      try (PreparedStatement query = connection.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
        int columns = rows.getMetaData().getColumnCount();
        List<List<String>> out = new ArrayList<>();
        while (rows.next()) {
          List<String> row = new ArrayList<>(columns);
          for (int c = 1; c <= columns; c++) {
            row.add(rows.getString(c));
          }
          out.add(row);
        }
        return out;
      }
    });
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T write(String what, Work<T> work) {
    return database.writing(() -> read(what, work));
  }

  private <T> T read(String what, Work<T> work) {
    try (Connection connection = database.connection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new OnlineStoreException(what + " failed: " + e.getMessage(), e);
    }
  }
}

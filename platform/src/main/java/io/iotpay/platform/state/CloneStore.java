package io.iotpay.platform.state;

import io.iotpay.foundation.store.Database;
import io.iotpay.platform.identity.DeviceId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables {@code platform_clone_suspicion} and {@code platform_clone_evidence} (db/platform V3): one
 * row per device ever suspected, the latest suspicion with its verdict, and its evidence rows.
 */
final class CloneStore {
  private final Database database;

  /** Migrates the platform's tables (V3 adds these two). */
  CloneStore(Database database) {
    this.database = database;
    database.migrate("platform");
  }

  /**
   * Writes {@code suspicion} in one transaction: its row (inserted or replaced) and its evidence
   * rows from {@code fromSeq} on (rows before it are already stored and never change).
   *
   * @param fromSeq 0 for a new suspicion (every earlier evidence row of the device is deleted)
   */
  void save(CloneSuspicion suspicion, int fromSeq) throws SQLException {
    database.inTransaction(connection -> {
      String device = suspicion.deviceId().value();
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM platform_clone_evidence WHERE device_id = ? AND seq >= ?")) {
        delete.setString(1, device);
        delete.setInt(2, fromSeq);
        delete.executeUpdate();
      }
      upsert(connection, suspicion);
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO platform_clone_evidence"
          + " (device_id, seq, kind, at_ms, place, session, counter) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        List<CloneEvidence> rows = suspicion.evidence();
        for (int seq = fromSeq; seq < rows.size(); seq++) {
          CloneEvidence row = rows.get(seq);
          insert.setString(1, device);
          insert.setInt(2, seq);
          insert.setString(3, row.kind().name());
          insert.setLong(4, row.at().toEpochMilli());
          insert.setString(5, row.place());
          insert.setString(6, row.session());
          insert.setLong(7, row.counter());
          insert.addBatch();
        }
        insert.executeBatch();
      }
      return null;
    });
  }

  private static void upsert(Connection connection, CloneSuspicion s) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO platform_clone_suspicion (device_id, status, summary,"
        + " suspected_at_ms, evidence_dropped, verdict_at_ms, verdict_reason, verdict_audit_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (device_id) DO UPDATE SET status = excluded.status, summary = excluded.summary,"
        + " suspected_at_ms = excluded.suspected_at_ms, evidence_dropped = excluded.evidence_dropped,"
        + " verdict_at_ms = excluded.verdict_at_ms, verdict_reason = excluded.verdict_reason,"
        + " verdict_audit_index = excluded.verdict_audit_index")) {
      upsert.setString(1, s.deviceId().value());
      upsert.setString(2, s.status().name());
      upsert.setString(3, s.summary());
      upsert.setLong(4, s.suspectedAt().toEpochMilli());
      upsert.setLong(5, s.evidenceDropped());
      if (s.verdictAt() == null) {
        upsert.setNull(6, Types.BIGINT);
      } else {
        upsert.setLong(6, s.verdictAt().toEpochMilli());
      }
      upsert.setString(7, s.verdictReason());
      if (s.verdictAuditIndex() == null) {
        upsert.setNull(8, Types.BIGINT);
      } else {
        upsert.setLong(8, s.verdictAuditIndex());
      }
      upsert.executeUpdate();
    }
  }

  /**
   * The suspicions in force (suspected or confirmed), with their evidence in order; a malformed row
   * is refused by the records' own checks (StateInputException, DeviceIdException).
   */
  List<CloneSuspicion> inForce() throws SQLException {
    Map<String, CloneSuspicion> found = new LinkedHashMap<>();
    Map<String, List<CloneEvidence>> evidence = new LinkedHashMap<>();
    try (Connection connection = database.connection()) {
      try (PreparedStatement select = connection.prepareStatement("SELECT device_id, status, summary, suspected_at_ms,"
          + " evidence_dropped, verdict_at_ms, verdict_reason, verdict_audit_index FROM platform_clone_suspicion"
          + " WHERE status <> 'CLEARED' ORDER BY device_id");
          ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          long verdictMs = rows.getLong(6);
          Instant verdictAt = rows.wasNull() ? null : Instant.ofEpochMilli(verdictMs);
          long auditIndex = rows.getLong(8);
          Long verdictAuditIndex = rows.wasNull() ? null : auditIndex;
          found.put(rows.getString(1), new CloneSuspicion(DeviceId.of(rows.getString(1)), CloneSuspicion.Status.valueOf(rows.getString(2)),
              rows.getString(3), Instant.ofEpochMilli(rows.getLong(4)), List.of(), rows.getLong(5), verdictAt, rows.getString(7),
              verdictAuditIndex));
          evidence.put(rows.getString(1), new ArrayList<>());
        }
      }
      try (PreparedStatement select = connection.prepareStatement("SELECT e.device_id, e.kind, e.at_ms, e.place, e.session, e.counter"
          + " FROM platform_clone_evidence e JOIN platform_clone_suspicion s ON s.device_id = e.device_id"
          + " WHERE s.status <> 'CLEARED' ORDER BY e.device_id, e.seq");
          ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          evidence.get(rows.getString(1)).add(new CloneEvidence(CloneEvidence.Kind.valueOf(rows.getString(2)),
              Instant.ofEpochMilli(rows.getLong(3)), rows.getString(4), rows.getString(5), rows.getLong(6)));
        }
      }
    }
    List<CloneSuspicion> out = new ArrayList<>(found.size());
    found.forEach((device, s) -> out.add(new CloneSuspicion(s.deviceId(), s.status(), s.summary(), s.suspectedAt(), evidence.get(device),
        s.evidenceDropped(), s.verdictAt(), s.verdictReason(), s.verdictAuditIndex())));
    return out;
  }
}

package io.iotpay.switching;

import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.PartyId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** JDBC persistence of what the switch must remember across restarts (Flyway component "switch"). */
public final class SwitchStore {
  /** One accepted offline file, in acceptance order. */
  public record AcceptedFile(long acceptedSequence, PartyId sender, long fileSequence, String sha256Hex,
      LocalDate businessDate, String archiveName) {}

  private final Database database;
  private final String switchId;

  public SwitchStore(Database database, PartyId switchId) {
    this.database = database;
    this.switchId = switchId.value();
    database.migrate("switch");
  }

  public List<AcceptedFile> acceptedFiles() {
    String sql = "SELECT accepted_seq, sender, file_sequence, sha256, business_date, archive_name"
        + " FROM switch_accepted_file WHERE switch_id = ? ORDER BY accepted_seq";
    List<AcceptedFile> files = new ArrayList<>();
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, switchId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          files.add(new AcceptedFile(r.getLong(1), PartyId.of(r.getString(2)), r.getLong(3), r.getString(4),
              LocalDate.parse(r.getString(5)), r.getString(6)));
        }
      }
    } catch (SQLException e) {
      throw new SwitchStoreException("cannot read accepted files", e);
    }
    return files;
  }

  public void insertAcceptedFile(AcceptedFile file) {
    String sql = "INSERT INTO switch_accepted_file (switch_id, accepted_seq, sender, file_sequence, sha256,"
        + " business_date, archive_name) VALUES (?, ?, ?, ?, ?, ?, ?)";
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, switchId);
      s.setLong(2, file.acceptedSequence());
      s.setString(3, file.sender().value());
      s.setLong(4, file.fileSequence());
      s.setString(5, file.sha256Hex());
      s.setString(6, file.businessDate().toString());
      s.setString(7, file.archiveName());
      s.executeUpdate();
    } catch (SQLException e) {
      throw new SwitchStoreException("cannot record accepted file " + file.sender() + "#" + file.fileSequence(), e);
    }
  }

  public Set<LocalDate> settledDays() {
    Set<LocalDate> days = new HashSet<>();
    try (Connection c = database.connection();
        PreparedStatement s = c.prepareStatement("SELECT business_date FROM switch_settled_day WHERE switch_id = ?")) {
      s.setString(1, switchId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          days.add(LocalDate.parse(r.getString(1)));
        }
      }
    } catch (SQLException e) {
      throw new SwitchStoreException("cannot read settled days", e);
    }
    return days;
  }

  public Map<PartyId, Long> clearingSequences() {
    Map<PartyId, Long> sequences = new HashMap<>();
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(
        "SELECT issuer, last_sequence FROM switch_clearing_sequence WHERE switch_id = ?")) {
      s.setString(1, switchId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          sequences.put(PartyId.of(r.getString(1)), r.getLong(2));
        }
      }
    } catch (SQLException e) {
      throw new SwitchStoreException("cannot read clearing sequences", e);
    }
    return sequences;
  }

  /** Marks T settled and stores the clearing file numbers used, in one transaction. */
  public void markSettled(LocalDate businessDate, Map<PartyId, Long> clearingSequences) {
    try (Connection c = database.connection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement s = c.prepareStatement(
            "INSERT INTO switch_settled_day (switch_id, business_date) VALUES (?, ?)")) {
          s.setString(1, switchId);
          s.setString(2, businessDate.toString());
          s.executeUpdate();
        }
        try (PreparedStatement delete = c.prepareStatement(
            "DELETE FROM switch_clearing_sequence WHERE switch_id = ? AND issuer = ?");
            PreparedStatement insert = c.prepareStatement(
                "INSERT INTO switch_clearing_sequence (switch_id, issuer, last_sequence) VALUES (?, ?, ?)")) {
          for (var entry : clearingSequences.entrySet()) {
            delete.setString(1, switchId);
            delete.setString(2, entry.getKey().value());
            delete.executeUpdate();
            insert.setString(1, switchId);
            insert.setString(2, entry.getKey().value());
            insert.setLong(3, entry.getValue());
            insert.executeUpdate();
          }
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new SwitchStoreException("cannot mark day " + businessDate + " settled", e);
    }
  }
}

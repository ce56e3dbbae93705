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
  /**
   * One accepted offline file, in acceptance order.
   *
   * @param windowDate the settlement window its records went to: its business date, or for a late
   *     presentment (a file for a day already settled) the window open when it came
   */
  public record AcceptedFile(long acceptedSequence, PartyId sender, long fileSequence, String sha256Hex,
      LocalDate businessDate, String archiveName, LocalDate windowDate, long recordsAccepted, long recordsRefused,
      long faresAcceptedMinor) {
    /** True when the file came after its business day had settled. */
    public boolean late() {
      return !windowDate.equals(businessDate);
    }
  }

  private final Database database;
  private final String switchId;

  public SwitchStore(Database database, PartyId switchId) {
    this.database = database;
    this.switchId = switchId.value();
    database.migrate("switch");
  }

  public List<AcceptedFile> acceptedFiles() {
    String sql = "SELECT accepted_seq, sender, file_sequence, sha256, business_date, archive_name, window_date,"
        + " records_accepted, records_refused, fares_accepted_minor"
        + " FROM switch_accepted_file WHERE switch_id = ? ORDER BY accepted_seq";
    List<AcceptedFile> files = new ArrayList<>();
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, switchId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          LocalDate businessDate = LocalDate.parse(r.getString(5));
          String window = r.getString(7);
          files.add(new AcceptedFile(r.getLong(1), PartyId.of(r.getString(2)), r.getLong(3), r.getString(4),
              businessDate, r.getString(6), window == null ? businessDate : LocalDate.parse(window), r.getLong(8),
              r.getLong(9), r.getLong(10)));
        }
      }
    } catch (SQLException e) {
      throw new SwitchStoreException("cannot read accepted files", e);
    }
    return files;
  }

  public void insertAcceptedFile(AcceptedFile file) {
    String sql = "INSERT INTO switch_accepted_file (switch_id, accepted_seq, sender, file_sequence, sha256,"
        + " business_date, archive_name, window_date, records_accepted, records_refused, fares_accepted_minor)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, switchId);
      s.setLong(2, file.acceptedSequence());
      s.setString(3, file.sender().value());
      s.setLong(4, file.fileSequence());
      s.setString(5, file.sha256Hex());
      s.setString(6, file.businessDate().toString());
      s.setString(7, file.archiveName());
      s.setString(8, file.windowDate().toString());
      s.setLong(9, file.recordsAccepted());
      s.setLong(10, file.recordsRefused());
      s.setLong(11, file.faresAcceptedMinor());
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
    markSettled(businessDate, clearingSequences, 0);
  }

  /**
   * Marks T settled, stores the clearing file numbers used, and marks the exceptions numbered up to
   * {@code exceptionsThrough} not yet netted as netted in window T, in one transaction.
   */
  public void markSettled(LocalDate businessDate, Map<PartyId, Long> clearingSequences, long exceptionsThrough) {
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
        try (PreparedStatement s = c.prepareStatement("UPDATE switch_exception SET window_date = ?"
            + " WHERE switch_id = ? AND window_date IS NULL AND exception_seq <= ?")) {
          s.setString(1, businessDate.toString());
          s.setString(2, switchId);
          s.setLong(3, exceptionsThrough);
          s.executeUpdate();
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

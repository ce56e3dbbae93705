package io.iotpay.acquirer.transit;

import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.journal.JournalLine;
import io.iotpay.protocol.transit.DenyList;
import io.iotpay.protocol.transit.ExceptionStage;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitException;
import io.iotpay.protocol.transit.TransitRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * JDBC persistence of the operator's back office (Flyway component {@code acquirer-transit},
 * docs/clearing-files.md §13): records collected and the upload carrying each, uploads and their
 * receipts, settlements booked, chargebacks received and re-presentments sent, deny lists held.
 * Every method is one transaction; writers take the database's writer lock. Thread-safe.
 */
final class OperatorStore {
  static final String COMPONENT = "acquirer-transit";

  /** A collected record and the upload that carries it (0 while pending). */
  record Collected(TransitRecord record, long uploadSequence) {}

  /** An offline file built: PREPARED until the switch answered, then ACCEPTED or REJECTED. */
  record Upload(long fileSequence, LocalDate businessDate, String status, long recordsAccepted,
      long faresAcceptedMinor) {}

  /** A dispute step this operator holds (a chargeback received, a re-presentment sent). */
  record Held(RecordId recordId, ExceptionStage stage, LocalDate businessDate, String reason, long fareMinor,
      long fileSequence) {}

  private final Database database;
  private final String operator;

  OperatorStore(Database database, PartyId operator) {
    this.database = database;
    this.operator = operator.value();
    database.migrate(COMPONENT);
  }

  List<Collected> collected() {
    List<Collected> records = new ArrayList<>();
    query("SELECT journal_line, upload_seq FROM operator_record WHERE operator = ?"
        + " ORDER BY terminal_id, record_sequence", r -> records.add(
            new Collected(JournalLine.decode(r.getString(1)), r.getLong(2))));
    return records;
  }

  void insertCollected(List<TransitRecord> records) {
    write("record collected records", c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO operator_record (operator, terminal_id,"
          + " record_sequence, business_date, journal_line, upload_seq) VALUES (?, ?, ?, ?, ?, NULL)")) {
        for (TransitRecord record : records) {
          s.setString(1, operator);
          s.setString(2, record.id().terminalId());
          s.setLong(3, record.id().sequence());
          s.setString(4, record.businessDate().toString());
          s.setString(5, JournalLine.encode(record));
          s.addBatch();
        }
        s.executeBatch();
      }
    });
  }

  List<Upload> uploads() {
    List<Upload> uploads = new ArrayList<>();
    query("SELECT file_sequence, business_date, status, records_accepted, fares_accepted_minor FROM operator_upload"
        + " WHERE operator = ? ORDER BY file_sequence", r -> uploads.add(new Upload(r.getLong(1),
            LocalDate.parse(r.getString(2)), r.getString(3), r.getLong(4), r.getLong(5))));
    return uploads;
  }

  /** Records upload {@code fileSequence} as PREPARED and marks its records as carried by it. */
  void prepareUpload(long fileSequence, LocalDate businessDate, List<RecordId> records) {
    write("prepare upload " + fileSequence, c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO operator_upload (operator, file_sequence,"
          + " business_date, status, records_accepted, fares_accepted_minor) VALUES (?, ?, ?, 'PREPARED', 0, 0)")) {
        s.setString(1, operator);
        s.setLong(2, fileSequence);
        s.setString(3, businessDate.toString());
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("UPDATE operator_record SET upload_seq = ?"
          + " WHERE operator = ? AND terminal_id = ? AND record_sequence = ?")) {
        for (RecordId id : records) {
          s.setLong(1, fileSequence);
          s.setString(2, operator);
          s.setString(3, id.terminalId());
          s.setLong(4, id.sequence());
          s.addBatch();
        }
        s.executeBatch();
      }
    });
  }

  /** The switch's answer to upload {@code fileSequence}: accepted with its figures, or rejected (records pending again). */
  void finishUpload(long fileSequence, boolean accepted, long recordsAccepted, long faresAcceptedMinor) {
    write("finish upload " + fileSequence, c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE operator_upload SET status = ?, records_accepted = ?,"
          + " fares_accepted_minor = ? WHERE operator = ? AND file_sequence = ?")) {
        s.setString(1, accepted ? "ACCEPTED" : "REJECTED");
        s.setLong(2, recordsAccepted);
        s.setLong(3, faresAcceptedMinor);
        s.setString(4, operator);
        s.setLong(5, fileSequence);
        s.executeUpdate();
      }
      if (!accepted) {
        try (PreparedStatement s = c.prepareStatement(
            "UPDATE operator_record SET upload_seq = NULL WHERE operator = ? AND upload_seq = ?")) {
          s.setString(1, operator);
          s.setLong(2, fileSequence);
          s.executeUpdate();
        }
      }
    });
  }

  List<LocalDate> settledDays() {
    List<LocalDate> days = new ArrayList<>();
    query("SELECT business_date FROM operator_settlement WHERE operator = ?", r -> days.add(LocalDate.parse(r.getString(1))));
    return days;
  }

  void insertSettlement(LocalDate window, long netMinor) {
    write("record settlement of " + window, c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO operator_settlement (operator, business_date, net_minor) VALUES (?, ?, ?)")) {
        s.setString(1, operator);
        s.setString(2, window.toString());
        s.setLong(3, netMinor);
        s.executeUpdate();
      }
    });
  }

  List<Held> exceptions() {
    List<Held> held = new ArrayList<>();
    query("SELECT terminal_id, record_sequence, stage, business_date, reason, fare_minor, file_sequence"
        + " FROM operator_exception WHERE operator = ? ORDER BY file_sequence, terminal_id, record_sequence",
        r -> held.add(new Held(new RecordId(r.getString(1), r.getLong(2)), ExceptionStage.valueOf(r.getString(3)),
            LocalDate.parse(r.getString(4)), r.getString(5), r.getLong(6), r.getLong(7))));
    return held;
  }

  /** Records the dispute steps of one file (those recorded already are left as they are). */
  void insertExceptions(List<TransitException> lines, long fileSequence) {
    write("record exceptions", c -> insertExceptions(c, lines, fileSequence));
  }

  private void insertExceptions(Connection c, List<TransitException> lines, long fileSequence) throws SQLException {
    for (TransitException e : lines) {
      try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM operator_exception WHERE operator = ?"
          + " AND terminal_id = ? AND record_sequence = ? AND stage = ?")) {
        s.setString(1, operator);
        s.setString(2, e.recordId().terminalId());
        s.setLong(3, e.recordId().sequence());
        s.setString(4, e.stage().name());
        try (ResultSet r = s.executeQuery()) {
          if (r.next() && r.getLong(1) > 0) {
            continue;
          }
        }
      }
      try (PreparedStatement s = c.prepareStatement("INSERT INTO operator_exception (operator, terminal_id,"
          + " record_sequence, stage, business_date, reason, fare_minor, file_sequence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        s.setString(1, operator);
        s.setString(2, e.recordId().terminalId());
        s.setLong(3, e.recordId().sequence());
        s.setString(4, e.stage().name());
        s.setString(5, e.businessDate().toString());
        s.setString(6, e.reason().name());
        s.setLong(7, e.fareMinor());
        s.setLong(8, fileSequence);
        s.executeUpdate();
      }
    }
  }

  long lastSentExceptionFile() {
    long[] last = {0};
    query("SELECT COALESCE(MAX(file_sequence), 0) FROM operator_sent_exception_file WHERE operator = ?",
        r -> last[0] = r.getLong(1));
    return last[0];
  }

  /** The number of a re-presentment file of {@code recordId} sent without a recorded answer (0 when none). */
  long unansweredExceptionFile(RecordId recordId) {
    long[] found = {0};
    query("SELECT file_sequence, terminal_id, record_sequence FROM operator_sent_exception_file"
        + " WHERE operator = ? AND answer IS NULL", r -> {
          if (r.getString(2).equals(recordId.terminalId()) && r.getLong(3) == recordId.sequence()) {
            found[0] = r.getLong(1);
          }
        });
    return found[0];
  }

  void insertSentExceptionFile(long fileSequence, LocalDate businessDate, RecordId recordId) {
    write("record exception file " + fileSequence, c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO operator_sent_exception_file (operator,"
          + " file_sequence, business_date, terminal_id, record_sequence, answer) VALUES (?, ?, ?, ?, ?, NULL)")) {
        s.setString(1, operator);
        s.setLong(2, fileSequence);
        s.setString(3, businessDate.toString());
        s.setString(4, recordId.terminalId());
        s.setLong(5, recordId.sequence());
        s.executeUpdate();
      }
    });
  }

  /** The switch's answer to a re-presentment file: its line ACCEPTED (recorded with it, one transaction) or REFUSED. */
  void answerExceptionFile(long fileSequence, TransitException acceptedLine) {
    write("answer exception file " + fileSequence, c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE operator_sent_exception_file SET answer = ?"
          + " WHERE operator = ? AND file_sequence = ?")) {
        s.setString(1, acceptedLine == null ? "REFUSED" : "ACCEPTED");
        s.setString(2, operator);
        s.setLong(3, fileSequence);
        s.executeUpdate();
      }
      if (acceptedLine != null) {
        insertExceptions(c, List.of(acceptedLine), fileSequence);
      }
    });
  }

  List<DenyList> denyLists() {
    List<DenyList> lists = new ArrayList<>();
    query("SELECT issuer, version, pans FROM operator_deny_list WHERE operator = ? ORDER BY issuer", r -> {
      TreeSet<Pan> pans = new TreeSet<>();
      String text = r.getString(3);
      if (!text.isEmpty()) {
        Arrays.stream(text.split(",")).map(Pan::of).forEach(pans::add);
      }
      lists.add(new DenyList(PartyId.of(r.getString(1)), r.getLong(2), pans));
    });
    return lists;
  }

  void putDenyList(DenyList list) {
    write("record deny list of " + list.issuer(), c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM operator_deny_list WHERE operator = ? AND issuer = ?")) {
        s.setString(1, operator);
        s.setString(2, list.issuer().value());
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO operator_deny_list (operator, issuer, version, pans) VALUES (?, ?, ?, ?)")) {
        s.setString(1, operator);
        s.setString(2, list.issuer().value());
        s.setLong(3, list.version());
        s.setString(4, String.join(",", list.pans().stream().map(Pan::digits).toList()));
        s.executeUpdate();
      }
    });
  }

  private interface Rows {
    void next(ResultSet r) throws SQLException;
  }

  private interface Work {
    void run(Connection c) throws SQLException;
  }

  private void query(String sql, Rows rows) {
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, operator);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          rows.next(r);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("operator " + operator + ": cannot read its store", e);
    }
  }

  private void write(String what, Work work) {
    database.writing(() -> {
      try (Connection c = database.connection()) {
        c.setAutoCommit(false);
        try {
          work.run(c);
          c.commit();
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        }
      } catch (SQLException e) {
        throw new IllegalStateException("operator " + operator + ": cannot " + what, e);
      }
      return null;
    });
  }
}

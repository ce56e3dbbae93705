package io.iotpay.switching.transit;

import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.transit.ExceptionReason;
import io.iotpay.protocol.transit.ExceptionStage;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitException;
import io.iotpay.protocol.transit.TransitRecord.CardTransactionKey;
import io.iotpay.switching.SwitchStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The switch's durable record of disputes (tables {@code switch_exception_file} and
 * {@code switch_exception}, Flyway component "switch"): every accepted chargeback and
 * re-presentment, and the settlement window that netted it (null until one did). A file's lines are
 * recorded with the file in one transaction, so a crash leaves all or none of them.
 */
final class DisputeStore {
  /**
   * One accepted dispute step.
   *
   * @param sequence the switch's numbering of accepted steps, from 1
   * @param issuer the card's issuer (the payer of a re-presentment, the receiver of a chargeback)
   * @param window the window that netted it, or null while pending
   */
  record Dispute(long sequence, TransitException exception, PartyId issuer, LocalDate window) {}

  private static final String COLUMNS = "exception_seq, operator, terminal_id, record_sequence, stage, issuer,"
      + " business_date, pan, pan_sequence, atc, fare_minor, reason, evidence, window_date";

  private final Database database;
  private final String switchId;

  DisputeStore(Database database, PartyId switchId) {
    this.database = database;
    this.switchId = switchId.value();
  }

  boolean fileAccepted(PartyId sender, long fileSequence) {
    return fileReceipt(sender, fileSequence).isPresent();
  }

  /** An accepted exception file's first receipt: lines accepted and refused, amount accepted. */
  record FileReceipt(long accepted, long refused, long amountMinor) {}

  Optional<FileReceipt> fileReceipt(PartyId sender, long fileSequence) {
    String sql = "SELECT lines_accepted, lines_refused, amount_minor FROM switch_exception_file"
        + " WHERE switch_id = ? AND sender = ? AND file_sequence = ?";
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, switchId);
      s.setString(2, sender.value());
      s.setLong(3, fileSequence);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(new FileReceipt(r.getLong(1), r.getLong(2), r.getLong(3))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new SwitchStoreException("cannot read accepted exception files", e);
    }
  }

  /** The step {@code stage} of the record's dispute, if one was accepted. */
  Optional<Dispute> find(PartyId operator, RecordId recordId, ExceptionStage stage) {
    List<Dispute> found = select(" AND operator = ? AND terminal_id = ? AND record_sequence = ? AND stage = ?",
        operator.value(), recordId.terminalId(), recordId.sequence(), stage.name());
    return found.stream().findFirst();
  }

  /** Whether a chargeback of this card transaction was accepted (under any record id). */
  boolean chargedBack(CardTransactionKey key) {
    return !select(" AND pan = ? AND pan_sequence = ? AND atc = ? AND stage = ?", key.pan().digits(),
        key.panSequence(), key.atc(), ExceptionStage.CHARGEBACK.name()).isEmpty();
  }

  /** Steps no window has netted yet, in acceptance order. */
  List<Dispute> pending() {
    return select(" AND window_date IS NULL");
  }

  /** Steps window T netted, in acceptance order. */
  List<Dispute> nettedIn(LocalDate window) {
    return select(" AND window_date = ?", window.toString());
  }

  /** Every step accepted, in acceptance order. */
  List<Dispute> all() {
    return select("");
  }

  /**
   * Records an accepted exception file and its accepted lines, numbered after the last, in one transaction.
   *
   * @param accepted each line with its card's issuer
   */
  void record(PartyId sender, long fileSequence, LocalDate businessDate, List<Dispute> accepted, FileReceipt receipt) {
    database.writing(() -> {
      try (Connection c = database.connection()) {
        c.setAutoCommit(false);
        try {
          insertFile(c, sender, fileSequence, businessDate, receipt);
          long next = lastSequence(c);
          for (Dispute dispute : accepted) {
            insertDispute(c, ++next, dispute);
          }
          c.commit();
        } catch (SQLException e) {
          c.rollback();
          throw e;
        }
      } catch (SQLException e) {
        throw new SwitchStoreException("cannot record exception file " + sender + "#" + fileSequence, e);
      }
      return null;
    });
  }

  private void insertFile(Connection c, PartyId sender, long fileSequence, LocalDate businessDate, FileReceipt receipt)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO switch_exception_file (switch_id, sender, file_sequence,"
        + " business_date, lines_accepted, lines_refused, amount_minor) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, switchId);
      s.setString(2, sender.value());
      s.setLong(3, fileSequence);
      s.setString(4, businessDate.toString());
      s.setLong(5, receipt.accepted());
      s.setLong(6, receipt.refused());
      s.setLong(7, receipt.amountMinor());
      s.executeUpdate();
    }
  }

  private long lastSequence(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT COALESCE(MAX(exception_seq), 0) FROM switch_exception WHERE switch_id = ?")) {
      s.setString(1, switchId);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  private void insertDispute(Connection c, long sequence, Dispute dispute) throws SQLException {
    TransitException e = dispute.exception();
    try (PreparedStatement s = c.prepareStatement("INSERT INTO switch_exception (switch_id, " + COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)")) {
      s.setString(1, switchId);
      s.setLong(2, sequence);
      s.setString(3, e.operator().value());
      s.setString(4, e.recordId().terminalId());
      s.setLong(5, e.recordId().sequence());
      s.setString(6, e.stage().name());
      s.setString(7, dispute.issuer().value());
      s.setString(8, e.businessDate().toString());
      s.setString(9, e.key().pan().digits());
      s.setInt(10, e.key().panSequence());
      s.setInt(11, e.key().atc());
      s.setLong(12, e.fareMinor());
      s.setString(13, e.reason().name());
      s.setString(14, e.evidence());
      s.executeUpdate();
    }
  }

  private List<Dispute> select(String where, Object... arguments) {
    String sql = "SELECT " + COLUMNS + " FROM switch_exception WHERE switch_id = ?" + where + " ORDER BY exception_seq";
    List<Dispute> disputes = new ArrayList<>();
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, switchId);
      for (int i = 0; i < arguments.length; i++) {
        s.setObject(i + 2, arguments[i]);
      }
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          disputes.add(dispute(r));
        }
      }
    } catch (SQLException e) {
      throw new SwitchStoreException("cannot read disputes", e);
    }
    return disputes;
  }

  private static Dispute dispute(ResultSet r) throws SQLException {
    TransitException exception = new TransitException(ExceptionStage.valueOf(r.getString(5)),
        ExceptionReason.valueOf(r.getString(12)), PartyId.of(r.getString(2)), LocalDate.parse(r.getString(7)),
        new RecordId(r.getString(3), r.getLong(4)),
        new CardTransactionKey(Pan.of(r.getString(8)), r.getInt(9), r.getInt(10)), r.getLong(11), r.getString(13));
    String window = r.getString(14);
    return new Dispute(r.getLong(1), exception, PartyId.of(r.getString(6)), window == null ? null : LocalDate.parse(window));
  }
}

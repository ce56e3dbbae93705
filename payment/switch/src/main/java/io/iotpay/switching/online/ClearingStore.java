package io.iotpay.switching.online;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.online.Presentment;
import io.iotpay.protocol.online.PresentmentResult;
import io.iotpay.protocol.online.PresentmentResult.Status;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.switching.settlement.GrossSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** The online clearing's tables (db/switch-online V2): files taken, presentments, issuer files, closed days. */
final class ClearingStore {
  private static final String APPROVED = ResponseCode.APPROVED.code();
  private final Database database;

  ClearingStore(Database database) {
    this.database = database;
    database.migrate(OnlineStore.COMPONENT);
  }

  /** The checks of one presentment, run inside the intake transaction (sees the file's earlier records). */
  interface Lookup {
    Status check(Presentment presentment, String panHash);
  }

  @FunctionalInterface
  interface Decider {
    Decision decide(Lookup lookup, Presentment presentment);
  }

  /** @param issuer null when the card range is unknown */
  record Decision(Status status, PartyId issuer, String panHash) {}

  /** @param refusal null when the file was taken */
  record Taken(OnlineClearing.Refusal refusal, String detail, List<PresentmentResult> results) {}

  /** Presentments of one issuer and day not yet sent, with the sequence of the file that will carry them. */
  record IssuerBatch(PartyId issuer, long sequence, List<Presentment> presentments) {}

  Taken take(FileHeader h, String sha256, List<Presentment> presentments, Decider decider, UnaryOperator<byte[]> seal) {
    return write("take presentment file", c -> {
      Long takenBefore = firstLong(c, "SELECT id FROM online_clearing_file WHERE sha256 = ?", sha256);
      if (takenBefore != null) {
        return new Taken(OnlineClearing.Refusal.REPLAYED, "the same file was taken before", results(c, takenBefore));
      }
      if (exists(c, "SELECT 1 FROM online_clearing_day WHERE business_date = ?", h.businessDate().toString())) {
        return new Taken(OnlineClearing.Refusal.DAY_SETTLED, "day " + h.businessDate() + " is closed", List.of());
      }
      long last = longOf(c, "SELECT COALESCE(MAX(sequence), 0) FROM online_clearing_file WHERE sender = ?",
          h.sender().value());
      if (h.sequence() != last + 1) {
        return new Taken(OnlineClearing.Refusal.OUT_OF_SEQUENCE, "sequence " + h.sequence() + ", expected " + (last + 1),
            List.of());
      }
      for (Presentment p : presentments) {
        if (exists(c, "SELECT 1 FROM online_presentment WHERE acquirer = ? AND presentment_id = ?",
            p.acquirer().value(), p.presentmentId())) {
          return new Taken(OnlineClearing.Refusal.REPLAYED, "presentment " + p.presentmentId() + " was taken before",
              List.of());
        }
      }
      c.setAutoCommit(false);
      try {
        long fileId = insertFile(c, h, sha256, presentments.size());
        Lookup lookup = (p, panHash) -> {
          try {
            return check(c, p, panHash);
          } catch (SQLException e) {
            throw new OnlineStoreException("check presentment failed: " + e.getMessage(), e);
          }
        };
        List<PresentmentResult> results = new ArrayList<>();
        int accepted = 0;
        for (Presentment p : presentments) {
          Decision d = decider.decide(lookup, p);
          insertPresentment(c, fileId, results.size() + 1, p, d,
              seal.apply(p.pan().digits().getBytes(StandardCharsets.US_ASCII)));
          results.add(PresentmentResult.of(p, d.status()));
          accepted += d.status() == Status.ACCEPTED ? 1 : 0;
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE online_clearing_file SET accepted = ? WHERE id = ?")) {
          update.setInt(1, accepted);
          update.setLong(2, fileId);
          update.executeUpdate();
        }
        c.commit();
        return new Taken(null, "taken", results);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    });
  }

  /** A capture: an approved, unreversed, uncaptured 0100/0200 of this acquirer for at least the amount. A refund: a cleared capture not yet refunded beyond its amount. */
  private static Status check(Sql c, Presentment p, String panHash) throws SQLException {
    OriginalData o = p.original();
    String field7 = o.transmittedAt().field7();
    if (p.kind() == Presentment.Kind.REFUND) {
      Long captured = firstLong(c, "SELECT amount_minor FROM online_presentment WHERE acquirer = ? AND kind = 'C'"
          + " AND status = 'ACCEPTED' AND original_mti = ? AND original_stan = ? AND original_transmitted_at = ?"
          + " AND terminal_id = ? AND pan_hash = ?", p.acquirer().value(), o.mti().code(), o.stan(), field7,
          p.terminalId(), panHash);
      if (captured == null) {
        return Status.NOT_CAPTURED;
      }
      long refunded = longOf(c, "SELECT COALESCE(SUM(amount_minor), 0) FROM online_presentment WHERE acquirer = ?"
          + " AND kind = 'R' AND status = 'ACCEPTED' AND original_mti = ? AND original_stan = ?"
          + " AND original_transmitted_at = ? AND terminal_id = ?", p.acquirer().value(), o.mti().code(), o.stan(),
          field7, p.terminalId());
      return refunded + p.amountMinor() > captured ? Status.EXCEEDS_AUTHORISED : Status.ACCEPTED;
    }
    Long approved = firstLong(c, "SELECT amount_minor FROM online_message_log WHERE acquirer = ? AND request_mti = ?"
        + " AND stan = ? AND transmitted_at = ? AND terminal_id = ? AND pan_hash = ? AND approval_code = ?"
        + " AND currency = ? AND response_code = ? AND answered_by IN ('ISSUER', 'STAND_IN')",
        p.acquirer().value(), o.mti().code(), o.stan(), field7, p.terminalId(), panHash, p.approvalCode(),
        p.currency().alphaCode(), APPROVED);
    if (approved == null) {
      return Status.NO_AUTHORISATION;
    }
    if (exists(c, "SELECT 1 FROM online_message_log WHERE acquirer = ? AND request_mti IN ('0400', '0420')"
        + " AND original_stan = ? AND original_transmitted_at = ? AND terminal_id = ? AND response_code = ?",
        p.acquirer().value(), o.stan(), field7, p.terminalId(), APPROVED)) {
      return Status.REVERSED;
    }
    if (exists(c, "SELECT 1 FROM online_presentment WHERE acquirer = ? AND kind = 'C' AND status = 'ACCEPTED'"
        + " AND original_mti = ? AND original_stan = ? AND original_transmitted_at = ? AND terminal_id = ?",
        p.acquirer().value(), o.mti().code(), o.stan(), field7, p.terminalId())) {
      return Status.ALREADY_CAPTURED;
    }
    return p.amountMinor() > approved ? Status.EXCEEDS_AUTHORISED : Status.ACCEPTED;
  }

  private static long insertFile(Sql c, FileHeader h, String sha256, int presentments) throws SQLException {
    String sql = "INSERT INTO online_clearing_file (sender, sequence, business_date, sha256, received_at_ms,"
        + " presentments, accepted) VALUES (?,?,?,?,?,?,0)";
    try (PreparedStatement insert = c.prepareStatement(sql)) {
      insert.setString(1, h.sender().value());
      insert.setLong(2, h.sequence());
      insert.setString(3, h.businessDate().toString());
      insert.setString(4, sha256);
      insert.setLong(5, System.currentTimeMillis());
      insert.setInt(6, presentments);
      insert.executeUpdate();
    }
    return longOf(c, "SELECT id FROM online_clearing_file WHERE sha256 = ?", sha256);
  }

  /** The results of a taken file, in its order. */
  private static List<PresentmentResult> results(Sql c, long fileId) throws SQLException {
    List<PresentmentResult> results = new ArrayList<>();
    String sql = "SELECT acquirer, presentment_id, status, amount_minor FROM online_presentment WHERE file_id = ?"
        + " ORDER BY file_line";
    try (ResultSet rows = c.prepare(sql, fileId).executeQuery()) {
      while (rows.next()) {
        results.add(new PresentmentResult(PartyId.of(rows.getString(1)), rows.getString(2),
            Status.valueOf(rows.getString(3)), rows.getLong(4)));
      }
    }
    return results;
  }

  private static void insertPresentment(Sql c, long fileId, int line, Presentment p, Decision d, byte[] panSealed)
      throws SQLException {
    String sql = "INSERT INTO online_presentment (acquirer, presentment_id, file_id, kind, issuer, business_date,"
        + " original_mti, original_stan, original_transmitted_at, original_acquirer_id, original_forwarding_id, rrn,"
        + " terminal_id, merchant_id, pan_masked, pan_hash, pan_sealed, amount_minor, currency, approval_code, status,"
        + " file_line) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    OriginalData o = p.original();
    PreparedStatement insert = c.prepare(sql);
    insert.setString(1, p.acquirer().value());
    insert.setString(2, p.presentmentId());
    insert.setLong(3, fileId);
    insert.setString(4, p.kind() == Presentment.Kind.CAPTURE ? "C" : "R");
    if (d.issuer() == null) {
      insert.setNull(5, Types.VARCHAR);
    } else {
      insert.setString(5, d.issuer().value());
    }
    insert.setString(6, p.businessDate().toString());
    insert.setString(7, o.mti().code());
    insert.setInt(8, o.stan());
    insert.setString(9, o.transmittedAt().field7());
    insert.setString(10, o.acquirerId());
    insert.setString(11, o.forwardingId());
    insert.setString(12, p.rrn());
    insert.setString(13, p.terminalId());
    insert.setString(14, p.merchantId());
    insert.setString(15, p.pan().masked());
    insert.setString(16, d.panHash());
    insert.setBytes(17, panSealed);
    insert.setLong(18, p.amountMinor());
    insert.setString(19, p.currency().alphaCode());
    insert.setString(20, p.approvalCode());
    insert.setString(21, d.status().name());
    insert.setInt(22, line);
    insert.executeUpdate();
  }

  /**
   * Per issuer, the accepted presentments of the day not yet in one of its files: in the order the
   * files were taken, each file's captures before its refunds (a refund never precedes its capture).
   */
  List<IssuerBatch> unsent(LocalDate businessDate, CurrencyUnit currency, UnaryOperator<byte[]> openPan) {
    String sql = "SELECT issuer, acquirer, presentment_id, kind, original_mti, original_stan, original_transmitted_at,"
        + " original_acquirer_id, original_forwarding_id, rrn, terminal_id, merchant_id, pan_sealed, amount_minor,"
        + " approval_code FROM online_presentment WHERE business_date = ? AND status = 'ACCEPTED'"
        + " AND issuer_file_sequence IS NULL ORDER BY issuer, file_id, kind, file_line";
    return read("read unsent presentments", c -> {
      Map<PartyId, List<Presentment>> byIssuer = new TreeMap<>(SwitchConfig.PARTY_ORDER);
      try (PreparedStatement query = c.prepareStatement(sql)) {
        query.setString(1, businessDate.toString());
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            Mti mti = rows.getString(5).equals(Mti.FINANCIAL_REQUEST.code()) ? Mti.FINANCIAL_REQUEST
                : Mti.AUTHORISATION_REQUEST;
            OriginalData original = new OriginalData(mti, rows.getInt(6), MonthDayTime.parseField7(rows.getString(7)),
                rows.getString(8), rows.getString(9));
            Pan pan = Pan.of(new String(openPan.apply(rows.getBytes(13)), StandardCharsets.US_ASCII));
            Presentment p = new Presentment(rows.getString(3), rows.getString(4).equals("C") ? Presentment.Kind.CAPTURE
                : Presentment.Kind.REFUND, PartyId.of(rows.getString(2)), original, rows.getString(10),
                rows.getString(11), rows.getString(12), pan, rows.getLong(14), currency, rows.getString(15),
                businessDate);
            byIssuer.computeIfAbsent(PartyId.of(rows.getString(1)), i -> new ArrayList<>()).add(p);
          }
        }
      }
      List<IssuerBatch> batches = new ArrayList<>();
      for (var entry : byIssuer.entrySet()) {
        long last = longOf(c, "SELECT COALESCE(MAX(sequence), 0) FROM online_issuer_file WHERE issuer = ?",
            entry.getKey().value());
        batches.add(new IssuerBatch(entry.getKey(), last + 1, entry.getValue()));
      }
      return batches;
    });
  }

  void markSent(IssuerBatch batch, LocalDate businessDate) {
    write("mark presentments sent", c -> {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement insert = c.prepareStatement(
            "INSERT INTO online_issuer_file (issuer, sequence, business_date, presentments) VALUES (?,?,?,?)")) {
          insert.setString(1, batch.issuer().value());
          insert.setLong(2, batch.sequence());
          insert.setString(3, businessDate.toString());
          insert.setInt(4, batch.presentments().size());
          insert.executeUpdate();
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE online_presentment SET issuer_file_sequence = ?"
            + " WHERE acquirer = ? AND presentment_id = ?")) {
          for (Presentment p : batch.presentments()) {
            update.setLong(1, batch.sequence());
            update.setString(2, p.acquirer().value());
            update.setString(3, p.presentmentId());
            update.addBatch();
          }
          update.executeBatch();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
      return null;
    });
  }

  OnlineClearing.IssuerResults recordIssuerResults(PartyId issuer, List<PresentmentResult> results) {
    return write("record issuer results", c -> {
      int recorded = 0;
      int already = 0;
      int unknown = 0;
      c.setAutoCommit(false);
      try (PreparedStatement update = c.prepareStatement("UPDATE online_presentment SET issuer_status = ?"
          + " WHERE acquirer = ? AND presentment_id = ? AND issuer = ? AND status = 'ACCEPTED'"
          + " AND issuer_file_sequence IS NOT NULL AND issuer_status IS NULL")) {
        for (PresentmentResult r : results) {
          update.setString(1, r.status().name());
          update.setString(2, r.acquirer().value());
          update.setString(3, r.presentmentId());
          update.setString(4, issuer.value());
          if (update.executeUpdate() == 1) {
            recorded++;
          } else if (exists(c, "SELECT 1 FROM online_presentment WHERE acquirer = ? AND presentment_id = ?"
              + " AND issuer = ? AND issuer_status IS NOT NULL", r.acquirer().value(), r.presentmentId(),
              issuer.value())) {
            already++;
          } else {
            unknown++;
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
      return new OnlineClearing.IssuerResults(recorded, already, unknown);
    });
  }

  List<List<String>> presentments(LocalDate businessDate) {
    String sql = "SELECT acquirer, presentment_id, status, issuer_status FROM online_presentment"
        + " WHERE business_date = ? ORDER BY acquirer, presentment_id";
    return read("read presentments", c -> {
      List<List<String>> out = new ArrayList<>();
      try (PreparedStatement query = c.prepareStatement(sql)) {
        query.setString(1, businessDate.toString());
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
              row.add(rows.getString(i));
            }
            out.add(row);
          }
        }
      }
      return out;
    });
  }

  /** Marks the day closed (idempotent) and sums its accepted presentments. */
  GrossSource.Gross close(LocalDate businessDate, long nowMs) {
    return write("close clearing day", c -> {
      if (!exists(c, "SELECT 1 FROM online_clearing_day WHERE business_date = ?", businessDate.toString())) {
        try (PreparedStatement insert = c.prepareStatement(
            "INSERT INTO online_clearing_day (business_date, closed_at_ms) VALUES (?,?)")) {
          insert.setString(1, businessDate.toString());
          insert.setLong(2, nowMs);
          insert.executeUpdate();
        }
      }
      Map<PartyId, Map<PartyId, Long>> gross = new TreeMap<>(SwitchConfig.PARTY_ORDER);
      long records = 0;
      String sql = "SELECT issuer, acquirer, kind, SUM(amount_minor), COUNT(*) FROM online_presentment"
          + " WHERE business_date = ? AND status = 'ACCEPTED' GROUP BY issuer, acquirer, kind";
      try (PreparedStatement query = c.prepareStatement(sql)) {
        query.setString(1, businessDate.toString());
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            PartyId issuer = PartyId.of(rows.getString(1));
            PartyId acquirer = PartyId.of(rows.getString(2));
            boolean capture = rows.getString(3).equals("C");
            PartyId payer = capture ? issuer : acquirer;
            PartyId receiver = capture ? acquirer : issuer;
            gross.computeIfAbsent(payer, p -> new TreeMap<>(SwitchConfig.PARTY_ORDER))
                .merge(receiver, rows.getLong(4), Math::addExact);
            records += rows.getLong(5);
          }
        }
      }
      return new GrossSource.Gross(gross, records);
    });
  }

  void settled(LocalDate businessDate) {
    write("mark clearing day settled", c -> {
      try (PreparedStatement update = c.prepareStatement(
          "UPDATE online_clearing_day SET settled = 1 WHERE business_date = ?")) {
        update.setString(1, businessDate.toString());
        update.executeUpdate();
      }
      return null;
    });
  }

  private static boolean exists(Sql c, String sql, Object... args) throws SQLException {
    try (ResultSet rows = c.prepare(sql, args).executeQuery()) {
      return rows.next();
    }
  }

  private static long longOf(Sql c, String sql, Object... args) throws SQLException {
    Long value = firstLong(c, sql, args);
    return value == null ? 0 : value;
  }

  private static Long firstLong(Sql c, String sql, Object... args) throws SQLException {
    try (ResultSet rows = c.prepare(sql, args).executeQuery()) {
      return rows.next() ? rows.getLong(1) : null;
    }
  }

  /**
   * A connection whose prepared statements are kept until it is closed: a file's thousands of
   * presentments run the same few queries, prepared once.
   */
  private static final class Sql implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    Sql(Connection connection) {
      this.connection = connection;
    }

    /** The statement for {@code sql} with {@code args} bound (Integer, Long or String). */
    PreparedStatement prepare(String sql, Object... args) throws SQLException {
      PreparedStatement statement = statements.get(sql);
      if (statement == null) {
        statement = connection.prepareStatement(sql);
        statements.put(sql, statement);
      }
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case Integer n -> statement.setInt(i + 1, n);
          case Long n -> statement.setLong(i + 1, n);
          case byte[] bytes -> statement.setBytes(i + 1, bytes);
          case null -> statement.setNull(i + 1, Types.VARCHAR);
          default -> statement.setString(i + 1, (String) args[i]);
        }
      }
      return statement;
    }

    /** A statement of its own (closed by the caller), for the statements run once. */
    PreparedStatement prepareStatement(String sql) throws SQLException {
      return connection.prepareStatement(sql);
    }

    void setAutoCommit(boolean on) throws SQLException {
      connection.setAutoCommit(on);
    }

    void commit() throws SQLException {
      connection.commit();
    }

    void rollback() throws SQLException {
      connection.rollback();
    }

    @Override
    public void close() throws SQLException {
      for (PreparedStatement statement : statements.values()) {
        statement.close();
      }
    }
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Sql sql) throws SQLException;
  }

  private <T> T write(String what, Work<T> work) {
    return database.writing(() -> read(what, work));
  }

  private <T> T read(String what, Work<T> work) {
    try (Connection connection = database.connection(); Sql sql = new Sql(connection)) {
      return work.run(sql);
    } catch (SQLException e) {
      throw new OnlineStoreException(what + " failed: " + e.getMessage(), e);
    }
  }
}

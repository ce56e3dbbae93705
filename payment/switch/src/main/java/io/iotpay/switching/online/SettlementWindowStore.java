package io.iotpay.switching.online;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The switch process's settlement windows, its clearing file log and its refused presentments, on the
 * online switch's database (db/switch-online V4): what the switch's console shows and the settlement
 * close writes. SQLite or PostgreSQL. Thread-safe (each call its own connection; writes through the
 * database's writer).
 */
public final class SettlementWindowStore {
  /** A window is stored netted (CLOSED), then SETTLED once the clearing has marked its day settled. */
  public enum State { CLOSED, SETTLED }

  /** Whether a file came in or went out. */
  public enum Direction { RECEIVED, SENT }

  /**
   * One participant of a window.
   *
   * @param role "issuer" or "acquirer"
   * @param netMinor {@code receivesMinor - paysMinor}: positive receives, negative pays
   */
  public record Position(String party, String role, long paysMinor, long receivesMinor, long netMinor) {
    public Position {
      Assert.that(netMinor == receivesMinor - paysMinor, "net position is not receives - pays [party={}]", party);
    }
  }

  /** One settlement window; {@code positions} empty when read as a list row. */
  public record Window(String windowId, LocalDate businessDate, String currency, long records, State state,
      String closedBy, Instant closedAt, List<Position> positions) {
    public Window {
      positions = List.copyOf(positions);
    }

    /** The positions' sum; zero for every stored window. */
    public long netSumMinor() {
      return positions.stream().mapToLong(Position::netMinor).reduce(0L, Math::addExact);
    }
  }

  /**
   * One clearing file received or sent.
   *
   * @param id the log's running number (0 before it is stored)
   * @param party the sender (received) or receiver (sent), null when the file could not be read
   * @param signer the signer's party id, or "unsigned"
   * @param outcome TAKEN, REPLAYED, REFUSED (received) or WRITTEN (sent)
   * @param reason why it was refused, or null
   */
  public record FileEvent(long id, Instant at, Direction direction, String kind, String fileName, String party,
      LocalDate businessDate, Long sequence, String signer, String outcome, String reason, int records, int accepted) {}

  /** A presentment the switch rejected, or that its issuer did not accept. PAN masked only. */
  public record Refused(String acquirer, String presentmentId, String kind, String issuer, LocalDate businessDate,
      String panMasked, long amountMinor, String currency, String status, String issuerStatus, String rrn,
      String terminalId) {}

  private final Database database;

  /** @param database the online switch's database; migrated here */
  public SettlementWindowStore(Database database) {
    this.database = Assert.notNull(database, "database");
    database.migrate(OnlineStore.COMPONENT);
  }

  /** The window of {@code businessDate} with its positions, if it was closed. */
  public Optional<Window> window(LocalDate businessDate) {
    return read("read settlement window", c -> {
      List<Window> found = windows(c, "WHERE business_date = ?", businessDate.toString(), 1);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      Window w = found.get(0);
      return Optional.of(new Window(w.windowId(), w.businessDate(), w.currency(), w.records(), w.state(), w.closedBy(),
          w.closedAt(), positions(c, businessDate)));
    });
  }

  /** Windows newest business date first, those before {@code before} (null: from the newest), at most {@code limit}. */
  public List<Window> windows(LocalDate before, int limit) {
    return read("list settlement windows", c -> before == null ? windows(c, "", null, limit)
        : windows(c, "WHERE business_date < ?", before.toString(), limit));
  }

  /** Business dates with presentments and no window yet, newest first, at most {@code limit}. */
  public List<LocalDate> openDates(int limit) {
    String sql = "SELECT DISTINCT business_date FROM online_presentment WHERE business_date NOT IN"
        + " (SELECT business_date FROM online_settlement_window) ORDER BY business_date DESC";
    return read("list open dates", c -> {
      List<LocalDate> out = new ArrayList<>();
      try (PreparedStatement q = c.prepareStatement(sql)) {
        q.setMaxRows(limit);
        try (ResultSet rows = q.executeQuery()) {
          while (rows.next() && out.size() < limit) {
            out.add(LocalDate.parse(rows.getString(1)));
          }
        }
      }
      return out;
    });
  }

  /**
   * Stores {@code window} as CLOSED unless its date has a window already, in one transaction.
   *
   * @return the stored window: {@code window}, or the one stored before (never both)
   * @throws AssertionError when the positions do not sum to zero (checked before anything is written)
   */
  Window insertIfAbsent(Window window) {
    Assert.that(window.netSumMinor() == 0, "settlement positions do not sum to zero [date={}, sum={}]",
        window.businessDate(), window.netSumMinor());
    database.writing(() -> read("store settlement window", c -> {
      c.setAutoCommit(false);
      try {
        if (windows(c, "WHERE business_date = ?", window.businessDate().toString(), 1).isEmpty()) {
          insert(c, window);
        }
        c.commit();
        return null;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }));
    Window stored = window(window.businessDate()).orElseThrow();
    Assert.that(stored.netSumMinor() == 0, "stored settlement positions do not sum to zero [date={}]", stored.businessDate());
    return stored;
  }

  /** Marks the window of {@code businessDate} SETTLED. */
  void markSettled(LocalDate businessDate) {
    database.writing(() -> read("mark window settled", c -> {
      try (PreparedStatement u = c.prepareStatement("UPDATE online_settlement_window SET state = ? WHERE business_date = ?")) {
        u.setString(1, State.SETTLED.name());
        u.setString(2, businessDate.toString());
        u.executeUpdate();
      }
      return null;
    }));
  }

  private static void insert(Connection c, Window w) throws SQLException {
    try (PreparedStatement i = c.prepareStatement("INSERT INTO online_settlement_window (business_date, window_id,"
        + " currency, records, state, closed_by, closed_at_ms) VALUES (?,?,?,?,?,?,?)")) {
      i.setString(1, w.businessDate().toString());
      i.setString(2, w.windowId());
      i.setString(3, w.currency());
      i.setLong(4, w.records());
      i.setString(5, State.CLOSED.name());
      i.setString(6, w.closedBy());
      i.setLong(7, w.closedAt().toEpochMilli());
      i.executeUpdate();
    }
    try (PreparedStatement i = c.prepareStatement("INSERT INTO online_settlement_position (business_date, party, role,"
        + " pays_minor, receives_minor, net_minor) VALUES (?,?,?,?,?,?)")) {
      for (Position p : w.positions()) {
        i.setString(1, w.businessDate().toString());
        i.setString(2, p.party());
        i.setString(3, p.role());
        i.setLong(4, p.paysMinor());
        i.setLong(5, p.receivesMinor());
        i.setLong(6, p.netMinor());
        i.addBatch();
      }
      i.executeBatch();
    }
  }

  private static List<Window> windows(Connection c, String where, String date, int limit) throws SQLException {
    List<Window> out = new ArrayList<>();
    try (PreparedStatement q = c.prepareStatement("SELECT window_id, business_date, currency, records, state, closed_by,"
        + " closed_at_ms FROM online_settlement_window " + where + " ORDER BY business_date DESC")) {
      if (date != null) {
        q.setString(1, date);
      }
      q.setMaxRows(limit);
      try (ResultSet rows = q.executeQuery()) {
        while (rows.next() && out.size() < limit) {
          out.add(new Window(rows.getString(1), LocalDate.parse(rows.getString(2)), rows.getString(3), rows.getLong(4),
              State.valueOf(rows.getString(5)), rows.getString(6), Instant.ofEpochMilli(rows.getLong(7)), List.of()));
        }
      }
    }
    return out;
  }

  private static List<Position> positions(Connection c, LocalDate businessDate) throws SQLException {
    List<Position> out = new ArrayList<>();
    try (PreparedStatement q = c.prepareStatement("SELECT party, role, pays_minor, receives_minor, net_minor"
        + " FROM online_settlement_position WHERE business_date = ? ORDER BY party")) {
      q.setString(1, businessDate.toString());
      try (ResultSet rows = q.executeQuery()) {
        while (rows.next()) {
          out.add(new Position(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getLong(4), rows.getLong(5)));
        }
      }
    }
    return out;
  }

  /** Appends one file event to the log. */
  public void record(FileEvent e) {
    database.writing(() -> read("record file event", c -> {
      try (PreparedStatement i = c.prepareStatement("INSERT INTO online_file_event (at_ms, direction, kind, file_name,"
          + " party, business_date, sequence, signer, outcome, reason, records, accepted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
        i.setLong(1, e.at().toEpochMilli());
        i.setString(2, e.direction().name());
        i.setString(3, e.kind());
        i.setString(4, e.fileName());
        setNullable(i, 5, e.party());
        setNullable(i, 6, e.businessDate() == null ? null : e.businessDate().toString());
        if (e.sequence() == null) {
          i.setNull(7, Types.BIGINT);
        } else {
          i.setLong(7, e.sequence());
        }
        i.setString(8, e.signer());
        i.setString(9, e.outcome());
        setNullable(i, 10, e.reason());
        i.setInt(11, e.records());
        i.setInt(12, e.accepted());
        i.executeUpdate();
      }
      return null;
    }));
  }

  /**
   * File events of one direction, newest first, with an id below {@code beforeId} (null: from the newest),
   * of {@code party} (null: any), at most {@code limit}.
   */
  public List<FileEvent> files(Direction direction, String party, Long beforeId, int limit) {
    StringBuilder sql = new StringBuilder("SELECT id, at_ms, direction, kind, file_name, party, business_date, sequence,"
        + " signer, outcome, reason, records, accepted FROM online_file_event WHERE direction = ?");
    List<Object> args = new ArrayList<>(List.of(direction.name()));
    if (party != null) {
      sql.append(" AND party = ?");
      args.add(party);
    }
    if (beforeId != null) {
      sql.append(" AND id < ?");
      args.add(beforeId);
    }
    sql.append(" ORDER BY id DESC");
    return read("list file events", c -> {
      List<FileEvent> out = new ArrayList<>();
      try (PreparedStatement q = bind(c.prepareStatement(sql.toString()), args)) {
        q.setMaxRows(limit);
        try (ResultSet r = q.executeQuery()) {
          while (r.next() && out.size() < limit) {
            long sequence = r.getLong(8);
            Long seq = r.wasNull() ? null : sequence;
            String date = r.getString(7);
            out.add(new FileEvent(r.getLong(1), Instant.ofEpochMilli(r.getLong(2)), Direction.valueOf(r.getString(3)),
                r.getString(4), r.getString(5), r.getString(6), date == null ? null : LocalDate.parse(date), seq,
                r.getString(9), r.getString(10), r.getString(11), r.getInt(12), r.getInt(13)));
          }
        }
      }
      return out;
    });
  }

  /**
   * Presentments rejected by the switch or not accepted by their issuer, of {@code businessDate} (null: any),
   * in (acquirer, presentment id) order after {@code afterAcquirer}/{@code afterId} (null: from the first),
   * at most {@code limit}.
   */
  public List<Refused> refused(LocalDate businessDate, String afterAcquirer, String afterId, int limit) {
    StringBuilder sql = new StringBuilder("SELECT acquirer, presentment_id, kind, issuer, business_date, pan_masked,"
        + " amount_minor, currency, status, issuer_status, rrn, terminal_id FROM online_presentment"
        + " WHERE (status <> 'ACCEPTED' OR (issuer_status IS NOT NULL AND issuer_status <> 'ACCEPTED'))");
    List<Object> args = new ArrayList<>();
    if (businessDate != null) {
      sql.append(" AND business_date = ?");
      args.add(businessDate.toString());
    }
    if (afterAcquirer != null && afterId != null) {
      sql.append(" AND (acquirer > ? OR (acquirer = ? AND presentment_id > ?))");
      args.addAll(List.of(afterAcquirer, afterAcquirer, afterId));
    }
    sql.append(" ORDER BY acquirer, presentment_id");
    return read("list refused presentments", c -> {
      List<Refused> out = new ArrayList<>();
      try (PreparedStatement q = bind(c.prepareStatement(sql.toString()), args)) {
        q.setMaxRows(limit);
        try (ResultSet r = q.executeQuery()) {
          while (r.next() && out.size() < limit) {
            out.add(new Refused(r.getString(1), r.getString(2), r.getString(3).equals("C") ? "capture" : "refund",
                r.getString(4), LocalDate.parse(r.getString(5)), r.getString(6), r.getLong(7), r.getString(8),
                r.getString(9), r.getString(10), r.getString(11), r.getString(12)));
          }
        }
      }
      return out;
    });
  }

  private static PreparedStatement bind(PreparedStatement statement, List<Object> args) throws SQLException {
    for (int n = 0; n < args.size(); n++) {
      switch (args.get(n)) {
        case Long value -> statement.setLong(n + 1, value);
        case String value -> statement.setString(n + 1, value);
        default -> throw new IllegalArgumentException("unsupported argument " + args.get(n).getClass());
      }
    }
    return statement;
  }

  private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T read(String what, Work<T> work) {
    try (Connection connection = database.connection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new OnlineStoreException(what + " failed: " + e.getMessage(), e);
    }
  }
}

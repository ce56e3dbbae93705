package io.iotpay.issuer.authorisation.card;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.StatementCache;
import io.iotpay.issuer.authorisation.card.CardAccount.CardState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** The host's tables (db/issuer-auth): cards, transactions by message key, early reversals, refunds. */
final class CardAuthStore {
  /** What the host did with one card request, and the answer it gave. */
  record Txn(String key, String kind, String panHash, String businessDay, long amountMinor, long transferId,
      String state, String responseCode, String approvalCode, String iccHex) {
    Txn withState(String newState) {
      return new Txn(key, kind, panHash, businessDay, amountMinor, transferId, newState, responseCode, approvalCode,
          iccHex);
    }
  }

  /** Approved count and amount of a card on a day. */
  record DayTotals(int count, long amountMinor) {}

  private final Database database;
  /** The reads of every authorisation (card, transaction, day totals, reversal mark) are prepared once per connection. */
  private final StatementCache statements = new StatementCache();

  CardAuthStore(Database database) {
    this.database = database;
    database.migrate("issuer-auth");
  }

  void putCard(CardAccount card) {
    // One statement (an upsert both dialects know), so a crash leaves the old row or the new one.
    update("INSERT INTO issuer_auth_card VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pan_hash) DO UPDATE SET"
        + " status = excluded.status, expiry_yymm = excluded.expiry_yymm, key_label = excluded.key_label,"
        + " daily_count_max = excluded.daily_count_max, daily_amount_max_minor = excluded.daily_amount_max_minor", card.panHash(), card.panMasked(),
        card.panSequence(), card.state().name(), yymm(card.expiry()), card.keyLabel(), card.accountId(),
        card.dailyCountMax(), card.dailyAmountMaxMinor());
  }

  Optional<CardAccount> card(String panHash) {
    return query("SELECT * FROM issuer_auth_card WHERE pan_hash = ?", rs -> new CardAccount(rs.getString(1),
        rs.getString(2), rs.getInt(3), CardState.valueOf(rs.getString(4)),
        YearMonth.of(2000 + Integer.parseInt(rs.getString(5).substring(0, 2)),
            Integer.parseInt(rs.getString(5).substring(2))),
        rs.getString(6), rs.getLong(7), rs.getInt(8), rs.getLong(9)), panHash);
  }

  Optional<Txn> txn(String key) {
    return query("SELECT * FROM issuer_auth_txn WHERE txn_key = ?", rs -> new Txn(rs.getString(1), rs.getString(2),
        rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6), rs.getString(7), rs.getString(8),
        rs.getString(9), rs.getString(10)), key);
  }

  /** Only the state of a recorded transaction changes: its answer is kept for duplicates. */
  static final String PUT_TXN = "INSERT INTO issuer_auth_txn VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT (txn_key) DO UPDATE SET state = excluded.state";

  void putTxn(Txn t) {
    update(PUT_TXN, txnRow(t));
  }

  /**
   * Several transaction rows in one write transaction, so one commit (one fsync) for a batch of
   * authorisations; all or none are stored.
   */
  void putTxns(List<Txn> txns) {
    if (txns.isEmpty()) {
      return;
    }
    try {
      database.writing(() -> {
        try (Connection c = database.connection()) {
          boolean autoCommit = c.getAutoCommit();
          c.setAutoCommit(false);
          try (PreparedStatement s = c.prepareStatement(PUT_TXN)) {
            for (Txn t : txns) {
              bind(s, txnRow(t));
              s.addBatch();
            }
            s.executeBatch();
            c.commit();
          } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(autoCommit);
          }
        }
        return null;
      });
    } catch (SQLException e) {
      throw new IllegalStateException("issuer-auth store: " + e.getMessage(), e);
    }
  }

  static Object[] txnRow(Txn t) {
    return new Object[] {t.key(), t.kind(), t.panHash(), t.businessDay(), t.amountMinor(), t.transferId(), t.state(),
        t.responseCode(), t.approvalCode(), t.iccHex(), recordedNowMs()};
  }

  /** The last first-written time given to a row in this process. */
  private static final AtomicLong RECORDED_MS_LAST = new AtomicLong();

  /**
   * The wall clock in ms, but strictly after the last row's: rows written within one millisecond
   * still list in the order they were written (the time runs ahead of the clock by at most one ms per
   * such row, which the console's second-resolution display does not show).
   */
  static long recordedNowMs() {
    return RECORDED_MS_LAST.updateAndGet(last -> Math.max(System.currentTimeMillis(), last + 1));
  }

  /**
   * Transaction rows newest first (rows from before recorded_at_ms existed last), with the card's
   * masked PAN; never the PAN hash or the chip data.
   *
   * @param stan "" or a STAN (digits, no leading zeros): only rows of that STAN
   * @param cardSuffix "" or 1..4 digits: only cards whose PAN ends so
   */
  List<AuthorisationRecord> records(String stan, String cardSuffix, int offset, int limit) {
    List<AuthorisationRecord> out = new ArrayList<>();
    try (Connection c = database.connection()) {
      PreparedStatement s = statements.prepared(c, "SELECT t.txn_key, t.kind, c.pan_masked, t.business_day,"
          + " t.amount_minor, t.state, t.response_code, t.approval_code, t.recorded_at_ms FROM issuer_auth_txn t"
          + " LEFT JOIN issuer_auth_card c ON c.pan_hash = t.pan_hash WHERE (? = '' OR t.txn_key LIKE ?)"
          + " AND (? = '' OR c.pan_masked LIKE ?) ORDER BY (t.recorded_at_ms IS NULL), t.recorded_at_ms DESC,"
          + " t.txn_key DESC LIMIT ? OFFSET ?");
      // The key is MTI:ACQUIRER:STAN:FIELD7, FIELD7 ten digits: the pattern pins the STAN's place.
      bind(s, stan, "____:%:" + stan + ":__________", cardSuffix, "%" + cardSuffix, limit, offset);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          long at = rs.getLong(9);
          Long recordedAtMs = rs.wasNull() ? null : at; // wasNull speaks of the column read last
          out.add(AuthorisationRecord.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getLong(5), rs.getString(6), rs.getString(7), rs.getString(8), recordedAtMs));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("issuer-auth store: " + e.getMessage(), e);
    }
    return out;
  }

  DayTotals approvedOn(String panHash, String businessDay) {
    return query("SELECT COUNT(*), COALESCE(SUM(amount_minor), 0) FROM issuer_auth_txn WHERE pan_hash = ?"
            + " AND business_day = ? AND response_code = '00' AND state <> 'REVERSED'",
        rs -> new DayTotals(rs.getInt(1), rs.getLong(2)), panHash, businessDay).orElseThrow();
  }

  boolean isReversed(String key) {
    return query("SELECT 1 FROM issuer_auth_reversed WHERE txn_key = ?", rs -> true, key).isPresent();
  }

  void markReversed(String key) {
    update("INSERT INTO issuer_auth_reversed VALUES (?) ON CONFLICT (txn_key) DO NOTHING", key);
  }

  boolean hasRefund(String refundId) {
    return query("SELECT 1 FROM issuer_auth_refund WHERE refund_id = ?", rs -> true, refundId).isPresent();
  }

  void putRefund(String refundId, String txnKey, long amountMinor) {
    update("INSERT INTO issuer_auth_refund VALUES (?, ?, ?)", refundId, txnKey, amountMinor);
  }

  /** A queued script and its place in the card's queue. */
  record QueuedScript(int seq, IssuerScript script) {}

  void queueScript(String panHash, IssuerScript script) {
    int seq = query("SELECT COALESCE(MAX(seq), 0) + 1 FROM issuer_auth_script WHERE pan_hash = ?", rs -> rs.getInt(1),
        panHash).orElseThrow();
    update("INSERT INTO issuer_auth_script VALUES (?, ?, ?, ?, ?, NULL)", panHash, seq, script.template(),
        script.headerHex(), Hex.encode(script.data()));
  }

  /** The card's scripts not yet sent, oldest first, at most {@code countMax}. */
  List<QueuedScript> pendingScripts(String panHash, int countMax) {
    List<QueuedScript> out = new ArrayList<>();
    try (Connection c = database.connection()) {
      PreparedStatement s = statements.prepared(c,
          "SELECT seq, template, header_hex, data_hex FROM issuer_auth_script WHERE pan_hash = ? AND sent_txn IS NULL"
              + " ORDER BY seq");
      s.setString(1, panHash);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next() && out.size() < countMax) {
          out.add(new QueuedScript(rs.getInt(1),
              new IssuerScript(rs.getInt(2), rs.getString(3), Hex.decode(rs.getString(4)))));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("issuer-auth store: " + e.getMessage(), e);
    }
    return out;
  }

  void markScriptSent(String panHash, int seq, String txnKey) {
    update("UPDATE issuer_auth_script SET sent_txn = ? WHERE pan_hash = ? AND seq = ?", txnKey, panHash, seq);
  }

  /** Puts back in the queue the scripts sent with the transaction {@code txnKey} (it was reversed). */
  void requeueScripts(String txnKey) {
    update("UPDATE issuer_auth_script SET sent_txn = NULL WHERE sent_txn = ?", txnKey);
  }

  private static String yymm(YearMonth month) {
    return String.format("%02d%02d", month.getYear() % 100, month.getMonthValue());
  }

  @FunctionalInterface
  private interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> Optional<T> query(String sql, Row<T> row, Object... args) {
    try (Connection c = database.connection()) {
      PreparedStatement s = statements.prepared(c, sql);
      bind(s, args);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("issuer-auth store: " + e.getMessage(), e);
    }
  }

  private void update(String sql, Object... args) {
    try {
      database.writing(() -> {
        try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
          bind(s, args);
          return s.executeUpdate();
        }
      });
    } catch (SQLException e) {
      throw new IllegalStateException("issuer-auth store: " + e.getMessage(), e);
    }
  }

  private static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      s.setObject(i + 1, args[i]);
    }
  }
}

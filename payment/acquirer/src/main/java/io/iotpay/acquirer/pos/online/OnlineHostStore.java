package io.iotpay.acquirer.pos.online;

import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.StatementCache;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/** The acquirer host's tables (db/acquirer-online): merchants, requests, reversal queue, batches, payouts. */
final class OnlineHostStore {
  static final String COMPONENT = "acquirer-online";
  private static final String REQUEST_COLUMNS = "id, terminal_id, stan, transmitted_at, mti, kind, merchant_id,"
      + " business_date, rrn, pan_masked, amount_minor, currency, state, response_code, approval_code, original_id,"
      + " request_bytes, response_bytes";

  /** Most writes committed together by {@link #transactionInGroup}. */
  static final int GROUP_MAX = 256;

  private final Database database;
  /** The statements of every authorisation (merchant, day, request look-up, insert, answer), prepared once per connection. */
  private final StatementCache statements = new StatementCache();
  private final ReentrantLock groupLock = new ReentrantLock();
  private final ConcurrentLinkedQueue<GroupWrite<?>> groupQueue = new ConcurrentLinkedQueue<>();
  /** Group commits made (for tests and figures). */
  private final AtomicLong groupCommits = new AtomicLong();

  OnlineHostStore(Database database) {
    this.database = database;
    database.migrate(COMPONENT);
  }

  /** A merchant that has transacted: its field 42 and payable account. */
  record MerchantRow(long seq, String merchantId, String acceptorId, long accountId) {}

  /** One terminal request as stored. */
  record RequestRow(long id, String terminalId, int stan, String transmittedAt, String mti, String kind,
      String merchantId, String businessDate, String rrn, String panMasked, long amountMinor, String currency,
      TransactionState state, String responseCode, String approvalCode, Long originalId, byte[] requestBytes,
      byte[] responseBytes) {}

  /** A reversal in the queue. */
  record ReversalRow(long id, long requestId, byte[] messageBytes, int attempts) {}

  /** A presentment row of a closed day. */
  record PresentmentRow(String presentmentId, long requestId, String kind, String merchantId, long amountMinor) {}

  /**
   * A merchant's payout for one day: the card figures ({@code netMinor = captured − refunded − mdr})
   * and the QR push credits' beside them; the ledger's transfers carry both.
   */
  record PayoutRow(String businessDate, String merchantId, long accountId, long capturedMinor, long refundedMinor,
      long mdrMinor, long netMinor, long qrCreditedMinor, long qrTakenBackMinor, long qrMdrMinor, long netTransferId,
      long mdrTransferId, boolean posted) {
    /** What the merchant's account is credited in all (negative: debited). */
    long totalNetMinor() {
      return Math.addExact(netMinor, qrCreditedMinor - qrTakenBackMinor - qrMdrMinor);
    }

    /** The MDR kept in all, cards and push credits. */
    long totalMdrMinor() {
      return Math.addExact(mdrMinor, qrMdrMinor);
    }
  }

  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  // ---- merchants ----------------------------------------------------------------------------------

  /** The merchant's row, created (next sequence number) when it has none. */
  MerchantRow ensureMerchant(String merchantId, long accountBase, long nowMs) {
    Optional<MerchantRow> known = merchant(merchantId);
    if (known.isPresent()) {
      return known.get();
    }
    return transaction("add merchant", c -> {
      Optional<MerchantRow> again = merchant(c, merchantId);
      if (again.isPresent()) {
        return again.get();
      }
      long seq;
      try (PreparedStatement q = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) + 1 FROM online_merchant");
          ResultSet rows = q.executeQuery()) {
        rows.next();
        seq = rows.getLong(1);
      }
      MerchantRow row = new MerchantRow(seq, merchantId, String.format("M%014d", seq), accountBase + seq);
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO online_merchant (seq, merchant_id, acceptor_id, account_id, created_at_ms) VALUES (?,?,?,?,?)")) {
        insert.setLong(1, row.seq());
        insert.setString(2, merchantId);
        insert.setString(3, row.acceptorId());
        insert.setLong(4, row.accountId());
        insert.setLong(5, nowMs);
        insert.executeUpdate();
      }
      return row;
    });
  }

  Optional<MerchantRow> merchant(String merchantId) {
    return read("read merchant", c -> merchant(c, merchantId));
  }

  private Optional<MerchantRow> merchant(Connection c, String merchantId) throws SQLException {
    PreparedStatement q = statements.prepared(c,
        "SELECT seq, merchant_id, acceptor_id, account_id FROM online_merchant WHERE merchant_id = ?");
    q.setString(1, merchantId);
    try (ResultSet rows = q.executeQuery()) {
      return rows.next() ? Optional.of(new MerchantRow(rows.getLong(1), rows.getString(2), rows.getString(3),
          rows.getLong(4))) : Optional.empty();
    }
  }

  List<MerchantRow> merchants() {
    return read("list merchants", c -> {
      List<MerchantRow> out = new ArrayList<>();
      try (PreparedStatement q = c.prepareStatement(
          "SELECT seq, merchant_id, acceptor_id, account_id FROM online_merchant ORDER BY seq");
          ResultSet rows = q.executeQuery()) {
        while (rows.next()) {
          out.add(new MerchantRow(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getLong(4)));
        }
      }
      return out;
    });
  }

  // ---- requests -----------------------------------------------------------------------------------

  /**
   * Inserts {@code row} (its id is ignored) unless a request with its terminal, STAN, field 7 and
   * MTI exists: returns the new row's id, or empty for a repeat.
   */
  Optional<Long> insertRequest(RequestRow row, long nowMs) {
    return transactionInGroup("insert request", c -> {
      if (idOf(c, row.terminalId(), row.stan(), row.transmittedAt(), row.mti()).isPresent()) {
        return Optional.<Long>empty();
      }
      PreparedStatement insert = statements.prepared(c, "INSERT INTO online_request (terminal_id, stan,"
          + " transmitted_at, mti, kind, merchant_id, business_date, rrn, pan_masked, amount_minor, currency, state,"
          + " response_code, approval_code, original_id, request_bytes, response_bytes, created_at_ms, updated_at_ms)"
          + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      insert.setString(1, row.terminalId());
      insert.setInt(2, row.stan());
      insert.setString(3, row.transmittedAt());
      insert.setString(4, row.mti());
      insert.setString(5, row.kind());
      insert.setString(6, row.merchantId());
      insert.setString(7, row.businessDate());
      insert.setString(8, row.rrn());
      insert.setString(9, row.panMasked());
      insert.setLong(10, row.amountMinor());
      insert.setString(11, row.currency());
      insert.setString(12, row.state().name());
      insert.setString(13, row.responseCode());
      insert.setString(14, row.approvalCode());
      if (row.originalId() == null) {
        insert.setNull(15, Types.BIGINT);
      } else {
        insert.setLong(15, row.originalId());
      }
      insert.setBytes(16, row.requestBytes());
      insert.setBytes(17, row.responseBytes());
      insert.setLong(18, nowMs);
      insert.setLong(19, nowMs);
      insert.executeUpdate();
      return Optional.of(idOf(c, row.terminalId(), row.stan(), row.transmittedAt(), row.mti()).orElseThrow());
    });
  }

  Optional<RequestRow> request(String terminalId, int stan, String transmittedAt, String mti) {
    return read("read request", c -> find(c, terminalId, stan, transmittedAt, mti));
  }

  Optional<RequestRow> request(long id) {
    return read("read request", c -> one(c, "SELECT " + REQUEST_COLUMNS + " FROM online_request WHERE id = ?", id));
  }

  /** The latest purchase of this terminal with this RRN. */
  Optional<RequestRow> purchaseByRrn(String terminalId, String rrn) {
    return read("read purchase", c -> {
      try (PreparedStatement q = c.prepareStatement("SELECT " + REQUEST_COLUMNS + " FROM online_request"
          + " WHERE terminal_id = ? AND rrn = ? AND kind = 'PURCHASE' ORDER BY id DESC")) {
        q.setString(1, terminalId);
        q.setString(2, rrn);
        try (ResultSet rows = q.executeQuery()) {
          return rows.next() ? Optional.of(row(rows)) : Optional.<RequestRow>empty();
        }
      }
    });
  }

  /** Refunds recorded against purchase {@code originalId}, minor units. */
  long refundedMinor(long originalId) {
    return read("sum refunds", c -> {
      try (PreparedStatement q = c.prepareStatement(
          "SELECT COALESCE(SUM(amount_minor), 0) FROM online_request WHERE original_id = ? AND kind = 'REFUND'")) {
        q.setLong(1, originalId);
        try (ResultSet rows = q.executeQuery()) {
          rows.next();
          return rows.getLong(1);
        }
      }
    });
  }

  /** Requests in {@code state}, by id (of one business date when {@code businessDate} is not null). */
  List<RequestRow> requestsIn(TransactionState state, String businessDate) {
    return read("list requests", c -> {
      String sql = "SELECT " + REQUEST_COLUMNS + " FROM online_request WHERE state = ?"
          + (businessDate == null ? "" : " AND business_date = ?") + " ORDER BY id";
      try (PreparedStatement q = c.prepareStatement(sql)) {
        q.setString(1, state.name());
        if (businessDate != null) {
          q.setString(2, businessDate);
        }
        List<RequestRow> out = new ArrayList<>();
        try (ResultSet rows = q.executeQuery()) {
          while (rows.next()) {
            out.add(row(rows));
          }
        }
        return out;
      }
    });
  }

  /** Records the switch's answer, only if the request is still {@code SENT}: true when it was. */
  boolean answer(long id, TransactionState to, String responseCode, String approvalCode, byte[] responseBytes,
      long nowMs) {
    return transactionInGroup("record answer", c -> {
      PreparedStatement update = statements.prepared(c, "UPDATE online_request SET state = ?, response_code = ?,"
          + " approval_code = ?, response_bytes = ?, updated_at_ms = ? WHERE id = ? AND state = 'SENT'");
      update.setString(1, to.name());
      update.setString(2, responseCode);
      update.setString(3, approvalCode);
      update.setBytes(4, responseBytes);
      update.setLong(5, nowMs);
      update.setLong(6, id);
      return update.executeUpdate() == 1;
    });
  }

  /**
   * Moves request {@code requestId} from one of {@code from} to REVERSAL_QUEUED and queues its
   * reversal, in one transaction; {@code responseBytes} becomes the terminal's answer when it has
   * none yet. False (and nothing changed) when the request is in no state of {@code from}. The
   * queue's times ({@code wallMs}) are the machine's wall clock, not the business clock: they pace retries.
   */
  boolean queueReversal(long requestId, Set<TransactionState> from, String reason, byte[] messageBytes,
      byte[] responseBytes, long nowMs, long wallMs) {
    return transaction("queue reversal", c -> {
      StringBuilder states = new StringBuilder();
      for (TransactionState s : from) {
        states.append(states.isEmpty() ? "" : ",").append('\'').append(s.name()).append('\'');
      }
      try (PreparedStatement update = c.prepareStatement("UPDATE online_request SET state = 'REVERSAL_QUEUED',"
          + " response_code = COALESCE(response_code, ?), response_bytes = COALESCE(response_bytes, ?),"
          + " updated_at_ms = ? WHERE id = ? AND state IN (" + states + ")")) {
        update.setString(1, reason);
        update.setBytes(2, responseBytes);
        update.setLong(3, nowMs);
        update.setLong(4, requestId);
        if (update.executeUpdate() != 1) {
          return false;
        }
      }
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO online_reversal (request_id, reason,"
          + " message_bytes, queued_at_ms, next_try_ms) VALUES (?,?,?,?,?)")) {
        insert.setLong(1, requestId);
        insert.setString(2, reason);
        insert.setBytes(3, messageBytes);
        insert.setLong(4, wallMs);
        insert.setLong(5, wallMs);
        insert.executeUpdate();
      }
      return true;
    });
  }

  // ---- reversal queue -----------------------------------------------------------------------------

  List<ReversalRow> dueReversals(long nowMs, int limit) {
    return read("read due reversals", c -> {
      try (PreparedStatement q = c.prepareStatement("SELECT id, request_id, message_bytes, attempts FROM online_reversal"
          + " WHERE acked_at_ms IS NULL AND next_try_ms <= ? ORDER BY next_try_ms, id LIMIT " + limit)) {
        q.setLong(1, nowMs);
        List<ReversalRow> out = new ArrayList<>();
        try (ResultSet rows = q.executeQuery()) {
          while (rows.next()) {
            out.add(new ReversalRow(rows.getLong(1), rows.getLong(2), rows.getBytes(3), rows.getInt(4)));
          }
        }
        return out;
      }
    });
  }

  /** The earliest next try of an unacknowledged reversal, or empty when none waits. */
  Optional<Long> nextReversalDueMs() {
    return read("read next reversal", c -> {
      try (PreparedStatement q = c.prepareStatement(
          "SELECT MIN(next_try_ms) FROM online_reversal WHERE acked_at_ms IS NULL");
          ResultSet rows = q.executeQuery()) {
        rows.next();
        long value = rows.getLong(1);
        return rows.wasNull() ? Optional.<Long>empty() : Optional.of(value);
      }
    });
  }

  long pendingReversals() {
    return read("count reversals", c -> {
      try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM online_reversal WHERE acked_at_ms IS NULL");
          ResultSet rows = q.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    });
  }

  /** The switch acknowledged reversal {@code id}: it is done and its request REVERSED, once. */
  void ackReversal(long id, long requestId, String responseCode, long nowMs) {
    transaction("acknowledge reversal", c -> {
      try (PreparedStatement update = c.prepareStatement("UPDATE online_reversal SET acked_at_ms = ?,"
          + " response_code = ? WHERE id = ? AND acked_at_ms IS NULL")) {
        update.setLong(1, nowMs);
        update.setString(2, responseCode);
        update.setLong(3, id);
        update.executeUpdate();
      }
      try (PreparedStatement update = c.prepareStatement("UPDATE online_request SET state = 'REVERSED',"
          + " updated_at_ms = ? WHERE id = ? AND state = 'REVERSAL_QUEUED'")) {
        update.setLong(1, nowMs);
        update.setLong(2, requestId);
        update.executeUpdate();
      }
      return null;
    });
  }

  void retryReversal(long id, int attempts, long nextTryMs) {
    transaction("reschedule reversal", c -> {
      try (PreparedStatement update = c.prepareStatement(
          "UPDATE online_reversal SET attempts = ?, next_try_ms = ? WHERE id = ? AND acked_at_ms IS NULL")) {
        update.setInt(1, attempts);
        update.setLong(2, nextTryMs);
        update.setLong(3, id);
        update.executeUpdate();
      }
      return null;
    });
  }

  // ---- day end and payouts ------------------------------------------------------------------------

  boolean isClosed(String businessDate) {
    return read("read batch", c -> {
      PreparedStatement q = statements.prepared(c, "SELECT 1 FROM online_batch WHERE business_date = ?");
      q.setString(1, businessDate);
      try (ResultSet rows = q.executeQuery()) {
        return rows.next();
      }
    });
  }

  /**
   * Closes {@code businessDate} in one transaction, unless it is closed: each APPROVED purchase of
   * the day becomes CAPTURED with a capture presentment, each refund of the day whose purchase is
   * not reversed a refund presentment. Returns the day's presentment rows either way.
   */
  List<PresentmentRow> closeDay(String businessDate, String idPrefix, long nowMs) {
    return transaction("close day", c -> {
      boolean closed;
      try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM online_batch WHERE business_date = ?")) {
        q.setString(1, businessDate);
        try (ResultSet rows = q.executeQuery()) {
          closed = rows.next();
        }
      }
      if (!closed) {
        try (PreparedStatement insert = c.prepareStatement(
            "INSERT INTO online_batch (business_date, closed_at_ms) VALUES (?,?)")) {
          insert.setString(1, businessDate);
          insert.setLong(2, nowMs);
          insert.executeUpdate();
        }
        List<long[]> captures = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT id, amount_minor FROM online_request"
            + " WHERE business_date = ? AND kind = 'PURCHASE' AND state = 'APPROVED' ORDER BY id")) {
          q.setString(1, businessDate);
          try (ResultSet rows = q.executeQuery()) {
            while (rows.next()) {
              captures.add(new long[] {rows.getLong(1), rows.getLong(2)});
            }
          }
        }
        for (long[] capture : captures) {
          try (PreparedStatement update = c.prepareStatement("UPDATE online_request SET state = 'CAPTURED',"
              + " updated_at_ms = ? WHERE id = ? AND state = 'APPROVED'")) {
            update.setLong(1, nowMs);
            update.setLong(2, capture[0]);
            if (update.executeUpdate() == 1) {
              insertPresentment(c, idPrefix + ".C." + capture[0], businessDate, capture[0], "CAPTURE");
            }
          }
        }
        List<Long> refunds = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT r.id FROM online_request r JOIN online_request p"
            + " ON p.id = r.original_id WHERE r.business_date = ? AND r.kind = 'REFUND' AND r.state = 'REFUND'"
            + " AND p.state IN ('APPROVED', 'CAPTURED') ORDER BY r.id")) {
          q.setString(1, businessDate);
          try (ResultSet rows = q.executeQuery()) {
            while (rows.next()) {
              refunds.add(rows.getLong(1));
            }
          }
        }
        for (long refund : refunds) {
          insertPresentment(c, idPrefix + ".R." + refund, businessDate, refund, "REFUND");
        }
      }
      List<PresentmentRow> out = new ArrayList<>();
      try (PreparedStatement q = c.prepareStatement("SELECT p.presentment_id, p.request_id, p.kind, p.merchant_id,"
          + " p.amount_minor FROM online_presentment p WHERE p.business_date = ? ORDER BY p.request_id")) {
        q.setString(1, businessDate);
        try (ResultSet rows = q.executeQuery()) {
          while (rows.next()) {
            out.add(new PresentmentRow(rows.getString(1), rows.getLong(2), rows.getString(3), rows.getString(4),
                rows.getLong(5)));
          }
        }
      }
      return out;
    });
  }

  private static void insertPresentment(Connection c, String id, String businessDate, long requestId, String kind)
      throws SQLException {
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO online_presentment (presentment_id,"
        + " business_date, request_id, kind, merchant_id, amount_minor) SELECT ?, ?, id, ?, merchant_id, amount_minor"
        + " FROM online_request WHERE id = ?")) {
      insert.setString(1, id);
      insert.setString(2, businessDate);
      insert.setString(3, kind);
      insert.setLong(4, requestId);
      insert.executeUpdate();
    }
  }

  /** The day's payouts; when there are none yet, {@code computed} (transfer ids still to assign) are stored first. */
  List<PayoutRow> payouts(String businessDate, List<PayoutRow> computed, long transferIdBase) {
    return transaction("store payouts", c -> {
      List<PayoutRow> existing = payouts(c, businessDate);
      if (!existing.isEmpty() || computed.isEmpty()) {
        return existing;
      }
      long next;
      try (PreparedStatement q = c.prepareStatement("SELECT MAX(mdr_transfer_id) FROM online_payout");
          ResultSet rows = q.executeQuery()) {
        rows.next();
        long max = rows.getLong(1);
        next = rows.wasNull() ? transferIdBase + 1 : max + 1;
      }
      for (PayoutRow p : computed) {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO online_payout (business_date, merchant_id,"
            + " account_id, captured_minor, refunded_minor, mdr_minor, net_minor, net_transfer_id, mdr_transfer_id,"
            + " qr_credited_minor, qr_taken_back_minor, qr_mdr_minor, posted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0)")) {
          insert.setString(1, businessDate);
          insert.setString(2, p.merchantId());
          insert.setLong(3, p.accountId());
          insert.setLong(4, p.capturedMinor());
          insert.setLong(5, p.refundedMinor());
          insert.setLong(6, p.mdrMinor());
          insert.setLong(7, p.netMinor());
          insert.setLong(8, next);
          insert.setLong(9, next + 1);
          insert.setLong(10, p.qrCreditedMinor());
          insert.setLong(11, p.qrTakenBackMinor());
          insert.setLong(12, p.qrMdrMinor());
          insert.executeUpdate();
        }
        next += 2;
      }
      return payouts(c, businessDate);
    });
  }

  private static List<PayoutRow> payouts(Connection c, String businessDate) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT business_date, merchant_id, account_id, captured_minor,"
        + " refunded_minor, mdr_minor, net_minor, qr_credited_minor, qr_taken_back_minor, qr_mdr_minor, net_transfer_id,"
        + " mdr_transfer_id, posted FROM online_payout WHERE business_date = ? ORDER BY merchant_id")) {
      q.setString(1, businessDate);
      List<PayoutRow> out = new ArrayList<>();
      try (ResultSet rows = q.executeQuery()) {
        while (rows.next()) {
          out.add(new PayoutRow(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getLong(4),
              rows.getLong(5), rows.getLong(6), rows.getLong(7), rows.getLong(8), rows.getLong(9), rows.getLong(10),
              rows.getLong(11), rows.getLong(12), rows.getInt(13) == 1));
        }
      }
      return out;
    }
  }

  void markPosted(String businessDate, String merchantId) {
    transaction("mark payout posted", c -> {
      try (PreparedStatement update = c.prepareStatement(
          "UPDATE online_payout SET posted = 1 WHERE business_date = ? AND merchant_id = ?")) {
        update.setString(1, businessDate);
        update.setString(2, merchantId);
        update.executeUpdate();
      }
      return null;
    });
  }

  // ---- merchant statements ------------------------------------------------------------------------

  /** One line of a merchant's day: a request row and the state of the purchase it refunds (null for a purchase). */
  record LineRow(RequestRow request, TransactionState originalState, long createdAtMs) {}

  /**
   * The merchant's requests of {@code businessDate} with an id above {@code afterId} and at most
   * {@code lastId}, by id, at most
   * {@code limit} (a page: the caller asks again after the last id).
   */
  List<LineRow> dayLines(String merchantId, String businessDate, long afterId, long lastId, int limit) {
    return read("read merchant day", c -> {
      StringBuilder columns = new StringBuilder();
      for (String column : REQUEST_COLUMNS.split(",")) {
        columns.append(columns.isEmpty() ? "" : ", ").append("r.").append(column.strip());
      }
      try (PreparedStatement q = c.prepareStatement("SELECT " + columns + ", p.state, r.created_at_ms FROM online_request r"
          + " LEFT JOIN online_request p ON p.id = r.original_id WHERE r.merchant_id = ? AND r.business_date = ?"
          + " AND r.id > ? AND r.id <= ? ORDER BY r.id LIMIT ?")) {
        q.setString(1, merchantId);
        q.setString(2, businessDate);
        q.setLong(3, afterId);
        q.setLong(4, lastId);
        q.setInt(5, limit);
        List<LineRow> out = new ArrayList<>();
        try (ResultSet rows = q.executeQuery()) {
          while (rows.next()) {
            String original = rows.getString(19);
            out.add(new LineRow(row(rows), original == null ? null : TransactionState.valueOf(original),
                rows.getLong(20)));
          }
        }
        return out;
      }
    });
  }

  /** How many requests the merchant has of the day, and the highest id among them (0 for none). */
  long[] dayExtent(String merchantId, String businessDate) {
    return read("count merchant day", c -> {
      try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM online_request"
          + " WHERE merchant_id = ? AND business_date = ?")) {
        q.setString(1, merchantId);
        q.setString(2, businessDate);
        try (ResultSet rows = q.executeQuery()) {
          rows.next();
          return new long[] {rows.getLong(1), rows.getLong(2)};
        }
      }
    });
  }

  /** Count and sum of the merchant's requests of the day, per kind and state (refunds split by their purchase's state). */
  record DayTotal(String kind, TransactionState state, boolean originalReversed, String currency, long count,
      long sumMinor) {}

  List<DayTotal> dayTotals(String merchantId, String businessDate) {
    return read("sum merchant day", c -> {
      try (PreparedStatement q = c.prepareStatement("SELECT r.kind, r.state,"
          + " CASE WHEN p.state IN ('APPROVED', 'CAPTURED') OR p.id IS NULL THEN 0 ELSE 1 END, r.currency,"
          + " COUNT(*), COALESCE(SUM(r.amount_minor), 0) FROM online_request r"
          + " LEFT JOIN online_request p ON p.id = r.original_id WHERE r.merchant_id = ? AND r.business_date = ?"
          + " GROUP BY r.kind, r.state, CASE WHEN p.state IN ('APPROVED', 'CAPTURED') OR p.id IS NULL THEN 0 ELSE 1 END,"
          + " r.currency")) {
        q.setString(1, merchantId);
        q.setString(2, businessDate);
        List<DayTotal> out = new ArrayList<>();
        try (ResultSet rows = q.executeQuery()) {
          while (rows.next()) {
            out.add(new DayTotal(rows.getString(1), TransactionState.valueOf(rows.getString(2)), rows.getInt(3) == 1,
                rows.getString(4), rows.getLong(5), rows.getLong(6)));
          }
        }
        return out;
      }
    });
  }

  /** Every merchant's payout of {@code businessDate}, once stored (empty before). */
  List<PayoutRow> payouts(String businessDate) {
    return read("read payouts", c -> payouts(c, businessDate));
  }

  /** The merchant's payout of {@code businessDate}, once computed at day end. */
  Optional<PayoutRow> payout(String businessDate, String merchantId) {
    return read("read payout", c -> payouts(c, businessDate).stream()
        .filter(p -> p.merchantId().equals(merchantId)).findFirst());
  }

  // ---- plumbing -----------------------------------------------------------------------------------

  /**
   * The id of the request with this key. One column, not the row: the driver decodes every column
   * name of a result on each run, and a request row has eighteen.
   */
  private Optional<Long> idOf(Connection c, String terminalId, int stan, String transmittedAt, String mti)
      throws SQLException {
    PreparedStatement q = statements.prepared(c, "SELECT id FROM online_request"
        + " WHERE terminal_id = ? AND stan = ? AND transmitted_at = ? AND mti = ?");
    bindKey(q, terminalId, stan, transmittedAt, mti);
    try (ResultSet rows = q.executeQuery()) {
      return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
    }
  }

  private Optional<RequestRow> find(Connection c, String terminalId, int stan, String transmittedAt, String mti)
      throws SQLException {
    PreparedStatement q = statements.prepared(c, "SELECT " + REQUEST_COLUMNS + " FROM online_request"
        + " WHERE terminal_id = ? AND stan = ? AND transmitted_at = ? AND mti = ?");
    bindKey(q, terminalId, stan, transmittedAt, mti);
    try (ResultSet rows = q.executeQuery()) {
      return rows.next() ? Optional.of(row(rows)) : Optional.empty();
    }
  }

  private static void bindKey(PreparedStatement q, String terminalId, int stan, String transmittedAt, String mti)
      throws SQLException {
    q.setString(1, terminalId);
    q.setInt(2, stan);
    q.setString(3, transmittedAt);
    q.setString(4, mti);
  }

  private static Optional<RequestRow> one(Connection c, String sql, long id) throws SQLException {
    try (PreparedStatement q = c.prepareStatement(sql)) {
      q.setLong(1, id);
      try (ResultSet rows = q.executeQuery()) {
        return rows.next() ? Optional.of(row(rows)) : Optional.empty();
      }
    }
  }

  private static RequestRow row(ResultSet r) throws SQLException {
    long original = r.getLong(16);
    Long originalId = r.wasNull() ? null : original;
    return new RequestRow(r.getLong(1), r.getString(2), r.getInt(3), r.getString(4), r.getString(5), r.getString(6),
        r.getString(7), r.getString(8), r.getString(9), r.getString(10), r.getLong(11), r.getString(12),
        TransactionState.valueOf(r.getString(13)), r.getString(14), r.getString(15), originalId, r.getBytes(17),
        r.getBytes(18));
  }

  private <T> T transaction(String what, Work<T> work) {
    return database.writing(() -> {
      try (Connection connection = database.connection()) {
        connection.setAutoCommit(false);
        try {
          T result = work.run(connection);
          connection.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          connection.rollback();
          throw e;
        } finally {
          connection.setAutoCommit(true);
        }
      } catch (SQLException e) {
        throw new AcquirerStoreException(what + " failed: " + e.getMessage(), e);
      }
    });
  }

  // ---- group commit ---------------------------------------------------------------------------

  /** Group commits made so far (each holds one or more writes of the answer path). */
  long groupCommits() {
    return groupCommits.get();
  }

  /** Writes waiting for a group (for tests). */
  int groupQueued() {
    return groupQueue.size();
  }

  /** A group is being committed (for tests). */
  boolean groupBusy() {
    return groupLock.isLocked();
  }

  /** One write waiting for its group; its fields are written and read under {@link #groupLock}. */
  private static final class GroupWrite<T> {
    final String what;
    final Work<T> work;
    T result;
    AcquirerStoreException error;
    boolean done;

    GroupWrite(String what, Work<T> work) {
      this.what = what;
      this.work = work;
    }

    void runOn(Connection connection) throws SQLException {
      result = work.run(connection);
    }
  }

  /**
   * A write on the answer path (a request before it is forwarded, an answer before it goes to the
   * terminal) as part of a group commit: the write joins a queue; whoever holds {@link #groupLock}
   * next runs everything queued, each write inside its own savepoint, in one transaction with one
   * commit (one fsync), and only then marks them done. Each caller returns after the commit that
   * holds its write, so the write is as durable as with {@link #transaction}; a write that fails
   * rolls back to its savepoint and fails alone; a commit that fails fails the whole group.
   */
  private <T> T transactionInGroup(String what, Work<T> work) {
    GroupWrite<T> mine = new GroupWrite<>(what, work);
    groupQueue.add(mine);
    groupLock.lock();
    try {
      while (!mine.done) {
        List<GroupWrite<?>> group = new ArrayList<>();
        GroupWrite<?> next;
        while (group.size() < GROUP_MAX && (next = groupQueue.poll()) != null) {
          group.add(next);
        }
        commitGroup(group);
      }
    } finally {
      groupLock.unlock();
    }
    if (mine.error != null) {
      throw mine.error;
    }
    return mine.result;
  }

  private void commitGroup(List<GroupWrite<?>> group) {
    try {
      database.writing(() -> {
        try (Connection connection = database.connection()) {
          connection.setAutoCommit(false);
          try {
            for (GroupWrite<?> write : group) {
              Savepoint savepoint = connection.setSavepoint();
              try {
                write.runOn(connection);
                connection.releaseSavepoint(savepoint);
              } catch (SQLException | RuntimeException e) {
                connection.rollback(savepoint);
                write.error = new AcquirerStoreException(write.what + " failed: " + e.getMessage(), e);
              }
            }
            connection.commit();
            groupCommits.incrementAndGet();
          } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
          } finally {
            connection.setAutoCommit(true);
          }
        }
        return null;
      });
    } catch (SQLException | RuntimeException e) {
      for (GroupWrite<?> write : group) {
        write.error = new AcquirerStoreException(write.what + " failed: the group commit failed: " + e.getMessage(), e);
      }
    }
    for (GroupWrite<?> write : group) {
      write.done = true;
    }
  }

  private <T> T read(String what, Work<T> work) {
    try (Connection connection = database.connection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new AcquirerStoreException(what + " failed: " + e.getMessage(), e);
    }
  }
}

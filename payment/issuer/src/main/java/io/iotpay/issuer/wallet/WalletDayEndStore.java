package io.iotpay.issuer.wallet;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.MultiRowInsert;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The wallet day end's state in the issuer's database (component {@value #COMPONENT}, SQLite or
 * PostgreSQL; docs/wallet.md §3.3): the day files taken, the debits cleared by (card id, counter),
 * loads, debts owed, blocked and mismatched cards, the list version, the debts recovered, and every
 * ledger posting of the day end with its state (PLANNED, then POSTED once the ledger answered).
 * Each write is one transaction; {@link WalletDayEnd} is its only writer.
 */
final class WalletDayEndStore {
  static final String COMPONENT = "issuer-wallet";
  /** Rows per multi-row INSERT: 100 rows × 4 columns, far below every driver's parameter limit. */
  private static final int ROWS_PER_INSERT = 100;

  private final Database database;

  WalletDayEndStore(Database database) {
    this.database = Assert.notNull(database, "database");
    database.migrate(COMPONENT);
  }

  /** A day file taken: its signed sender, business date and sequence, and its digest. */
  record DayFile(String sender, LocalDate businessDate, long sequence, byte[] digest) {}

  record ClearedDebit(String cardIdHex, long counter, long offlineMinor, long balanceAfterMinor) {}

  record LoadRow(long loadId, String cardIdHex, long counterAtLoad, long creditedMinor) {}

  /** What a card still owes the merchant of one failed online part. */
  record Debt(String cardIdHex, long counter, long owedMinor, long merchantAccountId) {}

  /** One ledger transfer of the day end; its transfer id is derived from {@code postingId}. */
  record Posting(long postingId, long debitAccountId, long creditAccountId, long amountMinor) {}

  enum Mark {
    BLOCKED,
    MISMATCHED
  }

  /** Everything stored, as read at start. */
  record Snapshot(List<DayFile> days, List<ClearedDebit> cleared, List<LoadRow> loads, List<Debt> debts,
      List<String> blocked, List<String> mismatched, long listVersion, long debtsRecoveredMinor, long lastPostingId,
      long lastLoadId) {}

  Snapshot load() {
    try (Connection c = database.connection()) {
      List<DayFile> days = new ArrayList<>();
      query(c, "SELECT sender, business_date, sequence, digest FROM wallet_day_file", r -> days.add(
          new DayFile(r.getString(1), LocalDate.parse(r.getString(2)), r.getLong(3), r.getBytes(4))));
      List<ClearedDebit> cleared = new ArrayList<>();
      query(c, "SELECT card_id, counter, offline_minor, balance_after_minor FROM wallet_cleared", r -> cleared.add(
          new ClearedDebit(r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4))));
      List<LoadRow> loads = new ArrayList<>();
      query(c, "SELECT load_id, card_id, counter_at_load, credited_minor FROM wallet_load ORDER BY load_id",
          r -> loads.add(new LoadRow(r.getLong(1), r.getString(2), r.getLong(3), r.getLong(4))));
      List<Debt> debts = new ArrayList<>();
      query(c, "SELECT card_id, counter, owed_minor, merchant_account FROM wallet_debt", r -> debts.add(
          new Debt(r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4))));
      List<String> blocked = marked(c, Mark.BLOCKED);
      List<String> mismatched = marked(c, Mark.MISMATCHED);
      long[] state = new long[2];
      query(c, "SELECT list_version, debts_recovered_minor FROM wallet_day_end_state WHERE id = 1", r -> {
        state[0] = r.getLong(1);
        state[1] = r.getLong(2);
      });
      long[] last = new long[2];
      query(c, "SELECT COALESCE(MAX(posting_id), 0) FROM wallet_posting", r -> last[0] = r.getLong(1));
      query(c, "SELECT COALESCE(MAX(load_id), 0) FROM wallet_load", r -> last[1] = r.getLong(1));
      return new Snapshot(days, cleared, loads, debts, blocked, mismatched, state[0], state[1], last[0], last[1]);
    } catch (SQLException e) {
      throw new IllegalStateException("wallet day-end state unreadable", e);
    }
  }

  /**
   * Records a batch of day files in ONE transaction: the files taken, the debits they cleared and the
   * postings that carry them (PLANNED). Nothing is recorded when it throws.
   */
  void recordBatch(List<DayFile> days, List<ClearedDebit> cleared, List<Posting> postings) {
    // In key order: consecutive rows fall on the same B-tree pages (the debits arrive in file order).
    List<ClearedDebit> byKey = new ArrayList<>(cleared);
    byKey.sort(Comparator.comparing(ClearedDebit::cardIdHex).thenComparingLong(ClearedDebit::counter));
    write("wallet day files not recorded", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO wallet_day_file (sender, business_date, sequence, digest) VALUES (?, ?, ?, ?)")) {
        for (DayFile day : days) {
          s.setString(1, day.sender());
          s.setString(2, day.businessDate().toString());
          s.setLong(3, day.sequence());
          s.setBytes(4, day.digest());
          s.addBatch();
        }
        s.executeBatch();
      }
      insertCleared(c, byKey);
      insertPostings(c, postings);
    });
  }

  /**
   * Records a load in ONE transaction: the load, the card's debts as they stand after it, the debts
   * recovered so far, and the postings paying the merchants owed (PLANNED).
   */
  void recordLoad(LoadRow load, List<Debt> debtsNow, long debtsRecoveredMinor, List<Posting> postings) {
    write("wallet load not recorded", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO wallet_load (load_id, card_id, counter_at_load, credited_minor) VALUES (?, ?, ?, ?)")) {
        s.setLong(1, load.loadId());
        s.setString(2, load.cardIdHex());
        s.setLong(3, load.counterAtLoad());
        s.setLong(4, load.creditedMinor());
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("INSERT INTO wallet_debt (card_id, counter, owed_minor,"
          + " merchant_account) VALUES (?, ?, ?, ?) ON CONFLICT (card_id, counter) DO UPDATE SET owed_minor = excluded.owed_minor")) {
        for (Debt debt : debtsNow) {
          s.setString(1, debt.cardIdHex());
          s.setLong(2, debt.counter());
          s.setLong(3, debt.owedMinor());
          s.setLong(4, debt.merchantAccountId());
          s.addBatch();
        }
        s.executeBatch();
      }
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE wallet_day_end_state SET debts_recovered_minor = ? WHERE id = 1")) {
        s.setLong(1, debtsRecoveredMinor);
        s.executeUpdate();
      }
      insertPostings(c, postings);
    });
  }

  /** Marks cards (in the order given, after those already marked); a card already marked stays as it was. */
  void recordMarks(Mark mark, List<String> cards) {
    if (cards.isEmpty()) {
      return;
    }
    write("wallet card marks not recorded", c -> insertMarks(c, mark, cards));
  }

  /** Records a list about to be published, in ONE transaction: its version and the cards it newly blocks. */
  void recordList(long listVersion, List<String> newlyBlocked) {
    write("wallet list version not recorded", c -> {
      insertMarks(c, Mark.BLOCKED, newlyBlocked);
      try (PreparedStatement s = c.prepareStatement("UPDATE wallet_day_end_state SET list_version = ? WHERE id = 1")) {
        s.setLong(1, listVersion);
        s.executeUpdate();
      }
    });
  }

  /** Postings recorded but not yet known to be in the ledger (a crash came between), in posting order. */
  List<Posting> planned() {
    List<Posting> out = new ArrayList<>();
    try (Connection c = database.connection()) {
      query(c, "SELECT posting_id, debit_account, credit_account, amount_minor FROM wallet_posting"
          + " WHERE state = 'PLANNED' ORDER BY posting_id",
          r -> out.add(new Posting(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4))));
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("wallet postings unreadable", e);
    }
  }

  /** Marks postings as in the ledger (one short transaction). */
  void markPosted(List<Posting> postings) {
    if (postings.isEmpty()) {
      return;
    }
    write("wallet postings not marked", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE wallet_posting SET state = 'POSTED' WHERE posting_id = ?")) {
        for (Posting posting : postings) {
          s.setLong(1, posting.postingId());
          s.addBatch();
        }
        s.executeBatch();
      }
    });
  }

  private static void insertMarks(Connection c, Mark mark, List<String> cards) throws SQLException {
    long order = 0;
    try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(mark_order), 0) FROM wallet_card_mark WHERE mark = ?")) {
      s.setString(1, mark.name());
      try (ResultSet r = s.executeQuery()) {
        r.next();
        order = r.getLong(1);
      }
    }
    try (PreparedStatement s = c.prepareStatement("INSERT INTO wallet_card_mark (card_id, mark, mark_order)"
        + " VALUES (?, ?, ?) ON CONFLICT (card_id, mark) DO NOTHING")) {
      for (String card : cards) {
        s.setString(1, card);
        s.setString(2, mark.name());
        s.setLong(3, ++order);
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private static List<String> marked(Connection c, Mark mark) throws SQLException {
    List<String> cards = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT card_id FROM wallet_card_mark WHERE mark = ? ORDER BY mark_order")) {
      s.setString(1, mark.name());
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          cards.add(r.getString(1));
        }
      }
    }
    return cards;
  }

  /** Inserts cleared debits with multi-row INSERTs (100 rows a statement, batched). */
  private static void insertCleared(Connection c, List<ClearedDebit> cleared) throws SQLException {
    MultiRowInsert.insert(c, "INSERT INTO wallet_cleared (card_id, counter, offline_minor, balance_after_minor) VALUES ",
        4, ROWS_PER_INSERT, cleared, WalletDayEndStore::bindCleared);
  }

  private static void bindCleared(PreparedStatement s, int offset, ClearedDebit one) throws SQLException {
    s.setString(offset + 1, one.cardIdHex());
    s.setLong(offset + 2, one.counter());
    s.setLong(offset + 3, one.offlineMinor());
    s.setLong(offset + 4, one.balanceAfterMinor());
  }

  private static void insertPostings(Connection c, List<Posting> postings) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO wallet_posting (posting_id, debit_account,"
        + " credit_account, amount_minor, state) VALUES (?, ?, ?, ?, 'PLANNED')")) {
      for (Posting posting : postings) {
        s.setLong(1, posting.postingId());
        s.setLong(2, posting.debitAccountId());
        s.setLong(3, posting.creditAccountId());
        s.setLong(4, posting.amountMinor());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  @FunctionalInterface
  private interface RowReader {
    void read(ResultSet row) throws SQLException;
  }

  private static void query(Connection c, String sql, RowReader reader) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
      while (r.next()) {
        reader.read(r);
      }
    }
  }

  @FunctionalInterface
  private interface Writes {
    void run(Connection c) throws SQLException;
  }

  private void write(String failure, Writes writes) {
    try {
      database.inTransaction(c -> {
        writes.run(c);
        return null;
      });
    } catch (SQLException e) {
      throw new IllegalStateException(failure, e);
    }
  }
}

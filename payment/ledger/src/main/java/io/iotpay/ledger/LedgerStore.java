package io.iotpay.ledger;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.function.Consumer;

/**
 * The ledger's tables ({@code db/ledger/<dialect>/V*.sql}): {@code ledger_account},
 * {@code ledger_entry} and the snapshots. Account and entry rows are only ever inserted; balances are
 * not stored per batch but in a snapshot every so many entries, so a batch costs one multi-row insert
 * and no row is ever updated or locked.
 */
final class LedgerStore {
  /** Rows per multi-row INSERT: 64 rows x 13 columns stays far below every driver's parameter limit. */
  static final int ROWS_PER_STATEMENT = 64;

  private static final String ENTRY_COLUMNS =
      "seq, kind, transfer_id, debit_account_id, credit_account_id, amount_minor, pending_id, timeout_ms,"
          + " linked, book_id, currency, applied_at_ms, audit_index";
  private static final int ENTRY_COLUMN_COUNT = 13;
  private static final String ACCOUNT_COLUMNS = "id, book_id, currency, flags";
  private static final String ACCOUNT_INSERT_COLUMNS = ACCOUNT_COLUMNS + ", audit_index, audit_origin";
  private static final int ACCOUNT_INSERT_COLUMN_COUNT = 6;

  private final String entryInsertMany = insert("ledger_entry", ENTRY_COLUMNS, ENTRY_COLUMN_COUNT, ROWS_PER_STATEMENT);
  private final String entryInsertOne = insert("ledger_entry", ENTRY_COLUMNS, ENTRY_COLUMN_COUNT, 1);
  private static final String BALANCE_COLUMNS = "snapshot_seq, account_id, debits_pending_minor,"
      + " debits_posted_minor, credits_pending_minor, credits_posted_minor";
  private static final int BALANCE_COLUMN_COUNT = 6;
  private final String balanceInsertMany =
      insert("ledger_snapshot_balance", BALANCE_COLUMNS, BALANCE_COLUMN_COUNT, ROWS_PER_STATEMENT);
  private final String balanceInsertOne = insert("ledger_snapshot_balance", BALANCE_COLUMNS, BALANCE_COLUMN_COUNT, 1);
  private final String accountInsertOne = insert("ledger_account", ACCOUNT_INSERT_COLUMNS, ACCOUNT_INSERT_COLUMN_COUNT, 1);

  private static String insert(String table, String columns, int columnCount, int rows) {
    String row = "(" + "?,".repeat(columnCount - 1) + "?)";
    StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (").append(columns).append(") VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ",").append(row);
    }
    return sql.toString();
  }

  static LedgerStore migrate(Database database) {
    database.migrate("ledger");
    return new LedgerStore();
  }

  /** Inserts new accounts; account {@code i} has its audit leaf at {@code firstAuditIndex + i}. */
  void insertAccounts(Connection transaction, List<Account> accounts, long firstAuditIndex) throws SQLException {
    if (accounts.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = transaction.prepareStatement(accountInsertOne)) {
      for (int i = 0; i < accounts.size(); i++) {
        Account account = accounts.get(i);
        insert.setLong(1, account.id());
        insert.setLong(2, account.bookId());
        insert.setInt(3, account.currency().numericCode());
        insert.setInt(4, account.flags().bits());
        insert.setLong(5, firstAuditIndex + i);
        insert.setInt(6, AccountLeaf.Origin.CREATED.code());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** Accounts whose row has no audit leaf yet, in id order. */
  List<Account> accountsWithoutLeaf(Connection connection) throws SQLException {
    List<Account> out = new java.util.ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT " + ACCOUNT_COLUMNS + " FROM ledger_account WHERE audit_index IS NULL ORDER BY id");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        out.add(accountOf(rows));
      }
    }
    return out;
  }

  /** How many accounts have an audit leaf. */
  long accountsWithLeaf(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT COUNT(*) FROM ledger_account WHERE audit_index IS NOT NULL");
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Records that account {@code accounts[i]} was adopted at leaf {@code firstAuditIndex + i}. */
  void markAdopted(Connection transaction, List<Account> accounts, long firstAuditIndex) throws SQLException {
    try (PreparedStatement update = transaction.prepareStatement(
        "UPDATE ledger_account SET audit_index = ?, audit_origin = ? WHERE id = ? AND audit_index IS NULL")) {
      for (int i = 0; i < accounts.size(); i++) {
        update.setLong(1, firstAuditIndex + i);
        update.setInt(2, AccountLeaf.Origin.ADOPTED.code());
        update.setLong(3, accounts.get(i).id());
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  /** One account row as the audit cross-check reads it; auditIndex and origin are null when the row has no leaf. */
  record AccountRow(Account account, Long auditIndex, AccountLeaf.Origin origin) {}

  /** Reads every account row with its audit columns, in id order. */
  void readAccountRows(Connection connection, Consumer<AccountRow> sink) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
            "SELECT " + ACCOUNT_INSERT_COLUMNS + " FROM ledger_account ORDER BY id")) {
      select.setFetchSize(10_000);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          Account account = accountOf(rows);
          long index = rows.getLong(5);
          Long auditIndex = rows.wasNull() ? null : index;
          int origin = rows.getInt(6);
          sink.accept(new AccountRow(account, auditIndex, rows.wasNull() ? null : AccountLeaf.Origin.ofCode(origin)));
        }
      }
    }
  }

  private static Account accountOf(ResultSet rows) throws SQLException {
    return new Account(rows.getLong(1), rows.getLong(2), CurrencyUnit.ofNumeric(rows.getInt(3)),
        AccountFlags.ofBits(rows.getInt(4)));
  }

  /** Inserts entries with as few statements as possible (multi-row, batched). */
  void insertEntries(Connection transaction, List<LedgerEntry> entries) throws SQLException {
    int full = entries.size() / ROWS_PER_STATEMENT * ROWS_PER_STATEMENT;
    if (full > 0) {
      try (PreparedStatement insert = transaction.prepareStatement(entryInsertMany)) {
        for (int start = 0; start < full; start += ROWS_PER_STATEMENT) {
          for (int row = 0; row < ROWS_PER_STATEMENT; row++) {
            bind(insert, row * ENTRY_COLUMN_COUNT, entries.get(start + row));
          }
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }
    if (full < entries.size()) {
      try (PreparedStatement insert = transaction.prepareStatement(entryInsertOne)) {
        for (int i = full; i < entries.size(); i++) {
          bind(insert, 0, entries.get(i));
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }
  }

  private static void bind(PreparedStatement insert, int offset, LedgerEntry entry) throws SQLException {
    insert.setLong(offset + 1, entry.seq());
    insert.setInt(offset + 2, entry.kind().code());
    if (entry.transferId() == 0) {
      insert.setNull(offset + 3, Types.BIGINT); // expiries have no id; NULLs never collide in UNIQUE
    } else {
      insert.setLong(offset + 3, entry.transferId());
    }
    insert.setLong(offset + 4, entry.debitAccountId());
    insert.setLong(offset + 5, entry.creditAccountId());
    insert.setLong(offset + 6, entry.amountMinor());
    insert.setLong(offset + 7, entry.pendingId());
    insert.setLong(offset + 8, entry.timeoutMs());
    insert.setInt(offset + 9, entry.linked() ? 1 : 0);
    insert.setLong(offset + 10, entry.bookId());
    insert.setInt(offset + 11, entry.currency().numericCode());
    insert.setLong(offset + 12, entry.appliedAtMs());
    insert.setLong(offset + 13, entry.auditIndex());
  }

  /** Reads every account, in id order. */
  void readAccounts(Connection connection, Consumer<Account> sink) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
            "SELECT " + ACCOUNT_COLUMNS + " FROM ledger_account ORDER BY id")) {
      select.setFetchSize(10_000);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          sink.accept(accountOf(rows));
        }
      }
    }
  }

  /**
   * Reads every entry in history order. On PostgreSQL the caller's connection must not be in
   * auto-commit, so the driver streams with a cursor instead of loading all rows.
   */
  void readEntries(Connection connection, Consumer<LedgerEntry> sink) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
            "SELECT " + ENTRY_COLUMNS + " FROM ledger_entry ORDER BY seq")) {
      select.setFetchSize(10_000);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          sink.accept(entryOf(rows));
        }
      }
    }
  }

  /** Reads the entries after {@code seq} in history order (the tail after a snapshot); same cursor rules. */
  void readEntriesAfter(Connection connection, long seq, Consumer<LedgerEntry> sink) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
            "SELECT " + ENTRY_COLUMNS + " FROM ledger_entry WHERE seq > ? ORDER BY seq")) {
      select.setFetchSize(10_000);
      select.setLong(1, seq);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          sink.accept(entryOf(rows));
        }
      }
    }
  }

  /** The entry at {@code seq}, or null; one primary-key look-up. */
  LedgerEntry entryAt(Connection connection, long seq) throws SQLException {
    return oneEntry(connection, "SELECT " + ENTRY_COLUMNS + " FROM ledger_entry WHERE seq = ?", seq);
  }

  /** The entry of caller id {@code transferId}, or null; one look-up in the UNIQUE index on transfer_id. */
  LedgerEntry entryOfTransfer(Connection connection, long transferId) throws SQLException {
    return oneEntry(connection, "SELECT " + ENTRY_COLUMNS + " FROM ledger_entry WHERE transfer_id = ?", transferId);
  }

  private static LedgerEntry oneEntry(Connection connection, String sql, long key) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setLong(1, key);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? entryOf(rows) : null;
      }
    }
  }

  /**
   * The kind of the entry that resolved hold {@code pendingId} (post, void or expiry), or null while
   * it is open; one look-up in the partial index on pending_id.
   */
  EntryKind resolutionOf(Connection connection, long pendingId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT kind FROM ledger_entry WHERE pending_id = ? AND pending_id <> 0")) {
      select.setLong(1, pendingId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? EntryKind.ofCode(rows.getInt(1)) : null;
      }
    }
  }

  // ---------------------------------------------------------------- snapshots

  /** A stored snapshot's header; {@code baseSeq} 0 for a full snapshot. */
  record SnapshotHeader(long seq, long baseSeq, long balanceCount, long holdCount, byte[] hash) {}

  /** Every snapshot header, newest first. */
  List<SnapshotHeader> snapshotHeaders(Connection connection) throws SQLException {
    List<SnapshotHeader> out = new java.util.ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(
            "SELECT seq, base_seq, balance_count, hold_count, hash FROM ledger_snapshot ORDER BY seq DESC");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        out.add(new SnapshotHeader(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4),
            rows.getBytes(5)));
      }
    }
    return out;
  }

  /**
   * Reads a snapshot's balance rows and holds (joined to their entries); the caller checks that
   * {@code baseSeq} is below {@code seq} and verifies the hash.
   */
  LedgerSnapshot readSnapshot(Connection connection, long seq, long baseSeq) throws SQLException {
    List<LedgerSnapshot.Balance> balances = new java.util.ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement("SELECT account_id, debits_pending_minor,"
        + " debits_posted_minor, credits_pending_minor, credits_posted_minor FROM ledger_snapshot_balance"
        + " WHERE snapshot_seq = ? ORDER BY account_id")) {
      select.setFetchSize(10_000);
      select.setLong(1, seq);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          balances.add(new LedgerSnapshot.Balance(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4),
              rows.getLong(5)));
        }
      }
    }
    List<LedgerEntry> holds = new java.util.ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement("SELECT " + ENTRY_COLUMNS.replaceAll("(\\w+)", "e.$1")
        + " FROM ledger_snapshot_hold h JOIN ledger_entry e ON e.seq = h.entry_seq WHERE h.snapshot_seq = ? ORDER BY e.seq")) {
      select.setFetchSize(10_000);
      select.setLong(1, seq);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          holds.add(entryOf(rows));
        }
      }
    }
    return new LedgerSnapshot(seq, baseSeq, balances, holds);
  }

  /**
   * First step of writing the snapshot at {@code seq}: deletes any snapshot at {@code seq} or later
   * (it is replaced). A write, so on SQLite it takes the write lock before the transaction reads
   * anything: a read first would pin a read snapshot that another connection's commit can make
   * impossible to upgrade ({@code SQLITE_BUSY_SNAPSHOT}).
   */
  void clearSnapshotsFrom(Connection transaction, long seq) throws SQLException {
    for (String sql : List.of("DELETE FROM ledger_snapshot_balance WHERE snapshot_seq >= ?",
        "DELETE FROM ledger_snapshot_hold WHERE snapshot_seq >= ?", "DELETE FROM ledger_snapshot WHERE seq >= ?")) {
      try (PreparedStatement delete = transaction.prepareStatement(sql)) {
        delete.setLong(1, seq);
        delete.executeUpdate();
      }
    }
  }

  /**
   * Writes a snapshot (header, balances, holds) in the caller's open transaction, after {@link
   * #clearSnapshotsFrom}. An incremental snapshot deletes nothing else (its chain is what start-up
   * reads). A full one keeps, as a fallback, the chain before it (the newest older full snapshot and
   * the increments on top of it) and deletes everything older, so the store holds at most two chains.
   */
  void writeSnapshot(Connection transaction, LedgerSnapshot snapshot, byte[] hash, long writtenAtMs) throws SQLException {
    if (!snapshot.incremental()) {
      long keepFrom = snapshot.seq();
      for (SnapshotHeader header : snapshotHeaders(transaction)) {
        if (header.seq() < snapshot.seq() && header.baseSeq() == 0) {
          keepFrom = header.seq(); // newest first: the newest older full one
          break;
        }
      }
      for (String table : List.of("ledger_snapshot_balance", "ledger_snapshot_hold")) {
        deleteOutside(transaction, "DELETE FROM " + table + " WHERE snapshot_seq < ? OR snapshot_seq >= ?", keepFrom,
            snapshot.seq());
      }
      deleteOutside(transaction, "DELETE FROM ledger_snapshot WHERE seq < ? OR seq >= ?", keepFrom, snapshot.seq());
    }
    try (PreparedStatement insert = transaction.prepareStatement("INSERT INTO ledger_snapshot"
        + " (seq, base_seq, balance_count, hold_count, written_at_ms, hash) VALUES (?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, snapshot.seq());
      insert.setLong(2, snapshot.baseSeq());
      insert.setLong(3, snapshot.balances().size());
      insert.setLong(4, snapshot.holds().size());
      insert.setLong(5, writtenAtMs);
      insert.setBytes(6, hash);
      insert.executeUpdate();
    }
    insertSnapshotBalances(transaction, snapshot);
    try (PreparedStatement insert = transaction.prepareStatement(
        "INSERT INTO ledger_snapshot_hold (snapshot_seq, entry_seq) VALUES (?, ?)")) {
      for (LedgerEntry hold : snapshot.holds()) {
        insert.setLong(1, snapshot.seq());
        insert.setLong(2, hold.seq());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static void deleteOutside(Connection transaction, String sql, long keepFrom, long replaceFrom)
      throws SQLException {
    try (PreparedStatement delete = transaction.prepareStatement(sql)) {
      delete.setLong(1, keepFrom);
      delete.setLong(2, replaceFrom);
      delete.executeUpdate();
    }
  }

  private void insertSnapshotBalances(Connection transaction, LedgerSnapshot snapshot) throws SQLException {
    List<LedgerSnapshot.Balance> balances = snapshot.balances();
    int full = balances.size() / ROWS_PER_STATEMENT * ROWS_PER_STATEMENT;
    try (PreparedStatement many = transaction.prepareStatement(balanceInsertMany);
        PreparedStatement one = transaction.prepareStatement(balanceInsertOne)) {
      for (int start = 0; start < full; start += ROWS_PER_STATEMENT) {
        for (int row = 0; row < ROWS_PER_STATEMENT; row++) {
          bindBalance(many, row * BALANCE_COLUMN_COUNT, snapshot.seq(), balances.get(start + row));
        }
        many.addBatch();
      }
      many.executeBatch();
      for (int i = full; i < balances.size(); i++) {
        bindBalance(one, 0, snapshot.seq(), balances.get(i));
        one.addBatch();
      }
      one.executeBatch();
    }
  }

  private static void bindBalance(PreparedStatement insert, int offset, long seq, LedgerSnapshot.Balance b)
      throws SQLException {
    insert.setLong(offset + 1, seq);
    insert.setLong(offset + 2, b.accountId());
    insert.setLong(offset + 3, b.debitsPendingMinor());
    insert.setLong(offset + 4, b.debitsPostedMinor());
    insert.setLong(offset + 5, b.creditsPendingMinor());
    insert.setLong(offset + 6, b.creditsPostedMinor());
  }

  private static LedgerEntry entryOf(ResultSet rows) throws SQLException {
    return new LedgerEntry(rows.getLong(1), EntryKind.ofCode(rows.getInt(2)), rows.getLong(3), rows.getLong(4),
        rows.getLong(5), rows.getLong(6), rows.getLong(7), rows.getLong(8), rows.getInt(9) != 0, rows.getLong(10),
        CurrencyUnit.ofNumeric(rows.getInt(11)), rows.getLong(12), rows.getLong(13));
  }
}

package io.iotpay.ledger;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A ledger on a fresh test store, with a manual business clock, that can be restarted. */
final class TestLedger implements AutoCloseable {
  static final long START_MS = 1_800_000_000_000L;
  static final CurrencyUnit EUR = CurrencyUnit.EUR;
  static final CurrencyUnit CNY = CurrencyUnit.CNY;

  final Database database;
  final ManualClock clock = new ManualClock(START_MS);
  final AuditJournal journal;
  final LedgerConfig config;
  Ledger ledger;

  TestLedger(Database database, AuditJournal journal, LedgerConfig config) {
    this.database = database;
    this.journal = journal;
    this.config = config;
    this.ledger = Ledger.open(database, config, clock, journal);
  }

  static TestLedger open(Database.Dialect dialect, Path tempDir) {
    return new TestLedger(TestStores.open(dialect, tempDir), AuditJournal.none(), LedgerConfig.defaults());
  }

  /** Closes the ledger and opens it again on the same store: memory rebuilt by replay. */
  void restart() {
    ledger.close();
    ledger = Ledger.open(database, config, clock, journal);
  }

  List<AccountResult> accounts(Account... accounts) {
    return join(ledger.createAccounts(List.of(accounts)));
  }

  List<TransferResult> submit(Transfer... transfers) {
    return join(ledger.submit(List.of(transfers)));
  }

  TransferResult one(Transfer transfer) {
    return submit(transfer).get(0);
  }

  AccountBalance balance(long accountId) {
    return ledger.balance(accountId).orElseThrow();
  }

  Map<Long, AccountBalance> balances() {
    return ledger.balances();
  }

  static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("ledger call failed: " + e, e);
    }
  }

  long entryRows() {
    return queryLong("SELECT COUNT(*) FROM ledger_entry");
  }

  long queryLong(String sql) {
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement(sql);
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** Every stored entry, in order, read with plain JDBC (not through the ledger). */
  List<LedgerEntry> storedEntries() {
    List<LedgerEntry> entries = new ArrayList<>();
    try (Connection connection = database.connection()) {
      connection.setAutoCommit(false);
      new LedgerStore().readEntries(connection, entries::add);
      connection.commit();
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    return entries;
  }

  @Override
  public void close() {
    if (ledger != null) {
      ledger.close();
    }
    database.close();
  }
}

package io.iotpay.demo.pos;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Pem;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerAuditCheck;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.ledger.audit.VerificationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One party's records: its own SQLite database file, the ledger on it and the ledger's signed audit
 * log (a signing key of the party's suite, its public half in {@code audit-public-key.pem} next to
 * the database). The demo reads every figure back from here.
 */
public final class PartyBooks implements AutoCloseable {
  private static final long WAIT_S = 30;

  final String name;
  final AlgorithmSuite suite;
  final Path file;
  public final Database database;
  public final Ledger ledger;
  private final AuditLog auditLog;
  private final KeyPair auditKey;
  private boolean closed;

  public PartyBooks(String name, AlgorithmSuite suite, Path file, BusinessClock clock) {
    this.name = name;
    this.suite = suite;
    this.file = file;
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot create " + file.getParent(), e);
    }
    this.database = Database.open("jdbc:sqlite:" + file, 4);
    this.auditKey = suite.signature().generateKeyPair(new SecureRandom());
    try {
      this.auditLog = AuditLog.open(database, AuditLogConfig.of(suite, auditKey));
    } catch (SQLException e) {
      throw new IllegalStateException(name + ": audit log cannot be opened", e);
    }
    this.ledger = Ledger.open(database, LedgerConfig.defaults(), clock.asJavaClock(), auditLog);
    try {
      Files.writeString(file.resolveSibling("audit-public-key.pem"), Pem.write(auditKey.getPublic()));
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot write the audit public key", e);
    }
  }

  public void createAccounts(List<Account> accounts) {
    join(ledger.createAccounts(accounts));
  }

  /** Submits one transfer; anything but OK is a fault of the demo's wiring. */
  public void post(Transfer transfer) {
    TransferResult result = join(ledger.submit(List.of(transfer))).get(0);
    if (result != TransferResult.OK) {
      throw new IllegalStateException(name + ": ledger refused transfer " + transfer.id() + ": " + result);
    }
  }

  public AccountBalance balance(long accountId) {
    return ledger.balance(accountId).orElseThrow(() -> new IllegalStateException(name + ": no account " + accountId));
  }

  /** Debits equal credits over every account, pending and posted, read from the ledger. */
  public boolean balanced() {
    long dp = 0;
    long cp = 0;
    long dq = 0;
    long cq = 0;
    for (AccountBalance b : ledger.balances().values()) {
      dp += b.debitsPostedMinor();
      cp += b.creditsPostedMinor();
      dq += b.debitsPendingMinor();
      cq += b.creditsPendingMinor();
    }
    return dp == cp && dq == cq;
  }

  public Map<Long, AccountBalance> balances() {
    return ledger.balances();
  }

  /** The rows of a read-only query, each column as text (null stays null). */
  List<List<String>> rows(String sql, Object... args) {
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      List<List<String>> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        int n = r.getMetaData().getColumnCount();
        while (r.next()) {
          List<String> row = new ArrayList<>(n);
          for (int i = 1; i <= n; i++) {
            row.add(r.getString(i));
          }
          out.add(row);
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(name + ": query failed: " + e.getMessage(), e);
    }
  }

  /** One write statement; how many rows it changed. */
  int update(String sql, Object... args) {
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(name + ": write failed: " + e.getMessage(), e);
    }
  }

  long count(String sql, Object... args) {
    String v = rows(sql, args).get(0).get(0);
    return v == null ? 0 : Long.parseLong(v);
  }

  /** Closes the ledger and the log (the last checkpoint covers every leaf), keeping the database open. */
  public void closeLedger() {
    if (!closed) {
      closed = true;
      ledger.close();
      auditLog.close();
    }
  }

  /** Verifies the audit log against the ledger's rows with the party's public key; call after {@link #closeLedger()}. */
  public VerificationReport verifyAudit() {
    try {
      return AuditVerifier.verify(DatabaseAuditSource.of(database),
          Map.of(Checkpoint.keyIdOf(suite, auditKey.getPublic().getEncoded()), auditKey.getPublic()),
          LedgerAuditCheck.of(database));
    } catch (Exception e) {
      throw new IllegalStateException(name + ": audit log cannot be read: " + e.getMessage(), e);
    }
  }

  public static <T> T join(CompletableFuture<T> future) {
    return future.orTimeout(WAIT_S, TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    closeLedger();
    database.close();
  }
}

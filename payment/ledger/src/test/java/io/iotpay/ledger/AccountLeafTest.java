package io.iotpay.ledger;

import static io.iotpay.ledger.TestLedger.EUR;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.TestStores;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.ledger.audit.VerificationReport;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Accounts are audit leaves: created accounts get a leaf in the batch that creates them, an older
 * database's accounts are adopted once at the first start-up after the migration, and an account
 * row without its leaf (or differing from it) is named by the verifier. Real SQLite files, and
 * PostgreSQL when {@code IOTPAY_TEST_POSTGRES_URL} is set; both suites.
 */
class AccountLeafTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path tempDir;

  static Stream<Arguments> storesAndSuites() {
    List<Arguments> out = new ArrayList<>();
    for (Database.Dialect dialect : TestStores.dialects()) {
      for (AlgorithmSuite suite : AlgorithmSuite.values()) {
        out.add(Arguments.of(dialect, suite));
      }
    }
    return out.stream();
  }

  /** Accounts 1..3 in book 1, two transfers; the log closed (its last checkpoint covers every leaf). */
  private static KeyPair populate(Database database, AlgorithmSuite suite) {
    KeyPair key = suite.signature().generateKeyPair(RANDOM);
    try (AuditLog log = AuditLog.open(database, AuditLogConfig.of(suite, key));
        Ledger ledger = Ledger.open(database, LedgerConfig.defaults(), new ManualClock(TestLedger.START_MS), log)) {
      TestLedger.join(ledger.createAccounts(List.of(Account.of(1, 1, EUR), Account.of(2, 1, EUR),
          new Account(3, 1, EUR, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS))));
      TestLedger.join(ledger.submit(List.of(Transfer.single(10, 1, 3, 50), Transfer.single(11, 3, 2, 20))));
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
    return key;
  }

  private static VerificationReport verify(Database database, AlgorithmSuite suite, KeyPair key) throws Exception {
    return AuditVerifier.verify(DatabaseAuditSource.of(database),
        Map.of(Checkpoint.keyIdOf(suite, key.getPublic().getEncoded()), key.getPublic()), LedgerAuditCheck.of(database));
  }

  private static void execute(Database database, String sql) throws Exception {
    try (Connection connection = database.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.executeUpdate();
    }
  }

  @ParameterizedTest
  @MethodSource("storesAndSuites")
  void createdAccounts_areLeaves_andTheLogVerifies(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    try (Database database = TestStores.open(dialect, tempDir)) {
      KeyPair key = populate(database, suite);
      VerificationReport report = verify(database, suite, key);
      assertThat(report.firstFailure()).isNull();
      assertThat(report.leavesChecked()).isEqualTo(3 + 2);
      List<AccountLeaf> leaves = new ArrayList<>();
      DatabaseAuditSource.of(database).forEachLeaf((index, entry, chain) -> {
        if (AccountLeaf.isAccountLeaf(entry)) {
          leaves.add(AccountLeaf.decode(entry));
        }
        return true;
      });
      assertThat(leaves).containsExactly(
          new AccountLeaf(Account.of(1, 1, EUR), AccountLeaf.Origin.CREATED),
          new AccountLeaf(Account.of(2, 1, EUR), AccountLeaf.Origin.CREATED),
          new AccountLeaf(new Account(3, 1, EUR, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS), AccountLeaf.Origin.CREATED));
    }
  }

  @ParameterizedTest
  @MethodSource("storesAndSuites")
  void accountInsertedBehindTheLedgersBack_isNamed_andNotAdoptedAtTheNextStartUp(Database.Dialect dialect, AlgorithmSuite suite)
      throws Exception {
    try (Database database = TestStores.open(dialect, tempDir)) {
      KeyPair key = populate(database, suite);
      execute(database, "INSERT INTO ledger_account (id, book_id, currency, flags) VALUES (99, 1, 978, 0)");
      assertThat(verify(database, suite, key).firstFailure().describe()).isEqualTo(
          "log: 1 ledger_account row(s) have no audit leaf (inserted behind the ledger's back), first: account 99 of book 1");
      // A restart must not launder it into an "adopted" leaf: accounts with leaves exist, so this one is foreign.
      try (AuditLog log = AuditLog.open(database, AuditLogConfig.of(suite, key));
          Ledger ledger = Ledger.open(database, LedgerConfig.defaults(), new ManualClock(TestLedger.START_MS), log)) {
        assertThat(log.size()).isEqualTo(5);
      }
      assertThat(verify(database, suite, key).firstFailure().describe()).contains("account 99 of book 1");
    }
  }

  @ParameterizedTest
  @MethodSource("storesAndSuites")
  void accountRowChangedOrDeleted_isNamedAtItsLeaf(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    try (Database database = TestStores.open(dialect, tempDir)) {
      KeyPair key = populate(database, suite);
      execute(database, "UPDATE ledger_account SET flags = 0 WHERE id = 3");
      assertThat(verify(database, suite, key).firstFailure().describe()).isEqualTo(
          "leaf 2: the ledger_account row recorded at this leaf differs from the logged account (the row was changed)");
      execute(database, "DELETE FROM ledger_account WHERE id = 2");
      assertThat(verify(database, suite, key).firstFailure().describe()).isEqualTo(
          "leaf 1: no ledger_account row is recorded at this account leaf (the row was deleted or moved)");
    }
  }

  @ParameterizedTest
  @MethodSource("storesAndSuites")
  void databaseFromBeforeAccountLeaves_isMigrated_andItsAccountsAdoptedOnce(Database.Dialect dialect, AlgorithmSuite suite)
      throws Exception {
    try (Database database = TestStores.open(dialect, tempDir)) {
      KeyPair key = suite.signature().generateKeyPair(RANDOM);
      // The ledger's schema as version 1 left it: two accounts without leaves, one entry that is leaf 0.
      Flyway.configure(Database.class.getClassLoader()).dataSource(database.dataSource())
          .locations("classpath:db/ledger/" + dialect.name().toLowerCase(java.util.Locale.ROOT)).table("flyway_ledger_history")
          .baselineOnMigrate(true).baselineVersion("0").target("1").load().migrate();
      LedgerEntry old = new LedgerEntry(1, EntryKind.SINGLE_PHASE, 10, 1, 2, 5, 0, 0, false, 1, EUR, TestLedger.START_MS, 0);
      try (AuditLog log = AuditLog.open(database, AuditLogConfig.of(suite, key))) {
        log.appendStandalone(List.of(old.canonicalBytes()));
      }
      execute(database, "INSERT INTO ledger_account (id, book_id, currency, flags) VALUES (1, 1, 978, 0), (2, 1, 978, 0)");
      execute(database, "INSERT INTO ledger_entry (seq, kind, transfer_id, debit_account_id, credit_account_id, amount_minor,"
          + " pending_id, timeout_ms, linked, book_id, currency, applied_at_ms, audit_index)"
          + " VALUES (1, 1, 10, 1, 2, 5, 0, 0, 0, 1, 978, " + TestLedger.START_MS + ", 0)");

      for (int start = 0; start < 2; start++) { // the second start-up adopts nothing more
        try (AuditLog log = AuditLog.open(database, AuditLogConfig.of(suite, key));
            Ledger ledger = Ledger.open(database, LedgerConfig.defaults(), new ManualClock(TestLedger.START_MS), log)) {
          assertThat(log.size()).isEqualTo(3);
          assertThat(ledger.balance(2).orElseThrow().creditsPostedMinor()).isEqualTo(5);
        }
      }
      VerificationReport report = verify(database, suite, key);
      assertThat(report.firstFailure()).isNull();
      List<AccountLeaf> adopted = new ArrayList<>();
      DatabaseAuditSource.of(database).forEachLeaf((index, entry, chain) -> {
        if (AccountLeaf.isAccountLeaf(entry)) {
          adopted.add(AccountLeaf.decode(entry));
        }
        return true;
      });
      assertThat(adopted).containsExactly(new AccountLeaf(Account.of(1, 1, EUR), AccountLeaf.Origin.ADOPTED),
          new AccountLeaf(Account.of(2, 1, EUR), AccountLeaf.Origin.ADOPTED));
    }
  }
}

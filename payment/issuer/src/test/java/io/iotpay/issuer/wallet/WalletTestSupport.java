package io.iotpay.issuer.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.Ledger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.provider.Arguments;

/**
 * What the wallet issuer's tests share: the database (a SQLite file, or a fresh schema on PostgreSQL
 * when {@code IOTPAY_TEST_POSTGRES_URL} is set), the cases over dialects, suites and crashes, and
 * the books' balance check.
 */
final class WalletTestSupport {
  private WalletTestSupport() {}

  /** Every database dialect × every suite. */
  static Stream<Arguments> dialectsAndSuites() {
    List<Arguments> out = new ArrayList<>();
    for (Database.Dialect dialect : Database.Dialect.values()) {
      for (AlgorithmSuite suite : AlgorithmSuite.values()) {
        out.add(Arguments.of(dialect, suite));
      }
    }
    return out.stream();
  }

  /** Every dialect × suite × where the crash comes. */
  static Stream<Arguments> dialectsSuitesAndCrashes() {
    List<Arguments> out = new ArrayList<>();
    for (Arguments c : dialectsAndSuites().toList()) {
      for (CrashingLedger.Crash crash : CrashingLedger.Crash.values()) {
        out.add(Arguments.of(c.get()[0], c.get()[1], crash));
      }
    }
    return out.stream();
  }

  /** Every transfer debits one account and credits another: the book's debits equal its credits. */
  static void assertBooksBalance(Ledger ledger) {
    long debits = 0;
    long credits = 0;
    for (AccountBalance b : ledger.balances().values()) {
      debits += b.debitsPostedMinor() + b.debitsPendingMinor();
      credits += b.creditsPostedMinor() + b.creditsPendingMinor();
    }
    assertThat(debits).isEqualTo(credits).isPositive();
  }

  /** The JDBC URL of a new, empty issuer database of {@code dialect}; a PostgreSQL case is skipped without the variable. */
  static String freshUrl(Database.Dialect dialect, Path dir) {
    return switch (dialect) {
      case SQLITE -> "jdbc:sqlite:" + dir.resolve("issuer.db");
      case POSTGRESQL -> freshPostgresSchema();
    };
  }

  private static String freshPostgresSchema() {
    String base = System.getenv("IOTPAY_TEST_POSTGRES_URL");
    Assumptions.assumeTrue(base != null && !base.isBlank(), "IOTPAY_TEST_POSTGRES_URL not set: PostgreSQL case skipped");
    String schema = "wallet_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = DriverManager.getConnection(base); Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test schema on " + base, e);
    }
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}

package io.iotpay.issuer.credit;

import io.iotpay.foundation.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh databases for the credit store tests: SQLite always; PostgreSQL only when
 * {@code IOTPAY_TEST_POSTGRES_URL} is set (as {@code .ci/run} does), each test in a new schema.
 */
final class CreditStores {
  static final String POSTGRES_URL_VARIABLE = "IOTPAY_TEST_POSTGRES_URL";

  private CreditStores() {}

  static Database open(Database.Dialect dialect, Path directory) {
    return switch (dialect) {
      case SQLITE -> Database.open("jdbc:sqlite:" + directory.resolve("credit-" + UUID.randomUUID() + ".db"), 4);
      case POSTGRESQL -> Database.open(freshPostgresSchema(), 4);
    };
  }

  private static String freshPostgresSchema() {
    String base = System.getenv(POSTGRES_URL_VARIABLE);
    Assumptions.assumeTrue(base != null && !base.isBlank(), POSTGRES_URL_VARIABLE + " not set: PostgreSQL case skipped");
    String schema = "credit_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = DriverManager.getConnection(base); Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test schema on " + base, e);
    }
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}

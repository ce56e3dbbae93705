package io.iotpay.issuer.wallet;

import io.iotpay.foundation.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/** The issuer's test database: a SQLite file, or a fresh schema on PostgreSQL when {@code IOTPAY_TEST_POSTGRES_URL} is set. */
final class TestDatabases {
  private TestDatabases() {}

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

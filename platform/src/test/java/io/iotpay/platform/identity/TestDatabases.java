package io.iotpay.platform.identity;

import io.iotpay.foundation.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh databases for the identity/envelope store tests: an SQLite file in a temp folder always,
 * and a fresh PostgreSQL schema when {@code IOTPAY_TEST_POSTGRES_URL} is set (skipped otherwise).
 */
public final class TestDatabases {
  public static final String POSTGRES_URL_VARIABLE = "IOTPAY_TEST_POSTGRES_URL";

  private TestDatabases() {}

  public static List<Database.Dialect> dialects() {
    return List.of(Database.Dialect.SQLITE, Database.Dialect.POSTGRESQL);
  }

  public static Database open(Database.Dialect dialect, Path tempDir) {
    return Database.open(freshUrl(dialect, tempDir), 4);
  }

  /** The JDBC URL of a fresh, empty store (to open again, as a restart does); PostgreSQL skipped when not configured. */
  public static String freshUrl(Database.Dialect dialect, Path tempDir) {
    return switch (dialect) {
      case SQLITE -> "jdbc:sqlite:" + tempDir.resolve("identity-" + UUID.randomUUID() + ".db");
      case POSTGRESQL -> freshPostgresSchema();
    };
  }

  private static String freshPostgresSchema() {
    String base = System.getenv(POSTGRES_URL_VARIABLE);
    Assumptions.assumeTrue(base != null && !base.isBlank(), POSTGRES_URL_VARIABLE + " not set: PostgreSQL test skipped");
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = DriverManager.getConnection(base); Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test schema on " + base, e);
    }
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}

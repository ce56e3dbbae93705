package io.iotpay.foundation.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The stores a store test runs against: SQLite always; PostgreSQL when
 * {@code IOTPAY_TEST_POSTGRES_URL} is set (as {@code .ci/run} does), each test in a fresh schema.
 */
public final class TestStores {
  public static final String POSTGRES_URL_VARIABLE = "IOTPAY_TEST_POSTGRES_URL";

  private TestStores() {}

  /** The dialects to parameterise over: both, always; PostgreSQL ones are skipped without a server. */
  public static List<Database.Dialect> dialects() {
    return List.of(Database.Dialect.SQLITE, Database.Dialect.POSTGRESQL);
  }

  /** A fresh, empty database of the dialect; skips the test (assumption) if PostgreSQL is not configured. */
  public static Database open(Database.Dialect dialect, Path tempDir) {
    return Database.open(url(dialect, tempDir), 4);
  }

  /** The JDBC URL of a fresh, empty database of the dialect. */
  public static String url(Database.Dialect dialect, Path tempDir) {
    return switch (dialect) {
      case SQLITE -> "jdbc:sqlite:" + tempDir.resolve("test-" + UUID.randomUUID() + ".db");
      case POSTGRESQL -> freshPostgresSchema();
    };
  }

  private static String freshPostgresSchema() {
    String base = System.getenv(POSTGRES_URL_VARIABLE);
    Assumptions.assumeTrue(base != null && !base.isBlank(), POSTGRES_URL_VARIABLE + " not set: PostgreSQL test skipped");
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = DriverManager.getConnection(base);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test schema on " + base, e);
    }
    CREATED.add(schema);
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static final List<String> CREATED = new ArrayList<>();
}

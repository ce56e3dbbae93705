package io.iotpay.foundation.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.iotpay.foundation.InvalidInputException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A relational store: SQLite (embedded default, one file, WAL) or PostgreSQL (production).
 *
 * <p>Each component (ledger, audit, …) keeps its own migrations under
 * {@code db/<component>/<dialect>/} and its own Flyway history table, so components evolve
 * independently on one database.
 */
public final class Database implements AutoCloseable {
  /** The SQL dialects iotpay supports. */
  public enum Dialect {
    SQLITE,
    POSTGRESQL;

    String folder() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** SQLite page cache per pooled connection, KiB (128 MiB). */
  static final int PAGE_CACHE_KIB = 128 * 1024;

  private final Dialect dialect;
  private final HikariDataSource dataSource;
  private final ReentrantLock writeLock = new ReentrantLock(true);

  private Database(Dialect dialect, HikariDataSource dataSource) {
    this.dialect = dialect;
    this.dataSource = dataSource;
  }

  /**
   * Runs one write transaction of this process under a fair in-process lock when the store is
   * SQLite (one writer per file anyway): writers then queue and are woken at once, instead of
   * polling SQLite's busy handler, which sleeps up to 100 ms between tries. On PostgreSQL it runs
   * {@code work} directly. Writers that do not use it still work (they wait in the busy handler).
   *
   * @param work the transaction, start to commit or rollback; its exceptions pass through
   */
  public <T, E extends Exception> T writing(WriteWork<T, E> work) throws E {
    if (dialect != Dialect.SQLITE) {
      return work.run();
    }
    writeLock.lock();
    try {
      return work.run();
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Runs {@code work} as one write transaction on a connection of its own, under {@link #writing}:
   * committed when it returns, rolled back when it throws (its exception passes through).
   *
   * @throws SQLException from the work, the commit or the rollback
   */
  public <T> T inTransaction(SqlWork<T> work) throws SQLException {
    return writing(() -> {
      try (Connection c = connection()) {
        c.setAutoCommit(false);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        }
      }
    });
  }

  /** The body of a transaction for {@link #inTransaction}. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /** A write transaction for {@link #writing}. */
  @FunctionalInterface
  public interface WriteWork<T, E extends Exception> {
    T run() throws E;
  }

  /**
   * Opens the database behind a JDBC URL ({@code jdbc:sqlite:FILE} or {@code jdbc:postgresql:…}).
   * SQLite is switched to WAL with full synchronous commits, so a committed batch survives power
   * loss.
   *
   * @param poolSizeMax connections kept open at most (SQLite has one writer in any case)
   * @throws InvalidInputException for a URL of another database
   */
  public static Database open(String jdbcUrl, int poolSizeMax) {
    Dialect dialect = dialectOf(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(poolSizeMax);
    config.setPoolName("iotpay-" + dialect.folder());
    if (dialect == Dialect.SQLITE) {
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("synchronous", "FULL");
      config.addDataSourceProperty("busy_timeout", "10000");
      config.addDataSourceProperty("foreign_keys", "true");
      // A larger page cache per connection (negative = KiB): clearing a day of millions of records
      // inserts into and probes B-trees far larger than SQLite's default 2 MB cache. Durability is
      // unchanged (WAL, synchronous FULL); the cache only fills as pages are used.
      config.addDataSourceProperty("cache_size", String.valueOf(-PAGE_CACHE_KIB));
    }
    return new Database(dialect, new HikariDataSource(config));
  }

  /** The dialect a JDBC URL names. */
  public static Dialect dialectOf(String jdbcUrl) {
    if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:sqlite:")) {
      return Dialect.SQLITE;
    }
    if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:")) {
      return Dialect.POSTGRESQL;
    }
    throw new InvalidInputException(
        "unsupported JDBC URL '" + jdbcUrl + "' (expected jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB)");
  }

  /**
   * Applies the pending migrations of one component (its scripts in {@code db/<component>/<dialect>}),
   * under {@link #writing}: on SQLite a migration that reads and then writes would otherwise fail at
   * once (SQLITE_BUSY_SNAPSHOT) when this process's ledger or audit log commits in between.
   */
  public void migrate(String component) {
    writing(() -> Flyway.configure(Database.class.getClassLoader())
        .dataSource(dataSource)
        .locations("classpath:db/" + component + "/" + dialect.folder())
        .table("flyway_" + component + "_history")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate());
  }

  public Dialect dialect() {
    return dialect;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** A pooled connection; the caller closes it. */
  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  @Override
  public void close() {
    dataSource.close();
  }
}

package io.iotpay.foundation.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StatementCacheTest {
  @TempDir Path tempDir;

  static List<Database.Dialect> dialects() {
    return TestStores.dialects();
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void prepared_isPreparedOncePerConnection_andSeesWritesCommittedBetweenUses(Database.Dialect dialect)
      throws Exception {
    String url = TestStores.url(dialect, tempDir);
    try (Database database = Database.open(url, 1)) {
      create(database);
      StatementCache cache = new StatementCache();
      String sql = "SELECT amount FROM cached WHERE id = ?";
      PreparedStatement first;
      try (Connection c = database.connection()) {
        first = cache.prepared(c, sql);
        assertThat(amount(first, 1)).isEqualTo(10);
      }
      // A write committed by another connection between two uses: the cached statement must not
      // read an old snapshot.
      try (Connection other = DriverManager.getConnection(url); Statement s = other.createStatement()) {
        s.execute("UPDATE cached SET amount = 11 WHERE id = 1");
      }
      try (Connection c = database.connection()) {
        PreparedStatement again = cache.prepared(c, sql);
        assertThat(again).isSameAs(first);
        assertThat(amount(again, 1)).isEqualTo(11);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void prepared_closesTheLeastRecentlyUsedStatement_pastTheBound(Database.Dialect dialect) throws Exception {
    try (Database database = Database.open(TestStores.url(dialect, tempDir), 1)) {
      create(database);
      StatementCache cache = new StatementCache();
      List<PreparedStatement> prepared = new ArrayList<>();
      try (Connection c = database.connection()) {
        for (int i = 0; i <= StatementCache.STATEMENTS_PER_CONNECTION_MAX; i++) {
          prepared.add(cache.prepared(c, "SELECT amount + " + i + " FROM cached WHERE id = ?"));
        }
        assertThat(prepared.get(0).isClosed()).isTrue();
        assertThat(prepared.get(1).isClosed()).isFalse();
        assertThat(amount(prepared.get(StatementCache.STATEMENTS_PER_CONNECTION_MAX), 1))
            .isEqualTo(10 + StatementCache.STATEMENTS_PER_CONNECTION_MAX);
        PreparedStatement remade = cache.prepared(c, "SELECT amount + 0 FROM cached WHERE id = ?");
        assertThat(remade).isNotSameAs(prepared.get(0));
        assertThat(amount(remade, 1)).isEqualTo(10);
      }
    }
  }

  private static void create(Database database) throws SQLException {
    write(database, "CREATE TABLE cached (id BIGINT PRIMARY KEY, amount BIGINT NOT NULL)");
    write(database, "INSERT INTO cached VALUES (1, 10)");
  }

  private static void write(Database database, String sql) throws SQLException {
    try (Connection c = database.connection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long amount(PreparedStatement statement, long id) throws SQLException {
    statement.setLong(1, id);
    try (ResultSet rows = statement.executeQuery()) {
      assertThat(rows.next()).isTrue();
      return rows.getLong(1);
    }
  }
}

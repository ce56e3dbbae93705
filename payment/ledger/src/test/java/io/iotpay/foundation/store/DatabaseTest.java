package io.iotpay.foundation.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.InvalidInputException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DatabaseTest {
  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void migrate_createsComponentTables_andRoundTripsBytes(Database.Dialect dialect) throws Exception {
    try (Database database = TestStores.open(dialect, tempDir)) {
      database.migrate("probe");
      database.migrate("probe"); // idempotent
      try (Connection connection = database.connection()) {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO probe (id, body) VALUES (?, ?)")) {
          insert.setLong(1, 7);
          insert.setBytes(2, new byte[] {1, 2, (byte) 0xFF});
          insert.executeUpdate();
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT body FROM probe WHERE id = 7");
            ResultSet rows = select.executeQuery()) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getBytes(1)).containsExactly(1, 2, 0xFF);
        }
      }
    }
  }

  @Test
  void open_refusesOtherDatabases() {
    assertThatThrownBy(() -> Database.open("jdbc:mysql://localhost/x", 1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("jdbc:mysql");
  }
}

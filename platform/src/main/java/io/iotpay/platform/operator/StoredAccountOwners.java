package io.iotpay.platform.operator;

import io.iotpay.foundation.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who holds which ledger account (table {@code platform_account_owner}, db/directory): what the
 * operator set through the API, asked before a user binds a device to an account. An account
 * without a holder (a merchant's settlement account) can be bound by nobody. Thread-safe.
 */
public final class StoredAccountOwners implements AccountOwnership {
  private final Database database;

  /** Migrates the directory tables of {@code database} if needed. */
  public StoredAccountOwners(Database database) {
    this.database = database;
    database.migrate("directory");
  }

  /** One account as the directory knows it. @param userId its holder, or null */
  public record Holding(long accountId, String userId, String currency) {}

  @Override
  public boolean holds(String userId, long accountId) {
    try {
      return find(accountId).map(holding -> userId.equals(holding.userId())).orElse(false);
    } catch (SQLException e) {
      throw new IllegalStateException("account holders cannot be read", e);
    }
  }

  /** Records a new account; false when one with this id is recorded already (nothing changed). */
  public boolean add(Holding holding) throws SQLException {
    return database.writing(() -> {
      try (Connection connection = database.connection();
          PreparedStatement insert = connection.prepareStatement("INSERT INTO platform_account_owner (account_id, user_id, currency)"
              + " SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM platform_account_owner WHERE account_id = ?)")) {
        insert.setLong(1, holding.accountId());
        insert.setString(2, holding.userId());
        insert.setString(3, holding.currency());
        insert.setLong(4, holding.accountId());
        return insert.executeUpdate() == 1;
      }
    });
  }

  /** Gives the account another holder (null: none); false when the account is not recorded. */
  public boolean changeHolder(long accountId, String userId) throws SQLException {
    return database.writing(() -> {
      try (Connection connection = database.connection();
          PreparedStatement update = connection.prepareStatement("UPDATE platform_account_owner SET user_id = ? WHERE account_id = ?")) {
        update.setString(1, userId);
        update.setLong(2, accountId);
        return update.executeUpdate() == 1;
      }
    });
  }

  /** The account's record; empty when none. */
  public Optional<Holding> find(long accountId) throws SQLException {
    List<Holding> found = select("SELECT account_id, user_id, currency FROM platform_account_owner WHERE account_id = ?", accountId, 1);
    return found.stream().findFirst();
  }

  /** Up to {@code limit} accounts in id order after {@code after} (0: from the first). */
  public List<Holding> list(long after, int limit) throws SQLException {
    return select("SELECT account_id, user_id, currency FROM platform_account_owner WHERE account_id > ? ORDER BY account_id LIMIT ?",
        after, limit);
  }

  private List<Holding> select(String sql, long accountId, int limit) throws SQLException {
    List<Holding> out = new ArrayList<>();
    try (Connection connection = database.connection(); PreparedStatement select = connection.prepareStatement(sql)) {
      select.setLong(1, accountId);
      if (sql.contains("LIMIT")) {
        select.setInt(2, limit);
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          out.add(new Holding(rows.getLong(1), rows.getString(2), rows.getString(3)));
        }
      }
    }
    return out;
  }
}

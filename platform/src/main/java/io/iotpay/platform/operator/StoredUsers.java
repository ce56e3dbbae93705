package io.iotpay.platform.operator;

import io.iotpay.foundation.crypto.DigestAlgorithm;
import io.iotpay.foundation.store.Database;
import io.iotpay.platform.access.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The users an operator created through the API (table {@code platform_user}, db/directory), each
 * with one bearer token the operator issued. Only the token's SHA-256 is stored: a copy of the
 * database lets nobody act as a user, and a look-up compares digests, whose timing tells nothing
 * about the token. Every node on the same database sees the same users. Thread-safe.
 */
public final class StoredUsers implements UserTokens {
  /** User ids: 1..64 of {@code A-Z a-z 0-9 -}. */
  public static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  /** Random bytes in an issued token (hex-encoded: 64 characters). */
  static final int TOKEN_BYTES = 32;

  private final Database database;
  private final SecureRandom random;

  /** Migrates the directory tables of {@code database} if needed. */
  public StoredUsers(Database database, SecureRandom random) {
    this.database = database;
    this.random = random;
    database.migrate("directory");
  }

  /** A user as listed: never their token. */
  public record User(String userId, Instant createdAt) {}

  /** A user and the token just issued to them: shown once, never stored. */
  public record Issued(String userId, String token) {
    @Override
    public String toString() {
      return "Issued[userId=" + userId + ", token=***]";
    }
  }

  @Override
  public Optional<String> userOf(String token) {
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement("SELECT user_id FROM platform_user WHERE token_sha256 = ?")) {
      select.setString(1, digest(token));
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("user tokens cannot be read", e);
    }
  }

  /**
   * Creates a user with a fresh token.
   *
   * @return the token, to hand to the user now (it cannot be read back later)
   * @throws ApiException 400 for a malformed id, 409 {@code USER_EXISTS}
   */
  public Issued create(String userId, Instant now) throws SQLException {
    requireUserId(userId);
    String token = newToken();
    boolean created = database.writing(() -> {
      try (Connection connection = database.connection();
          PreparedStatement insert = connection.prepareStatement("INSERT INTO platform_user (user_id, token_sha256, created_at_ms)"
              + " SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM platform_user WHERE user_id = ?)")) {
        insert.setString(1, userId);
        insert.setString(2, digest(token));
        insert.setLong(3, now.toEpochMilli());
        insert.setString(4, userId);
        return insert.executeUpdate() == 1;
      }
    });
    if (!created) {
      throw ApiException.conflict("USER_EXISTS", "user " + userId + " exists; issue a new token instead");
    }
    return new Issued(userId, token);
  }

  /**
   * Issues a new token to an existing user; their old token stops working at once.
   *
   * @return empty when there is no such user
   */
  public Optional<Issued> reissue(String userId) throws SQLException {
    requireUserId(userId);
    String token = newToken();
    int updated = database.writing(() -> {
      try (Connection connection = database.connection();
          PreparedStatement update = connection.prepareStatement("UPDATE platform_user SET token_sha256 = ? WHERE user_id = ?")) {
        update.setString(1, digest(token));
        update.setString(2, userId);
        return update.executeUpdate();
      }
    });
    return updated == 1 ? Optional.of(new Issued(userId, token)) : Optional.empty();
  }

  /** Whether {@code userId} is a user. */
  public boolean exists(String userId) throws SQLException {
    return list(null, Integer.MAX_VALUE, userId).size() == 1;
  }

  /** Up to {@code limit} users in id order after {@code after} (null: from the first). */
  public List<User> list(String after, int limit) throws SQLException {
    return list(after, limit, null);
  }

  private List<User> list(String after, int limit, String only) throws SQLException {
    List<User> out = new ArrayList<>();
    String sql = only != null ? "SELECT user_id, created_at_ms FROM platform_user WHERE user_id = ?"
        : "SELECT user_id, created_at_ms FROM platform_user WHERE user_id > ? ORDER BY user_id LIMIT ?";
    try (Connection connection = database.connection(); PreparedStatement select = connection.prepareStatement(sql)) {
      if (only != null) {
        select.setString(1, only);
      } else {
        select.setString(1, after == null ? "" : after);
        select.setInt(2, limit);
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          out.add(new User(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2))));
        }
      }
    }
    return out;
  }

  /** @throws ApiException 400 unless 1..64 of {@code A-Z a-z 0-9 -} */
  static void requireUserId(String userId) {
    if (userId == null || !USER_ID.matcher(userId).matches()) {
      throw ApiException.badRequest("a user id has 1..64 characters of A-Z a-z 0-9 -");
    }
  }

  private String newToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static String digest(String token) {
    return HexFormat.of().formatHex(DigestAlgorithm.SHA_256.digest(token.getBytes(StandardCharsets.UTF_8)));
  }
}

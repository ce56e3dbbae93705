package io.iotpay.acquirer.pos.risk;

import io.iotpay.foundation.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Terminal risk sensing's tables (Flyway component {@code acquirer-risk}, SQLite or PostgreSQL). */
final class RiskStore {
  static final String COMPONENT = "acquirer-risk";
  private final Database database;

  RiskStore(Database database) {
    this.database = database;
    database.migrate(COMPONENT);
  }

  /** A terminal's last counter and location. */
  record TerminalRow(String terminalId, long lastCounter, Integer latitudeMicro, Integer longitudeMicro,
      Long locatedAtMs) {}

  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * In one transaction: forgets the terminal's nonces issued before {@code issuedNotBeforeMs} (a
   * token over a forgotten one is refused as over an expired one), then issues the nonce unless the
   * terminal holds {@code outstandingMax} unused ones already.
   *
   * @return whether it was issued
   */
  boolean issueNonce(String nonceHex, String terminalId, long nowMs, long issuedNotBeforeMs, int outstandingMax) {
    return transaction("issue nonce", c -> {
      try (PreparedStatement forget = c.prepareStatement(
          "DELETE FROM risk_nonce WHERE terminal_id = ? AND issued_at_ms < ?")) {
        forget.setString(1, terminalId);
        forget.setLong(2, issuedNotBeforeMs);
        forget.executeUpdate();
      }
      try (PreparedStatement count = c.prepareStatement(
          "SELECT COUNT(*) FROM risk_nonce WHERE terminal_id = ? AND used = 0")) {
        count.setString(1, terminalId);
        try (ResultSet rs = count.executeQuery()) {
          rs.next();
          if (rs.getLong(1) >= outstandingMax) {
            return false;
          }
        }
      }
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO risk_nonce (nonce, terminal_id, issued_at_ms, used) VALUES (?,?,?,0)")) {
        insert.setString(1, nonceHex);
        insert.setString(2, terminalId);
        insert.setLong(3, nowMs);
        insert.executeUpdate();
        return true;
      }
    });
  }

  /**
   * In one transaction: uses the nonce (issued to this terminal, unused, issued at or after
   * {@code issuedNotBeforeMs}) and raises the terminal's counter to {@code counter} (it must be above
   * the last one). Nothing changes unless both hold.
   *
   * @return null when both held, else the reason
   */
  RiskReason useNonceAndCounter(String nonceHex, String terminalId, long issuedNotBeforeMs, long counter) {
    return transaction("use nonce", c -> useNonceAndCounter(c, nonceHex, terminalId, issuedNotBeforeMs, counter));
  }

  private static RiskReason useNonceAndCounter(Connection c, String nonceHex, String terminalId, long issuedNotBeforeMs,
      long counter) throws SQLException {
    try (PreparedStatement use = c.prepareStatement("UPDATE risk_nonce SET used = 1 WHERE nonce = ? AND terminal_id = ?"
        + " AND used = 0 AND issued_at_ms >= ?")) {
      use.setString(1, nonceHex);
      use.setString(2, terminalId);
      use.setLong(3, issuedNotBeforeMs);
      if (use.executeUpdate() != 1) {
        return RiskReason.NONCE_NOT_FRESH;
      }
    }
    Optional<TerminalRow> row = terminal(c, terminalId);
    if (row.isPresent() && row.get().lastCounter() >= counter) {
      // The nonce stays unused: a genuine token over it may still come.
      try (PreparedStatement undo = c.prepareStatement("UPDATE risk_nonce SET used = 0 WHERE nonce = ?")) {
        undo.setString(1, nonceHex);
        undo.executeUpdate();
      }
      return RiskReason.COUNTER_NOT_INCREASING;
    }
    String sql = row.isPresent() ? "UPDATE risk_terminal SET last_counter = ? WHERE terminal_id = ?"
        : "INSERT INTO risk_terminal (last_counter, terminal_id) VALUES (?,?)";
    try (PreparedStatement update = c.prepareStatement(sql)) {
      update.setLong(1, counter);
      update.setString(2, terminalId);
      update.executeUpdate();
    }
    return null;
  }

  /** The checks after the nonce and the counter, made inside the attestation's transaction. */
  @FunctionalInterface
  interface AttestationRule {
    /**
     * @param stale why the nonce or the counter was refused, null when both held
     * @param before the terminal's row before this attestation
     * @return the verdict (an approval records the location and lets the next payment through)
     */
    RiskVerdict decide(RiskReason stale, Optional<TerminalRow> before);
  }

  /**
   * A token that verified, in one transaction and one commit (the attestation's writes used to be
   * three; at 100 payments/s they queued on the store's one writer, docs/bench-pos.md §4): uses the
   * nonce and raises the counter as {@link #useNonceAndCounter}, asks {@code rule}, on an approval
   * records the location and the approval as {@link #approve}, and records the verdict as {@link
   * #recordEvent}.
   */
  RiskVerdict attest(String nonceHex, String terminalId, String merchantId, long issuedNotBeforeMs, long counter,
      int latitudeMicro, int longitudeMicro, long nowMs, long approvalExpiresAtMs, AttestationRule rule) {
    return transaction("attest", c -> {
      Optional<TerminalRow> before = terminal(c, terminalId);
      RiskReason stale = useNonceAndCounter(c, nonceHex, terminalId, issuedNotBeforeMs, counter);
      RiskVerdict verdict = rule.decide(stale, before);
      if (verdict.approved()) {
        approve(c, terminalId, latitudeMicro, longitudeMicro, nowMs, approvalExpiresAtMs);
      }
      insertEvent(c, nowMs, terminalId, merchantId, TerminalRiskService.ATTESTATION, verdict);
      return verdict;
    });
  }

  Optional<TerminalRow> terminal(String terminalId) {
    return read("read terminal", c -> terminal(c, terminalId));
  }

  private static Optional<TerminalRow> terminal(Connection c, String terminalId) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT terminal_id, last_counter, latitude_micro, longitude_micro,"
        + " located_at_ms FROM risk_terminal WHERE terminal_id = ?")) {
      q.setString(1, terminalId);
      try (ResultSet r = q.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        int lat = r.getInt(3);
        boolean located = !r.wasNull();
        return Optional.of(new TerminalRow(r.getString(1), r.getLong(2), located ? lat : null,
            located ? r.getInt(4) : null, located ? r.getLong(5) : null));
      }
    }
  }

  /** Records where the terminal was at its approved attestation and lets its next payment through until {@code expiresAtMs}. */
  void approve(String terminalId, int latitudeMicro, int longitudeMicro, long nowMs, long expiresAtMs) {
    transaction("approve attestation", c -> {
      approve(c, terminalId, latitudeMicro, longitudeMicro, nowMs, expiresAtMs);
      return null;
    });
  }

  private static void approve(Connection c, String terminalId, int latitudeMicro, int longitudeMicro, long nowMs,
      long expiresAtMs) throws SQLException {
    try (PreparedStatement update = c.prepareStatement("UPDATE risk_terminal SET latitude_micro = ?,"
        + " longitude_micro = ?, located_at_ms = ? WHERE terminal_id = ?")) {
      update.setInt(1, latitudeMicro);
      update.setInt(2, longitudeMicro);
      update.setLong(3, nowMs);
      update.setString(4, terminalId);
      update.executeUpdate();
    }
    try (PreparedStatement delete = c.prepareStatement("DELETE FROM risk_approval WHERE terminal_id = ?")) {
      delete.setString(1, terminalId);
      delete.executeUpdate();
    }
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO risk_approval (terminal_id, expires_at_ms) VALUES (?,?)")) {
      insert.setString(1, terminalId);
      insert.setLong(2, expiresAtMs);
      insert.executeUpdate();
    }
  }

  /** Whether this request was admitted before (a repeat of it is admitted again). */
  boolean admitted(String terminalId, int stan, String transmittedAt, String kind) {
    return read("read admission", c -> {
      try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM risk_admission WHERE terminal_id = ? AND stan = ?"
          + " AND transmitted_at = ? AND kind = ?")) {
        q.setString(1, terminalId);
        q.setInt(2, stan);
        q.setString(3, transmittedAt);
        q.setString(4, kind);
        try (ResultSet r = q.executeQuery()) {
          return r.next();
        }
      }
    });
  }

  /** What a merchant did: requests since {@code sinceMs}, and purchase and refund sums of {@code businessDate}. */
  record MerchantActivity(long requestsSince, long purchasedMinor, long refundedMinor) {}

  MerchantActivity activity(Connection c, String merchantId, long sinceMs, String businessDate) throws SQLException {
    long since;
    try (PreparedStatement q = c.prepareStatement(
        "SELECT COUNT(*) FROM risk_admission WHERE merchant_id = ? AND at_ms >= ?")) {
      q.setString(1, merchantId);
      q.setLong(2, sinceMs);
      try (ResultSet r = q.executeQuery()) {
        r.next();
        since = r.getLong(1);
      }
    }
    long purchased = 0;
    long refunded = 0;
    try (PreparedStatement q = c.prepareStatement("SELECT kind, COALESCE(SUM(amount_minor), 0) FROM risk_admission"
        + " WHERE merchant_id = ? AND business_date = ? GROUP BY kind")) {
      q.setString(1, merchantId);
      q.setString(2, businessDate);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          if (r.getString(1).equals("PURCHASE")) {
            purchased = r.getLong(2);
          } else {
            refunded = r.getLong(2);
          }
        }
      }
    }
    return new MerchantActivity(since, purchased, refunded);
  }

  /** The decision at payment time, made inside the store's write transaction. */
  @FunctionalInterface
  interface AdmissionRule {
    /** @return null to admit, else the reason */
    RiskReason decide(MerchantActivity activity, boolean approvalUsable);
  }

  /**
   * In one transaction: reads the merchant's activity and the terminal's approval, asks {@code rule};
   * when it admits, uses the approval and records the admission.
   */
  RiskReason admit(String terminalId, int stan, String transmittedAt, String kind, String merchantId, long amountMinor,
      String businessDate, long nowMs, long velocitySinceMs, AdmissionRule rule) {
    return transaction("admit", c -> {
      boolean usable;
      try (PreparedStatement q = c.prepareStatement(
          "SELECT 1 FROM risk_approval WHERE terminal_id = ? AND expires_at_ms >= ?")) {
        q.setString(1, terminalId);
        q.setLong(2, nowMs);
        try (ResultSet r = q.executeQuery()) {
          usable = r.next();
        }
      }
      RiskReason refused = rule.decide(activity(c, merchantId, velocitySinceMs, businessDate), usable);
      if (refused != null) {
        return refused;
      }
      try (PreparedStatement delete = c.prepareStatement("DELETE FROM risk_approval WHERE terminal_id = ?")) {
        delete.setString(1, terminalId);
        delete.executeUpdate();
      }
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO risk_admission (terminal_id, stan, transmitted_at,"
          + " kind, merchant_id, amount_minor, business_date, at_ms) VALUES (?,?,?,?,?,?,?,?)")) {
        insert.setString(1, terminalId);
        insert.setInt(2, stan);
        insert.setString(3, transmittedAt);
        insert.setString(4, kind);
        insert.setString(5, merchantId);
        insert.setLong(6, amountMinor);
        insert.setString(7, businessDate);
        insert.setLong(8, nowMs);
        insert.executeUpdate();
      }
      return null;
    });
  }

  void recordEvent(long atMs, String terminalId, String merchantId, String stage, RiskVerdict verdict) {
    transaction("record verdict", c -> {
      insertEvent(c, atMs, terminalId, merchantId, stage, verdict);
      return null;
    });
  }

  private static void insertEvent(Connection c, long atMs, String terminalId, String merchantId, String stage,
      RiskVerdict verdict) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO risk_event (at_ms, terminal_id, merchant_id, stage,"
        + " outcome, reason, detail) VALUES (?,?,?,?,?,?,?)")) {
      insert.setLong(1, atMs);
      insert.setString(2, terminalId);
      insert.setString(3, merchantId);
      insert.setString(4, stage);
      insert.setString(5, verdict.outcome().name());
      insert.setString(6, verdict.reason().name());
      insert.setString(7, verdict.detail());
      insert.executeUpdate();
    }
  }

  List<RiskEvent> events(String terminalId) {
    return read("read events", c -> {
      List<RiskEvent> out = new ArrayList<>();
      try (PreparedStatement q = c.prepareStatement("SELECT id, at_ms, terminal_id, merchant_id, stage, outcome, reason,"
          + " detail FROM risk_event WHERE terminal_id = ? ORDER BY id")) {
        q.setString(1, terminalId);
        try (ResultSet r = q.executeQuery()) {
          while (r.next()) {
            out.add(new RiskEvent(r.getLong(1), r.getLong(2), r.getString(3), r.getString(4), r.getString(5),
                RiskOutcome.valueOf(r.getString(6)), RiskReason.valueOf(r.getString(7)), r.getString(8)));
          }
        }
      }
      return out;
    });
  }

  private <T> T transaction(String what, Work<T> work) {
    try {
      return database.inTransaction(work::run);
    } catch (SQLException e) {
      throw new RiskStoreException(what + " failed: " + e.getMessage(), e);
    }
  }

  private <T> T read(String what, Work<T> work) {
    try (Connection connection = database.connection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new RiskStoreException(what + " failed: " + e.getMessage(), e);
    }
  }
}

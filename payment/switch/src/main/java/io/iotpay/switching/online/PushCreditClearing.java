package io.iotpay.switching.online;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.PartyId;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.switching.settlement.GrossSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Settlement of QR push credits (docs/qr.md, "Settlement of push credits"): the merchant-presented
 * payments an issuer sends as an 0200 with processing code 26 through the switch's push-credit node
 * to the merchant's acquirer. A push credit is final when the acquirer approves it, so there is no
 * presentment file: this source reads the node's own message log and gives each settlement run,
 * as a {@link GrossSource} beside the card clearing, every push credit the acquirer approved in
 * time (answered {@code 00}, relayed by the switch) and no approved 0400/0420 has reversed, once by
 * its message key (originator, terminal, STAN, field 7): originator (the payer's issuer) pays
 * receiver (the merchant's acquirer). A window takes everything approved since the last one (the
 * run's cut-off); a reversal approved after its credit was settled is settled back in the next
 * window (receiver pays originator). Declined, stand-in and duplicate answers never settle.
 *
 * <p>The message log is written asynchronously: call {@link OnlineSwitch#flushLog} on the node
 * before the settlement run. Thread-safe (synchronized).
 */
public final class PushCreditClearing implements GrossSource {
  private static final String APPROVED = "00";

  /**
   * @param originators the issuers that send push credits (the node's acquirer-side endpoints), each
   *     a settlement participant under the same id
   * @param receivers the acquirers that take them (the node's issuer-side endpoints), likewise
   * @param currency the settlement currency; a push credit in another is never settled here
   */
  public record Config(List<PartyId> originators, List<PartyId> receivers, CurrencyUnit currency) {
    public Config {
      originators = originators.stream().sorted(SwitchConfig.PARTY_ORDER).distinct().toList();
      receivers = receivers.stream().sorted(SwitchConfig.PARTY_ORDER).distinct().toList();
      Assert.that(!originators.isEmpty() && !receivers.isEmpty(), "push credits need originators and receivers");
      Assert.notNull(currency, "currency");
    }
  }

  /** A push credit as settled: its key, amount and the windows that settled it and (if reversed later) back. */
  public record Settled(PartyId originator, String terminalId, int stan, String transmittedAt, PartyId receiver,
      long amountMinor, LocalDate settledOn, LocalDate reversedOn) {}

  private final Config config;
  private final Database database;

  /** @param database the push-credit node's database (component {@code switch-online}); migrated here */
  public PushCreditClearing(Config config, Database database) {
    this.config = Assert.notNull(config, "config");
    this.database = Assert.notNull(database, "database");
    database.migrate(OnlineStore.COMPONENT);
  }

  @Override
  public List<PartyId> participants() {
    return config.receivers();
  }

  /**
   * Closes window T: every approved, unreversed push credit not settled before is settled in T, and
   * every settled credit reversed since is settled back in T; returns T's amounts. Idempotent for a
   * window not yet recorded as settled (a run that failed before {@link #settled} may close it
   * again, taking what came meanwhile); a settled window's amounts are returned unchanged.
   */
  @Override
  public synchronized Gross close(LocalDate businessDate) {
    String day = businessDate.toString();
    return write(c -> {
      if (!settledDay(c, day)) {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO online_push_day (business_date, closed_at_ms)"
            + " SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM online_push_day WHERE business_date = ?)")) {
          insert.setString(1, day);
          insert.setLong(2, System.currentTimeMillis());
          insert.setString(3, day);
          insert.executeUpdate();
        }
        takeNewCredits(c, day);
        takeLateReversals(c, day);
      }
      return gross(c, day);
    });
  }

  @Override
  public synchronized void settled(LocalDate businessDate) {
    write(c -> {
      try (PreparedStatement update = c.prepareStatement(
          "UPDATE online_push_day SET settled = 1 WHERE business_date = ?")) {
        update.setString(1, businessDate.toString());
        update.executeUpdate();
      }
      return null;
    });
  }

  /** Every push credit settled, in window then key order (for reports and tests). */
  public List<Settled> settledCredits() {
    return read(c -> {
      List<Settled> out = new ArrayList<>();
      try (PreparedStatement query = c.prepareStatement("SELECT originator, terminal_id, stan, transmitted_at, receiver,"
          + " amount_minor, settled_on, reversed_on FROM online_push_credit"
          + " ORDER BY settled_on, originator, terminal_id, stan, transmitted_at");
          ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          String reversed = rows.getString(8);
          out.add(new Settled(PartyId.of(rows.getString(1)), rows.getString(2), rows.getInt(3), rows.getString(4),
              PartyId.of(rows.getString(5)), rows.getLong(6), LocalDate.parse(rows.getString(7)),
              reversed == null ? null : LocalDate.parse(reversed)));
        }
      }
      return out;
    });
  }

  private static boolean settledDay(Connection c, String day) throws SQLException {
    try (PreparedStatement query = c.prepareStatement(
        "SELECT 1 FROM online_push_day WHERE business_date = ? AND settled = 1")) {
      query.setString(1, day);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  /**
   * Log rows of push credits the acquirer approved in time, in the settlement currency, that no
   * approved reversal names and no window took: what the next window settles (a repeat the acquirer
   * answered again is a second row of the same key).
   */
  private static final String UNSETTLED = " FROM online_message_log l WHERE l.request_mti = '0200'"
      + " AND l.processing_code = '260000' AND l.response_code = '" + APPROVED + "' AND l.answered_by = 'ISSUER'"
      + " AND l.currency = ? AND l.transmitted_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM online_push_credit p"
      + " WHERE p.originator = l.acquirer AND p.terminal_id = l.terminal_id AND p.stan = l.stan"
      + " AND p.transmitted_at = l.transmitted_at) AND NOT " + reversedBy("l.acquirer", "l.terminal_id", "l.stan",
          "l.transmitted_at");

  /**
   * Push credits approved and not reversed that no window has settled yet (distinct message keys):
   * zero after a run, once the node's log is written out; for operators and the demo's checks.
   */
  public long approvedNotSettled() {
    return read(c -> {
      try (PreparedStatement query = c.prepareStatement("SELECT COUNT(*) FROM (SELECT DISTINCT l.acquirer,"
          + " l.terminal_id, l.stan, l.transmitted_at" + UNSETTLED + ") keys")) {
        query.setString(1, config.currency().alphaCode());
        try (ResultSet rows = query.executeQuery()) {
          rows.next();
          return rows.getLong(1);
        }
      }
    });
  }

  /** Approved push credits (relayed {@code 00}), not reversed, not taken before: settled in {@code day}. */
  private void takeNewCredits(Connection c, String day) throws SQLException {
    String sql = "SELECT l.acquirer, l.terminal_id, l.stan, l.transmitted_at, l.issuer, l.amount_minor" + UNSETTLED
        + " ORDER BY l.id";
    Set<String> seen = new HashSet<>();
    try (PreparedStatement query = c.prepareStatement(sql);
        PreparedStatement insert = c.prepareStatement("INSERT INTO online_push_credit (originator, terminal_id, stan,"
            + " transmitted_at, receiver, amount_minor, settled_on) VALUES (?,?,?,?,?,?,?)")) {
      query.setString(1, config.currency().alphaCode());
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          PartyId originator = participant(rows.getString(1), config.originators(), "originator");
          PartyId receiver = participant(rows.getString(5), config.receivers(), "receiver");
          // The acquirer answers a repeat the switch forwarded again from its record: one credit, one key.
          if (!seen.add(rows.getString(1) + "|" + rows.getString(2) + "|" + rows.getInt(3) + "|" + rows.getString(4))) {
            continue;
          }
          insert.setString(1, originator.value());
          insert.setString(2, rows.getString(2));
          insert.setInt(3, rows.getInt(3));
          insert.setString(4, rows.getString(4));
          insert.setString(5, receiver.value());
          insert.setLong(6, rows.getLong(6));
          insert.setString(7, day);
          insert.executeUpdate();
        }
      }
    }
  }

  /** Credits settled in an earlier window whose reversal was approved since: settled back in {@code day}. */
  private static void takeLateReversals(Connection c, String day) throws SQLException {
    String sql = "UPDATE online_push_credit SET reversed_on = ? WHERE reversed_on IS NULL AND "
        + reversedBy("online_push_credit.originator", "online_push_credit.terminal_id", "online_push_credit.stan",
            "online_push_credit.transmitted_at");
    try (PreparedStatement update = c.prepareStatement(sql)) {
      update.setString(1, day);
      update.executeUpdate();
    }
  }

  /** An approved 0400/0420 of the same originator and terminal whose field 90 names the credit. */
  private static String reversedBy(String originator, String terminal, String stan, String field7) {
    return "EXISTS (SELECT 1 FROM online_message_log r WHERE r.acquirer = " + originator
        + " AND r.request_mti IN ('0400', '0420') AND r.terminal_id = " + terminal + " AND r.original_stan = " + stan
        + " AND r.original_transmitted_at = " + field7 + " AND r.response_code = '" + APPROVED + "')";
  }

  private static PartyId participant(String id, List<PartyId> allowed, String role) {
    PartyId party = PartyId.of(id);
    if (!allowed.contains(party)) {
      // A log row of an endpoint this source was not told about: a wiring error, not input to skip.
      throw new IllegalStateException("a push credit's " + role + " " + id + " is not a settlement participant");
    }
    return party;
  }

  /** Window {@code day}'s amounts: its credits (originator → receiver) and the reversals settled back in it. */
  private static Gross gross(Connection c, String day) throws SQLException {
    Map<PartyId, Map<PartyId, Long>> gross = new TreeMap<>(SwitchConfig.PARTY_ORDER);
    long records = 0;
    String sql = "SELECT originator, receiver, SUM(amount_minor), COUNT(*), 'C' FROM online_push_credit"
        + " WHERE settled_on = ? GROUP BY originator, receiver UNION ALL SELECT originator, receiver, SUM(amount_minor),"
        + " COUNT(*), 'R' FROM online_push_credit WHERE reversed_on = ? GROUP BY originator, receiver";
    try (PreparedStatement query = c.prepareStatement(sql)) {
      query.setString(1, day);
      query.setString(2, day);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          PartyId originator = PartyId.of(rows.getString(1));
          PartyId receiver = PartyId.of(rows.getString(2));
          boolean credit = rows.getString(5).equals("C");
          gross.computeIfAbsent(credit ? originator : receiver, p -> new TreeMap<>(SwitchConfig.PARTY_ORDER))
              .merge(credit ? receiver : originator, rows.getLong(3), Math::addExact);
          records += rows.getLong(4);
        }
      }
    }
    return new Gross(gross, records);
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** One transaction: the window's rows are taken and summed together, or not at all. */
  private <T> T write(Work<T> work) {
    try {
      return database.inTransaction(work::run);
    } catch (SQLException e) {
      throw new OnlineStoreException("push credit settlement failed: " + e.getMessage(), e);
    }
  }

  private <T> T read(Work<T> work) {
    try (Connection c = database.connection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new OnlineStoreException("push credit settlement read failed: " + e.getMessage(), e);
    }
  }
}

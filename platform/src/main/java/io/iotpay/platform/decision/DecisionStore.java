package io.iotpay.platform.decision;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.ledger.store.Database;
import io.iotpay.platform.device.DeviceId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The decision service's tables ({@code db/platform/<dialect>/V*.sql}): every decision version with
 * its audit index and leaf bytes, and every approved payment with its lifecycle state. Plain JDBC;
 * the service owns the transactions.
 */
final class DecisionStore {
  static final String COMPONENT = "platform";

  private static final String INSERT_DECISION =
      "INSERT INTO platform_decision (device_id, counter, version, audit_index, entry) VALUES (?, ?, ?, ?, ?)";
  private static final String INSERT_PAYMENT = "INSERT INTO platform_payment (device_id, counter, hold_transfer_id, debit_account_id,"
      + " credit_account_id, amount_minor, currency, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String UPDATE_PAYMENT_STATE = "UPDATE platform_payment SET state = ? WHERE device_id = ? AND counter = ?";

  /** A stored decision row. */
  record StoredDecision(long auditIndex, byte[] entry) {}

  private final Database database;

  DecisionStore(Database database) {
    this.database = database;
    database.migrate(COMPONENT);
  }

  Database database() {
    return database;
  }

  static void insertDecision(Connection tx, PaymentDecision decision, long auditIndex, byte[] entry) throws SQLException {
    try (PreparedStatement insert = tx.prepareStatement(INSERT_DECISION)) {
      insert.setString(1, decision.key().deviceId().value());
      insert.setLong(2, decision.key().counter());
      insert.setInt(3, decision.version());
      insert.setLong(4, auditIndex);
      insert.setBytes(5, entry);
      insert.executeUpdate();
    }
  }

  static void insertPayment(Connection tx, Payment payment) throws SQLException {
    try (PreparedStatement insert = tx.prepareStatement(INSERT_PAYMENT)) {
      insert.setString(1, payment.key().deviceId().value());
      insert.setLong(2, payment.key().counter());
      insert.setLong(3, payment.holdTransferId());
      insert.setLong(4, payment.debitAccountId());
      insert.setLong(5, payment.creditAccountId());
      insert.setLong(6, payment.amount().amountMinor());
      insert.setInt(7, payment.amount().currency().numericCode());
      insert.setString(8, payment.state().name());
      insert.executeUpdate();
    }
  }

  void updatePaymentState(Payment payment) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement update = connection.prepareStatement(UPDATE_PAYMENT_STATE)) {
      update.setString(1, payment.state().name());
      update.setString(2, payment.key().deviceId().value());
      update.setLong(3, payment.key().counter());
      if (update.executeUpdate() != 1) {
        throw new SQLException("payment " + payment.key() + " has no row to update");
      }
    }
  }

  /** Every decision row in audit order (so versions come in order). */
  List<StoredDecision> decisions() throws SQLException {
    List<StoredDecision> out = new ArrayList<>();
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement("SELECT audit_index, entry FROM platform_decision ORDER BY audit_index");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        out.add(new StoredDecision(rows.getLong(1), rows.getBytes(2)));
      }
    }
    return out;
  }

  /** Every payment row. */
  List<Payment> payments() throws SQLException {
    List<Payment> out = new ArrayList<>();
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement("SELECT device_id, counter, hold_transfer_id, debit_account_id,"
            + " credit_account_id, amount_minor, currency, state FROM platform_payment");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        IdempotencyKey key = new IdempotencyKey(DeviceId.of(rows.getString(1)), rows.getLong(2));
        out.add(new Payment(key, rows.getLong(3), rows.getLong(4), rows.getLong(5),
            Money.ofMinor(rows.getLong(6), CurrencyUnit.ofNumeric(rows.getInt(7))), PaymentState.valueOf(rows.getString(8))));
      }
    }
    return out;
  }
}

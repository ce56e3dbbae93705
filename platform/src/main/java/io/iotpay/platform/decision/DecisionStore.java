package io.iotpay.platform.decision;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.platform.identity.DeviceId;
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

  /**
   * Inserts a batch's decisions (the {@code i}-th at audit index {@code firstAuditIndex + i}, with its
   * audit entry) and the payments among them (null where a decision holds none), each table through one
   * prepared statement, in the caller's transaction.
   */
  static void insertAll(Connection tx, List<PaymentDecision> decisions, long firstAuditIndex, List<byte[]> entries,
      List<Payment> payments) throws SQLException {
    try (PreparedStatement insertDecision = tx.prepareStatement(INSERT_DECISION);
        PreparedStatement insertPayment = tx.prepareStatement(INSERT_PAYMENT)) {
      boolean anyPayment = false;
      for (int i = 0; i < decisions.size(); i++) {
        PaymentDecision decision = decisions.get(i);
        insertDecision.setString(1, decision.key().deviceId().value());
        insertDecision.setLong(2, decision.key().counter());
        insertDecision.setInt(3, decision.version());
        insertDecision.setLong(4, firstAuditIndex + i);
        insertDecision.setBytes(5, entries.get(i));
        insertDecision.addBatch();
        Payment payment = payments.get(i);
        if (payment != null) {
          insertPayment.setString(1, payment.key().deviceId().value());
          insertPayment.setLong(2, payment.key().counter());
          insertPayment.setLong(3, payment.holdTransferId());
          insertPayment.setLong(4, payment.debitAccountId());
          insertPayment.setLong(5, payment.creditAccountId());
          insertPayment.setLong(6, payment.amount().amountMinor());
          insertPayment.setInt(7, payment.amount().currency().numericCode());
          insertPayment.setString(8, payment.state().name());
          insertPayment.addBatch();
          anyPayment = true;
        }
      }
      insertDecision.executeBatch();
      if (anyPayment) {
        insertPayment.executeBatch();
      }
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

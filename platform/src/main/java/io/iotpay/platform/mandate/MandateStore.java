package io.iotpay.platform.mandate;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.platform.identity.DeviceId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The {@code platform_mandate} table (db/platform V2). */
final class MandateStore {
  private final Database database;

  MandateStore(Database database) {
    this.database = database;
    database.migrate("platform");
  }

  void insert(Mandate mandate) throws SQLException {
    MandateTerms terms = mandate.terms();
    try (Connection connection = database.connection();
        PreparedStatement insert = connection.prepareStatement("INSERT INTO platform_mandate (id, user_id, device_id, account_id,"
            + " currency, per_payment_minor, per_day_minor, per_month_minor, threshold_minor, merchants, categories, status,"
            + " bound_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, mandate.id().value());
      insert.setString(2, mandate.userId());
      insert.setString(3, mandate.deviceId().value());
      insert.setLong(4, mandate.accountId());
      insert.setInt(5, terms.currency().numericCode());
      insert.setLong(6, terms.perPaymentMax().amountMinor());
      insert.setLong(7, terms.perDayMax().amountMinor());
      insert.setLong(8, terms.perMonthMax().amountMinor());
      insert.setLong(9, terms.confirmationThreshold().amountMinor());
      insert.setString(10, String.join(",", new TreeSet<>(terms.allowedMerchants())));
      insert.setString(11, String.join(",", new TreeSet<>(terms.allowedCategories())));
      insert.setString(12, mandate.status().name());
      insert.setLong(13, mandate.boundAt().toEpochMilli());
      insert.executeUpdate();
    }
  }

  void updateStatus(MandateId id, MandateStatus status) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement update = connection.prepareStatement("UPDATE platform_mandate SET status = ? WHERE id = ?")) {
      update.setString(1, status.name());
      update.setString(2, id.value());
      if (update.executeUpdate() != 1) {
        throw new SQLException("mandate " + id + " has no row");
      }
    }
  }

  /** Every stored mandate; a malformed row is refused by the records' own checks (MandateException, DeviceIdException). */
  List<Mandate> all() throws SQLException {
    List<Mandate> out = new ArrayList<>();
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement("SELECT id, user_id, device_id, account_id, currency, per_payment_minor,"
            + " per_day_minor, per_month_minor, threshold_minor, merchants, categories, status, bound_at_ms FROM platform_mandate");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        CurrencyUnit currency = CurrencyUnit.ofNumeric(rows.getInt(5));
        MandateTerms terms = new MandateTerms(Money.ofMinor(rows.getLong(6), currency), Money.ofMinor(rows.getLong(7), currency),
            Money.ofMinor(rows.getLong(8), currency), Money.ofMinor(rows.getLong(9), currency), split(rows.getString(10)),
            split(rows.getString(11)));
        out.add(new Mandate(new MandateId(rows.getString(1)), rows.getString(2), DeviceId.of(rows.getString(3)), rows.getLong(4), terms,
            MandateStatus.valueOf(rows.getString(12)), Instant.ofEpochMilli(rows.getLong(13))));
      }
    }
    return out;
  }

  private static Set<String> split(String joined) {
    return joined.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(joined.split(",")));
  }
}

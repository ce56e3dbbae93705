package io.iotpay.platform.mandate;

import io.iotpay.foundation.store.Database;
import io.iotpay.platform.state.GeoPoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** The {@code platform_merchant} table (db/directory V1): the merchants a restart must keep. */
final class MerchantStore {
  private final Database database;

  MerchantStore(Database database) {
    this.database = database;
    database.migrate("directory");
  }

  /** Inserts or replaces the row of {@code merchant.merchantId()}. */
  void put(Merchant merchant) throws SQLException {
    database.writing(() -> {
      try (Connection connection = database.connection()) {
        connection.setAutoCommit(false);
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM platform_merchant WHERE merchant_id = ?");
            PreparedStatement insert = connection.prepareStatement("INSERT INTO platform_merchant (merchant_id, name, category,"
                + " settlement_account_id, latitude_deg, longitude_deg) VALUES (?, ?, ?, ?, ?, ?)")) {
          delete.setString(1, merchant.merchantId());
          delete.executeUpdate();
          insert.setString(1, merchant.merchantId());
          insert.setString(2, merchant.name());
          insert.setString(3, merchant.category());
          insert.setLong(4, merchant.settlementAccountId());
          GeoPoint place = merchant.location();
          if (place == null) {
            insert.setNull(5, Types.DOUBLE);
            insert.setNull(6, Types.DOUBLE);
          } else {
            insert.setDouble(5, place.latitudeDeg());
            insert.setDouble(6, place.longitudeDeg());
          }
          insert.executeUpdate();
          connection.commit();
        } catch (SQLException | RuntimeException e) {
          connection.rollback();
          throw e;
        }
      }
      return null;
    });
  }

  /** Every stored merchant; a malformed row is refused by {@link Merchant}'s own checks (MandateException). */
  List<Merchant> all() throws SQLException {
    List<Merchant> out = new ArrayList<>();
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement("SELECT merchant_id, name, category, settlement_account_id,"
            + " latitude_deg, longitude_deg FROM platform_merchant");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        double latitude = rows.getDouble(5);
        GeoPoint place = rows.wasNull() ? null : new GeoPoint(latitude, rows.getDouble(6));
        out.add(new Merchant(rows.getString(1), rows.getString(2), rows.getString(3), rows.getLong(4), place));
      }
    }
    return out;
  }
}

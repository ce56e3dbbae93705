package io.iotpay.platform.decision;

import io.iotpay.foundation.store.Database;
import io.iotpay.platform.identity.DeviceId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Pages through the recorded decisions, newest first, for people who look (the operator console): one
 * row per decision version, read from the store by audit index, so a page costs one indexed query
 * however many decisions the platform holds.
 */
public final class DecisionListing {
  /** Most decisions on one page. */
  public static final int PAGE_LIMIT_MAX = 500;

  private static final String NEWEST = "SELECT audit_index, entry FROM platform_decision WHERE audit_index < ?"
      + " ORDER BY audit_index DESC LIMIT ?";
  private static final String NEWEST_OF_DEVICE = "SELECT audit_index, entry FROM platform_decision WHERE device_id = ?"
      + " AND audit_index < ? ORDER BY audit_index DESC LIMIT ?";
  private static final String COUNT = "SELECT COUNT(*) FROM platform_decision";

  private final Database database;

  /** @param database the platform's database (its decision tables are migrated by {@link PaymentDecisionService}) */
  public DecisionListing(Database database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  /**
   * One page of decisions, newest first.
   *
   * @param device only this device's decisions, or null for every device
   * @param beforeAuditIndex only decisions recorded before this audit leaf ({@link Long#MAX_VALUE} for the newest)
   * @param limit 1..{@link #PAGE_LIMIT_MAX}
   * @throws IllegalArgumentException when {@code limit} is out of range
   * @throws DecisionStoreException when the store cannot be read
   */
  public List<PaymentDecision> page(DeviceId device, long beforeAuditIndex, int limit) {
    if (limit < 1 || limit > PAGE_LIMIT_MAX) {
      throw new IllegalArgumentException("limit " + limit + " outside 1.." + PAGE_LIMIT_MAX);
    }
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement(device == null ? NEWEST : NEWEST_OF_DEVICE)) {
      int column = 1;
      if (device != null) {
        select.setString(column++, device.value());
      }
      select.setLong(column++, beforeAuditIndex);
      select.setInt(column, limit);
      List<PaymentDecision> page = new ArrayList<>(limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          page.add(DecisionCodec.decode(rows.getBytes(2), rows.getLong(1)));
        }
      }
      return page;
    } catch (SQLException e) {
      throw new DecisionStoreException("cannot read a page of decisions", e);
    }
  }

  /** How many decision versions are recorded. @throws DecisionStoreException when the store cannot be read */
  public long count() {
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement(COUNT);
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new DecisionStoreException("cannot count decisions", e);
    }
  }
}

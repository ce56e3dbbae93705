package io.iotpay.issuer.credit;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ratings in the issuer's database ({@code credit_rating}, {@code credit_run}; migrations under
 * {@code db/credit/}), on SQLite or PostgreSQL. Saves are {@code INSERT … ON CONFLICT DO NOTHING}
 * in one transaction, so a rerun or a restart never duplicates or changes a stored rating.
 */
public final class SqlRatingStore implements RatingStore {
  private static final String INSERT = "INSERT INTO credit_rating (cardholder_id, business_day, scorecard_version, "
      + "score, band, allowance_minor, currency, split_kinds_mask, reason_codes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
      + "ON CONFLICT (cardholder_id, business_day) DO NOTHING";
  private static final String SELECT_COLUMNS = "SELECT cardholder_id, business_day, scorecard_version, score, band, "
      + "allowance_minor, currency, split_kinds_mask, reason_codes, written_at_ms FROM credit_rating ";

  private final Database database;

  /** Applies the credit migrations to {@code database} (idempotent). */
  public SqlRatingStore(Database database) {
    this.database = database;
    database.migrate(CreditSchema.COMPONENT);
  }

  @Override
  public Optional<ScoringSummary> completedRun(LocalDate businessDate) {
    String sql = "SELECT scorecard_version, cardholders, band_a, band_b, band_c, band_d, band_e FROM credit_run "
        + "WHERE business_day = ?";
    try (Connection connection = database.connection(); PreparedStatement select = connection.prepareStatement(sql)) {
      select.setLong(1, businessDate.toEpochDay());
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        Map<RatingBand, Long> bands = new EnumMap<>(RatingBand.class);
        for (RatingBand band : RatingBand.values()) {
          bands.put(band, row.getLong(3 + band.ordinal()));
        }
        return Optional.of(new ScoringSummary(businessDate, row.getInt(1), row.getLong(2), bands));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("credit: reading the run of " + businessDate, e);
    }
  }

  @Override
  public long lastRated(LocalDate businessDate, CardholderRange range) {
    String sql = "SELECT MAX(cardholder_id) FROM credit_rating WHERE cardholder_id BETWEEN ? AND ? AND business_day = ?";
    try (Connection connection = database.connection(); PreparedStatement select = connection.prepareStatement(sql)) {
      select.setLong(1, range.firstId());
      select.setLong(2, range.lastId());
      select.setLong(3, businessDate.toEpochDay());
      try (ResultSet row = select.executeQuery()) {
        row.next();
        long last = row.getLong(1);
        return row.wasNull() ? range.firstId() - 1 : last;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("credit: reading progress of " + businessDate, e);
    }
  }

  @Override
  public void save(LocalDate businessDate, List<Rating> ratings) {
    try {
      database.writing(() -> {
        insert(businessDate, ratings);
        return null;
      });
    } catch (SQLException e) {
      throw new IllegalStateException("credit: saving " + ratings.size() + " ratings of " + businessDate, e);
    }
  }

  private void insert(LocalDate businessDate, List<Rating> ratings) throws SQLException {
    try (Connection connection = database.connection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
        for (Rating rating : ratings) {
          io.iotpay.foundation.Assert.that(rating.businessDate().equals(businessDate), "rating of {} saved under {}",
              rating.businessDate(), businessDate);
          insert.setLong(1, rating.cardholder().value());
          insert.setLong(2, businessDate.toEpochDay());
          insert.setInt(3, rating.scorecardVersion());
          insert.setInt(4, rating.score());
          insert.setString(5, rating.band().name());
          insert.setLong(6, rating.allowance().amountMinor());
          insert.setString(7, rating.allowance().currency().alphaCode());
          insert.setInt(8, PurchaseKind.maskOf(rating.splitKinds()));
          insert.setString(9, ReasonCodes.format(rating.reasons()));
          insert.addBatch();
        }
        insert.executeBatch();
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }

  @Override
  public ScoringSummary summarise(LocalDate businessDate, int scorecardVersion) {
    String sql = "SELECT band, COUNT(*) FROM credit_rating WHERE business_day = ? GROUP BY band";
    Map<RatingBand, Long> bands = new EnumMap<>(RatingBand.class);
    long total = 0;
    try (Connection connection = database.connection(); PreparedStatement select = connection.prepareStatement(sql)) {
      select.setLong(1, businessDate.toEpochDay());
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          bands.put(RatingBand.parse(row.getString(1)), row.getLong(2));
          total += row.getLong(2);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("credit: counting ratings of " + businessDate, e);
    }
    return new ScoringSummary(businessDate, scorecardVersion, total, bands);
  }

  @Override
  public void completeRun(ScoringSummary summary) {
    String sql = "INSERT INTO credit_run (business_day, scorecard_version, cardholders, band_a, band_b, band_c, band_d, "
        + "band_e, completed_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (business_day) DO NOTHING";
    try {
      database.writing(() -> {
        try (Connection connection = database.connection(); PreparedStatement insert = connection.prepareStatement(sql)) {
          insert.setLong(1, summary.businessDate().toEpochDay());
          insert.setInt(2, summary.scorecardVersion());
          insert.setLong(3, summary.cardholders());
          for (RatingBand band : RatingBand.values()) {
            insert.setLong(4 + band.ordinal(), summary.byBand().get(band));
          }
          insert.setLong(9, System.currentTimeMillis());
          return insert.executeUpdate();
        }
      });
    } catch (SQLException e) {
      throw new IllegalStateException("credit: recording the run of " + summary.businessDate(), e);
    }
  }

  @Override
  public Optional<Rating> ratingForNextTap(CardholderId cardholder) {
    String sql = SELECT_COLUMNS + "WHERE cardholder_id = ? ORDER BY business_day DESC LIMIT 1";
    try (Connection connection = database.connection(); PreparedStatement select = connection.prepareStatement(sql)) {
      select.setLong(1, cardholder.value());
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        row.getLong(10);
        if (!row.wasNull()) {
          return Optional.empty();
        }
        return Optional.of(ratingOf(row));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("credit: reading the rating of cardholder " + cardholder.value(), e);
    }
  }

  @Override
  public Optional<Rating> rating(CardholderId cardholder, LocalDate businessDate) {
    String sql = SELECT_COLUMNS + "WHERE cardholder_id = ? AND business_day = ?";
    try (Connection connection = database.connection(); PreparedStatement select = connection.prepareStatement(sql)) {
      select.setLong(1, cardholder.value());
      select.setLong(2, businessDate.toEpochDay());
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(ratingOf(row)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("credit: reading the rating of cardholder " + cardholder.value(), e);
    }
  }

  @Override
  public boolean written(CardholderId cardholder, LocalDate businessDate) {
    String sql = "SELECT written_at_ms FROM credit_rating WHERE cardholder_id = ? AND business_day = ?";
    try (Connection connection = database.connection(); PreparedStatement select = connection.prepareStatement(sql)) {
      select.setLong(1, cardholder.value());
      select.setLong(2, businessDate.toEpochDay());
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return false;
        }
        row.getLong(1);
        return !row.wasNull();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("credit: reading the rating of cardholder " + cardholder.value(), e);
    }
  }

  /** @throws CreditInputException if the stored row is not a valid rating */
  private static Rating ratingOf(ResultSet row) throws SQLException {
    CurrencyUnit currency = CurrencyUnit.of(row.getString(7));
    return new Rating(CardholderId.of(row.getLong(1)), LocalDate.ofEpochDay(row.getLong(2)), row.getInt(3),
        row.getInt(4), RatingBand.parse(row.getString(5)), Money.ofMinor(row.getLong(6), currency),
        PurchaseKind.ofMask(row.getInt(8)), ReasonCodes.parse(row.getString(9)));
  }

  @Override
  public boolean markWritten(CardholderId cardholder, LocalDate businessDate, Instant confirmedAt) {
    String sql = "UPDATE credit_rating SET written_at_ms = ? WHERE cardholder_id = ? AND business_day = ? "
        + "AND written_at_ms IS NULL";
    try {
      return database.writing(() -> {
        try (Connection connection = database.connection(); PreparedStatement update = connection.prepareStatement(sql)) {
          update.setLong(1, confirmedAt.toEpochMilli());
          update.setLong(2, cardholder.value());
          update.setLong(3, businessDate.toEpochDay());
          return update.executeUpdate() == 1;
        }
      });
    } catch (SQLException e) {
      throw new IllegalStateException("credit: marking the rating of cardholder " + cardholder.value() + " written", e);
    }
  }
}

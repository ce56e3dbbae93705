package io.iotpay.issuer.credit;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The wallet's daily facts in the issuer's database ({@code credit_cardholder},
 * {@code credit_day_fact}, {@code credit_failed_part}): the issuer's day end records them, the
 * nightly run reads them. A range is read with three ordered scans (cardholders, days, failed
 * parts) merged by cardholder id, each on its own connection so ranges run in parallel.
 */
public final class SqlWalletFacts implements FactsSource {
  private static final String UPSERT_CARDHOLDER = "INSERT INTO credit_cardholder (cardholder_id, currency, issued_day) "
      + "VALUES (?, ?, ?) ON CONFLICT (cardholder_id) DO UPDATE SET currency = excluded.currency, "
      + "issued_day = excluded.issued_day";
  private static final String UPSERT_DAY = "INSERT INTO credit_day_fact (cardholder_id, business_day, purchases, "
      + "purchases_minor, loads, loads_minor, loads_auto, online_balance_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
      + "ON CONFLICT (cardholder_id, business_day) DO UPDATE SET purchases = excluded.purchases, "
      + "purchases_minor = excluded.purchases_minor, loads = excluded.loads, loads_minor = excluded.loads_minor, "
      + "loads_auto = excluded.loads_auto, online_balance_minor = excluded.online_balance_minor";
  private static final String UPSERT_PART = "INSERT INTO credit_failed_part (cardholder_id, part_id, failed_day, "
      + "amount_minor, recovered_day) VALUES (?, ?, ?, ?, ?) ON CONFLICT (cardholder_id, part_id) DO UPDATE SET "
      + "failed_day = excluded.failed_day, amount_minor = excluded.amount_minor, recovered_day = excluded.recovered_day";

  private final Database database;

  /** Applies the credit migrations to {@code database} (idempotent). */
  public SqlWalletFacts(Database database) {
    this.database = database;
    database.migrate(CreditSchema.COMPONENT);
  }

  /**
   * Records cardholders with their days and failed parts in one transaction: rows of the same
   * cardholder and date (or part) are replaced, so recording the same day end twice changes nothing.
   */
  public void record(Collection<CardholderFacts> cardholders) {
    try {
      database.writing(() -> {
        upsert(cardholders);
        return null;
      });
    } catch (SQLException e) {
      throw new IllegalStateException("credit: recording facts of " + cardholders.size() + " cardholders", e);
    }
  }

  private void upsert(Collection<CardholderFacts> cardholders) throws SQLException {
    try (Connection connection = database.connection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement holder = connection.prepareStatement(UPSERT_CARDHOLDER);
          PreparedStatement day = connection.prepareStatement(UPSERT_DAY);
          PreparedStatement part = connection.prepareStatement(UPSERT_PART)) {
        for (CardholderFacts facts : cardholders) {
          addCardholder(holder, day, part, facts);
        }
        holder.executeBatch();
        day.executeBatch();
        part.executeBatch();
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }

  private static void addCardholder(PreparedStatement holder, PreparedStatement day, PreparedStatement part,
      CardholderFacts facts) throws SQLException {
    long id = facts.id().value();
    holder.setLong(1, id);
    holder.setString(2, facts.currency().alphaCode());
    holder.setLong(3, facts.issuedOn().toEpochDay());
    holder.addBatch();
    for (DailyFacts fact : facts.days()) {
      day.setLong(1, id);
      day.setLong(2, fact.date().toEpochDay());
      day.setInt(3, fact.purchases());
      day.setLong(4, fact.purchasesMinor());
      day.setInt(5, fact.loads());
      day.setLong(6, fact.loadsMinor());
      day.setInt(7, fact.loadsAuto());
      day.setLong(8, fact.onlineBalanceMinor());
      day.addBatch();
    }
    for (FailedOnlinePart failed : facts.failedParts()) {
      part.setLong(1, id);
      part.setLong(2, failed.partId());
      part.setLong(3, failed.failedOn().toEpochDay());
      part.setLong(4, failed.amountMinor());
      if (failed.recoveredOn() == null) {
        part.setNull(5, java.sql.Types.INTEGER);
      } else {
        part.setLong(5, failed.recoveredOn().toEpochDay());
      }
      part.addBatch();
    }
  }

  /**
   * Records that a failed online part's debt was recovered (at a load) on {@code recoveredOn}.
   *
   * @return false if the part is unknown or already recovered
   */
  public boolean recordRecovery(CardholderId cardholder, long partId, LocalDate recoveredOn) {
    String sql = "UPDATE credit_failed_part SET recovered_day = ? WHERE cardholder_id = ? AND part_id = ? "
        + "AND recovered_day IS NULL AND failed_day <= ?";
    try {
      return database.writing(() -> {
        try (Connection connection = database.connection(); PreparedStatement update = connection.prepareStatement(sql)) {
          update.setLong(1, recoveredOn.toEpochDay());
          update.setLong(2, cardholder.value());
          update.setLong(3, partId);
          update.setLong(4, recoveredOn.toEpochDay());
          return update.executeUpdate() == 1;
        }
      });
    } catch (SQLException e) {
      throw new IllegalStateException("credit: recording a recovery of cardholder " + cardholder.value(), e);
    }
  }

  /**
   * Deletes daily facts older than every window as of {@code asOf} (they can no longer change a
   * score); failed parts are kept (an outstanding debt counts at any age).
   *
   * @return rows deleted
   */
  public int purgeDaysBefore(LocalDate asOf) {
    long firstKept = asOf.toEpochDay() - (Indicator.BEHAVIOUR_WINDOW_DAYS - 1);
    try {
      return database.writing(() -> {
        try (Connection connection = database.connection();
            PreparedStatement delete = connection.prepareStatement("DELETE FROM credit_day_fact WHERE business_day < ?")) {
          delete.setLong(1, firstKept);
          return delete.executeUpdate();
        }
      });
    } catch (SQLException e) {
      throw new IllegalStateException("credit: purging daily facts before " + asOf, e);
    }
  }

  @Override
  public long cardholders() {
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM credit_cardholder");
        ResultSet row = select.executeQuery()) {
      row.next();
      return row.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("credit: counting cardholders", e);
    }
  }

  @Override
  public List<CardholderRange> ranges(int count) {
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT MIN(cardholder_id), MAX(cardholder_id) FROM credit_cardholder");
        ResultSet row = select.executeQuery()) {
      row.next();
      long first = row.getLong(1);
      if (row.wasNull()) {
        return List.of();
      }
      return CardholderRange.split(first, row.getLong(2), count);
    } catch (SQLException e) {
      throw new IllegalStateException("credit: reading the cardholder id range", e);
    }
  }

  @Override
  public void read(CardholderRange range, long afterId, LocalDate asOf, Consumer<CardholderFacts> sink) {
    long from = Math.max(range.firstId(), afterId + 1);
    if (from > range.lastId()) {
      return;
    }
    try (Connection connection = database.connection()) {
      // One read transaction: the three scans see the same snapshot (PostgreSQL REPEATABLE READ; one
      // SQLite read transaction), so a day end writing meanwhile cannot split a cardholder's facts.
      connection.setAutoCommit(false);
      if (database.dialect() == Database.Dialect.POSTGRESQL) {
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      }
      try {
        new RangeReader(connection, from, range.lastId(), asOf).forEach(sink);
      } finally {
        connection.rollback();
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("credit: reading facts of cardholders " + from + ".." + range.lastId(), e);
    }
  }

  /** Epoch days accepted from the tables: 1970-01-01 .. 9999-12-31. */
  private static final long EPOCH_DAY_MAX = LocalDate.of(9999, 12, 31).toEpochDay();

  /** @throws CreditInputException for a stored day outside 1970-01-01 .. 9999-12-31 */
  private static LocalDate date(long epochDay) {
    if (epochDay < 0 || epochDay > EPOCH_DAY_MAX) {
      throw new CreditInputException("stored epoch day " + epochDay + " is outside 1970-01-01..9999-12-31");
    }
    return LocalDate.ofEpochDay(epochDay);
  }

  /** Merges the three ordered scans of one range. */
  private static final class RangeReader {
    private final ResultSet holders;
    private final ResultSet days;
    private final ResultSet parts;
    private final List<PreparedStatement> statements = new ArrayList<>();
    private final LocalDate asOf;
    private boolean dayPending;
    private boolean partPending;

    RangeReader(Connection connection, long from, long to, LocalDate asOf) throws SQLException {
      this.asOf = asOf;
      long firstDay = asOf.toEpochDay() - (Indicator.BEHAVIOUR_WINDOW_DAYS - 1);
      long firstFailedDay = asOf.toEpochDay() - (Indicator.FAILURE_WINDOW_DAYS - 1);
      holders = query(connection, "SELECT cardholder_id, currency, issued_day FROM credit_cardholder "
          + "WHERE cardholder_id BETWEEN ? AND ? ORDER BY cardholder_id", from, to);
      days = query(connection, "SELECT cardholder_id, business_day, purchases, purchases_minor, loads, loads_minor, "
          + "loads_auto, online_balance_minor FROM credit_day_fact WHERE cardholder_id BETWEEN ? AND ? "
          + "AND business_day BETWEEN ? AND ? ORDER BY cardholder_id, business_day", from, to, firstDay,
          asOf.toEpochDay());
      // Parts that can matter: failed in the failure window, or still outstanding as of the date.
      parts = query(connection, "SELECT cardholder_id, part_id, failed_day, amount_minor, recovered_day "
          + "FROM credit_failed_part WHERE cardholder_id BETWEEN ? AND ? AND failed_day <= ? "
          + "AND (failed_day >= ? OR recovered_day IS NULL OR recovered_day > ?) ORDER BY cardholder_id, part_id",
          from, to, asOf.toEpochDay(), firstFailedDay, asOf.toEpochDay());
    }

    private ResultSet query(Connection connection, String sql, long... parameters) throws SQLException {
      PreparedStatement statement = connection.prepareStatement(sql);
      statements.add(statement);
      statement.setFetchSize(4096);
      for (int i = 0; i < parameters.length; i++) {
        statement.setLong(i + 1, parameters[i]);
      }
      return statement.executeQuery();
    }

    void forEach(Consumer<CardholderFacts> sink) throws SQLException {
      try {
        dayPending = days.next();
        partPending = parts.next();
        while (holders.next()) {
          sink.accept(next());
        }
      } finally {
        for (PreparedStatement statement : statements) {
          statement.close();
        }
      }
    }

    private CardholderFacts next() throws SQLException {
      long id = holders.getLong(1);
      CurrencyUnit currency = CurrencyUnit.of(holders.getString(2));
      LocalDate issuedOn = date(holders.getLong(3));
      List<DailyFacts> dayList = new ArrayList<>();
      long dayHolder;
      while (dayPending && (dayHolder = days.getLong(1)) <= id) {
        if (dayHolder == id) {
          dayList.add(new DailyFacts(date(days.getLong(2)), days.getInt(3), days.getLong(4),
              days.getInt(5), days.getLong(6), days.getInt(7), days.getLong(8)));
        }
        dayPending = days.next();
      }
      List<FailedOnlinePart> partList = new ArrayList<>(0);
      long partHolder;
      while (partPending && (partHolder = parts.getLong(1)) <= id) {
        if (partHolder == id) {
          if (partList.size() == CardholderFacts.FAILED_PARTS_MAX) {
            throw new CreditInputException("cardholder " + id + ": more than " + CardholderFacts.FAILED_PARTS_MAX
                + " failed online parts");
          }
          long recovered = parts.getLong(5);
          LocalDate recoveredOn = parts.wasNull() ? null : date(recovered);
          partList.add(new FailedOnlinePart(parts.getLong(2), date(parts.getLong(3)), parts.getLong(4),
              recoveredOn));
        }
        partPending = parts.next();
      }
      if (dayList.size() > CardholderFacts.DAYS_MAX) {
        throw new CreditInputException("cardholder " + id + ": more than " + CardholderFacts.DAYS_MAX + " days of facts");
      }
      return new CardholderFacts(CardholderId.of(id), currency, issuedOn, dayList, partList);
    }
  }
}

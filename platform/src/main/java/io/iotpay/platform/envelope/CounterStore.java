package io.iotpay.platform.envelope;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.store.Database;
import io.iotpay.platform.identity.DeviceId;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.sql.SQLException;

/**
 * Each device's last accepted counter, the hash of that exact message and the answer sent, in the
 * identity component's {@code envelope_counter} table. Advancing is a compare-and-set on the stored
 * counter, so two platform nodes (or threads) racing with one counter accept it once.
 */
public final class CounterStore {
  /** Rounds of compare-and-set before giving up: only a device flooding itself loses them all. */
  static final int CAS_ROUNDS_MAX = 8;

  /** What reserving a counter found. */
  sealed interface Reservation {
    /** The counter is now the device's last; process the message and store its answer. */
    record Reserved() implements Reservation {}

    /** The exact last accepted message again; {@code answer} is null while it is still processed. */
    record Duplicate(byte[] answer) implements Reservation {}

    /** Not greater than the last accepted counter and not its duplicate. */
    record Replayed(long lastCounter) implements Reservation {}
  }

  private record Last(long counter, byte[] messageHash, byte[] answer) {}

  private final Database database;

  /** The identity migrations must have run (the {@code DeviceRegistry} constructor runs them). */
  public CounterStore(Database database) {
    this.database = database;
  }

  Reservation reserve(DeviceId deviceId, long counter, byte[] messageHash) {
    for (int round = 0; round < CAS_ROUNDS_MAX; round++) {
      Last last = read(deviceId);
      if (last == null) {
        if (insertFirst(deviceId, counter, messageHash)) {
          return new Reservation.Reserved();
        }
        continue;
      }
      if (counter > last.counter()) {
        if (advance(deviceId, last.counter(), counter, messageHash)) {
          return new Reservation.Reserved();
        }
        continue;
      }
      if (counter == last.counter() && MessageDigest.isEqual(messageHash, last.messageHash())) {
        return new Reservation.Duplicate(last.answer());
      }
      return new Reservation.Replayed(last.counter());
    }
    throw new EnvelopeException(EnvelopeException.Reason.REPLAYED_COUNTER,
        "device " + deviceId + ": counter " + counter + " lost " + CAS_ROUNDS_MAX + " races with concurrent messages");
  }

  /** Stores the answer to the message with {@code counter}, unless a newer message has replaced it. */
  void storeAnswer(DeviceId deviceId, long counter, byte[] answer) {
    Assert.that(answer != null, "answer to store is null [device={}]", deviceId);
    String sql = "UPDATE envelope_counter SET answer = ? WHERE device_id = ? AND last_counter = ?";
    try (Connection connection = database.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setBytes(1, answer);
      statement.setString(2, deviceId.value());
      statement.setLong(3, counter);
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("envelope store: cannot store answer for " + deviceId, e);
    }
  }

  /** One message to admit: its device, counter and the SHA-256 of its exact bytes. */
  record Claim(DeviceId deviceId, long counter, byte[] messageHash) {}

  /**
   * Reserves many counters in one transaction (one commit for the whole batch): for each claim, in
   * order, what {@link #reserve} would have answered had they come one after another. Claims of one
   * device in one batch are judged against each other too (a second claim of an equal counter with
   * the same hash is a duplicate still in progress; a lower one is a replay).
   */
  List<Reservation> reserveAll(List<Claim> claims) {
    List<Reservation> results = new ArrayList<>(claims.size());
    Map<DeviceId, Last> lasts = new HashMap<>();
    Map<DeviceId, Last> changed = new LinkedHashMap<>();
    Set<DeviceId> known = new HashSet<>();
    try (Connection connection = database.connection()) {
      connection.setAutoCommit(false);
      try {
        lockForWrite(connection);
        try (PreparedStatement select = connection.prepareStatement(
            "SELECT last_counter, message_hash, answer FROM envelope_counter WHERE device_id = ?")) {
          for (Claim claim : claims) {
            Last last = lasts.containsKey(claim.deviceId()) ? lasts.get(claim.deviceId()) : readIn(select, claim.deviceId(), known);
            Reservation reservation;
            if (last == null || claim.counter() > last.counter()) {
              reservation = new Reservation.Reserved();
              last = new Last(claim.counter(), claim.messageHash(), null);
              changed.put(claim.deviceId(), last);
            } else if (claim.counter() == last.counter() && MessageDigest.isEqual(claim.messageHash(), last.messageHash())) {
              reservation = new Reservation.Duplicate(last.answer());
            } else {
              reservation = new Reservation.Replayed(last.counter());
            }
            lasts.put(claim.deviceId(), last);
            results.add(reservation);
          }
        }
        writeAll(connection, changed, known);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("envelope store: cannot reserve a batch of " + claims.size() + " counters", e);
    }
    return results;
  }

  /** Stores many answers in one transaction; each only if its counter is still the device's last. */
  void storeAnswers(List<Claim> claims, List<byte[]> answers) {
    String sql = "UPDATE envelope_counter SET answer = ? WHERE device_id = ? AND last_counter = ?";
    try (Connection connection = database.connection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        for (int i = 0; i < claims.size(); i++) {
          Assert.that(answers.get(i) != null, "answer to store is null [device={}]", claims.get(i).deviceId());
          statement.setBytes(1, answers.get(i));
          statement.setString(2, claims.get(i).deviceId().value());
          statement.setLong(3, claims.get(i).counter());
          statement.addBatch();
        }
        statement.executeBatch();
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("envelope store: cannot store a batch of " + claims.size() + " answers", e);
    }
  }

  /** SQLite: take the write lock now, so the reads below see what this transaction then overwrites. */
  private void lockForWrite(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(database.dialect() == Database.Dialect.SQLITE
        ? "UPDATE envelope_counter SET last_counter = last_counter WHERE 0 = 1"
        : "LOCK TABLE envelope_counter IN SHARE ROW EXCLUSIVE MODE")) {
      statement.execute();
    }
  }

  /** Reads one device's last counter with the batch's prepared {@code select}. */
  private static Last readIn(PreparedStatement select, DeviceId deviceId, Set<DeviceId> known) throws SQLException {
    select.setString(1, deviceId.value());
    try (ResultSet rows = select.executeQuery()) {
      if (!rows.next()) {
        return null;
      }
      known.add(deviceId);
      return new Last(rows.getLong(1), rows.getBytes(2), rows.getBytes(3));
    }
  }

  private static void writeAll(Connection connection, Map<DeviceId, Last> changed, Set<DeviceId> known) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO envelope_counter (device_id, last_counter, message_hash, answer) VALUES (?, ?, ?, NULL)");
        PreparedStatement update = connection.prepareStatement(
            "UPDATE envelope_counter SET last_counter = ?, message_hash = ?, answer = NULL WHERE device_id = ?")) {
      for (Map.Entry<DeviceId, Last> entry : changed.entrySet()) {
        if (known.contains(entry.getKey())) {
          update.setLong(1, entry.getValue().counter());
          update.setBytes(2, entry.getValue().messageHash());
          update.setString(3, entry.getKey().value());
          update.addBatch();
        } else {
          insert.setString(1, entry.getKey().value());
          insert.setLong(2, entry.getValue().counter());
          insert.setBytes(3, entry.getValue().messageHash());
          insert.addBatch();
        }
      }
      insert.executeBatch();
      update.executeBatch();
    }
  }

  /** The last accepted counter of the device, or -1 when it has sent none. */
  public long lastCounter(DeviceId deviceId) {
    Last last = read(deviceId);
    return last == null ? -1 : last.counter();
  }

  private Last read(DeviceId deviceId) {
    String sql = "SELECT last_counter, message_hash, answer FROM envelope_counter WHERE device_id = ?";
    try (Connection connection = database.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, deviceId.value());
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? new Last(rows.getLong(1), rows.getBytes(2), rows.getBytes(3)) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("envelope store: cannot read counter of " + deviceId, e);
    }
  }

  private boolean insertFirst(DeviceId deviceId, long counter, byte[] messageHash) {
    String sql = "INSERT INTO envelope_counter (device_id, last_counter, message_hash, answer) VALUES (?, ?, ?, NULL)"
        + " ON CONFLICT (device_id) DO NOTHING";
    try (Connection connection = database.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, deviceId.value());
      statement.setLong(2, counter);
      statement.setBytes(3, messageHash);
      return statement.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("envelope store: cannot insert counter of " + deviceId, e);
    }
  }

  private boolean advance(DeviceId deviceId, long expectedLast, long counter, byte[] messageHash) {
    String sql = "UPDATE envelope_counter SET last_counter = ?, message_hash = ?, answer = NULL"
        + " WHERE device_id = ? AND last_counter = ?";
    try (Connection connection = database.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, counter);
      statement.setBytes(2, messageHash);
      statement.setString(3, deviceId.value());
      statement.setLong(4, expectedLast);
      return statement.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("envelope store: cannot advance counter of " + deviceId, e);
    }
  }
}

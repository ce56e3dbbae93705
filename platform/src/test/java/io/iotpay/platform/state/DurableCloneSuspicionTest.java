package io.iotpay.platform.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The registry's clone suspicions in the database: each case closes the registry and its database
 * and opens new ones on the same store, as a restart of the node does. SQLite always; PostgreSQL in
 * a fresh schema when {@code IOTPAY_TEST_POSTGRES_URL} is set.
 */
class DurableCloneSuspicionTest {
  private static final String REAL_PLACE = "http:198.51.100.7";
  private static final String CLONE_PLACE = "http:203.0.113.9";

  @TempDir Path tempDir;
  final ManualBusinessClock clock = new ManualBusinessClock(Instant.parse("2026-11-02T08:00:00Z"), BusinessDayRule.UTC_MIDNIGHT);
  final DeviceId car = DeviceId.of("car-1");

  static List<Database.Dialect> dialects() {
    return TestDatabases.dialects();
  }

  /** The registry a node opens on {@code database} at start (the suspicions in force loaded). */
  private DeviceStateRegistry restarted(Database database) {
    return DeviceStateRegistry.open(database, clock, DeviceStateConfig.defaults());
  }

  private void message(DeviceStateRegistry registry, String session, String place, long counter) {
    clock.advance(Duration.ofSeconds(1));
    registry.observe(new DeviceObservation.Message(car, clock.now(), session, place, counter));
  }

  /** The real device at one place, a clone at another, in turn: fresh counters {@code first}..{@code first + 2}. */
  private void cloneInterleaves(DeviceStateRegistry registry, long first) {
    message(registry, "real-1", REAL_PLACE, first);
    message(registry, "clone-1", CLONE_PLACE, first + 1);
    message(registry, "real-1", REAL_PLACE, first + 2);
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void aSuspicion_survivesARestart_withItsEvidence_andOnceClearedStaysCleared(Database.Dialect dialect) throws Exception {
    String url = TestDatabases.freshUrl(dialect, tempDir);
    CloneSuspicion flagged;
    try (Database database = Database.open(url, 4)) {
      DeviceStateRegistry registry = restarted(database);
      cloneInterleaves(registry, 1);
      flagged = registry.cloneSuspicion(car).orElseThrow();
      assertThat(flagged.status()).isEqualTo(CloneSuspicion.Status.SUSPECTED);
      assertThat(flagged.evidence()).extracting(CloneEvidence::counter).containsExactly(1L, 2L, 3L);
    }
    try (Database database = Database.open(url, 4)) {
      DeviceStateRegistry registry = restarted(database);
      assertThat(registry.cloneSuspicion(car)).contains(flagged);
      assertThat(registry.state(car).orElseThrow().cloneSuspicion()).isEqualTo(flagged.summary());
      assertThat(registry.state(car).orElseThrow().connectivity()).isEqualTo(Connectivity.OFFLINE);
      // Heard from again after the restart: still suspected, with the same evidence.
      message(registry, "real-2", REAL_PLACE, 4);
      assertThat(registry.state(car).orElseThrow().cloneSuspicion()).isEqualTo(flagged.summary());
      assertThat(registry.cloneSuspicion(car)).contains(flagged);
      // A verdict without a reason is refused with a typed error, and changes nothing.
      assertThatThrownBy(() -> registry.clearCloneSuspicion(car, " ", null)).isInstanceOf(StateInputException.class);
      assertThat(registry.cloneSuspicion(car)).contains(flagged);
      assertThat(registry.clearCloneSuspicion(car, "the real device was re-keyed", 42L)).isTrue();
    }
    try (Database database = Database.open(url, 4)) {
      DeviceStateRegistry registry = restarted(database);
      assertThat(registry.state(car)).as("a cleared suspicion is not loaded").isEmpty();
      assertThat(registry.cloneSuspicion(car)).isEmpty();
      assertThat(storedVerdict(database)).isEqualTo("CLEARED|the real device was re-keyed|42");
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void aConfirmedClone_staysInForceAfterARestart_andItsVerdictIsFinal(Database.Dialect dialect) throws Exception {
    String url = TestDatabases.freshUrl(dialect, tempDir);
    try (Database database = Database.open(url, 4)) {
      DeviceStateRegistry registry = restarted(database);
      cloneInterleaves(registry, 1);
      assertThat(registry.confirmCloneSuspicion(car, "two cars seen", 7L)).isTrue();
    }
    try (Database database = Database.open(url, 4)) {
      DeviceStateRegistry registry = restarted(database);
      CloneSuspicion confirmed = registry.cloneSuspicion(car).orElseThrow();
      assertThat(confirmed.status()).isEqualTo(CloneSuspicion.Status.CONFIRMED);
      assertThat(confirmed.verdictReason()).isEqualTo("two cars seen");
      assertThat(confirmed.verdictAuditIndex()).isEqualTo(7L);
      assertThat(confirmed.evidence()).hasSize(3);
      assertThat(registry.state(car).orElseThrow().cloneSuspicion()).isEqualTo(confirmed.summary());
      assertThat(registry.clearCloneSuspicion(car, "changed my mind", null)).isFalse();
      assertThat(registry.confirmCloneSuspicion(car, "again", null)).isFalse();
      assertThat(storedVerdict(database)).isEqualTo("CONFIRMED|two cars seen|7");
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void aFloodOfConflictingMessages_keepsAtMostTheCapOfRowsPerDevice_andCountsTheRest(Database.Dialect dialect) throws Exception {
    String url = TestDatabases.freshUrl(dialect, tempDir);
    DeviceStateConfig config = DeviceStateConfig.defaults().withCloneEvidenceRowsMax(5);
    CloneSuspicion flooded;
    try (Database database = Database.open(url, 4)) {
      DeviceStateRegistry registry = DeviceStateRegistry.open(database, clock, config);
      // 200 fresh counters alternating between two places: every message from the third on conflicts.
      for (long counter = 1; counter <= 200; counter++) {
        message(registry, counter % 2 == 1 ? "real-1" : "clone-1", counter % 2 == 1 ? REAL_PLACE : CLONE_PLACE, counter);
      }
      flooded = registry.cloneSuspicion(car).orElseThrow();
      // Rows for counters 1..5 (the first interleaving's three, then one new message each), the other 195 counted.
      assertThat(flooded.evidence()).extracting(CloneEvidence::counter).containsExactly(1L, 2L, 3L, 4L, 5L);
      assertThat(flooded.evidenceDropped()).isEqualTo(195);
      assertThat(evidenceRows(database)).isEqualTo(5);
      // The count is stored when it reaches a power of two: 1, 2, 4, …, 128 (8 writes for 195 messages).
      assertThat(storedDropped(database)).isEqualTo(128);
    }
    try (Database database = Database.open(url, 4)) {
      DeviceStateRegistry registry = DeviceStateRegistry.open(database, clock, config);
      CloneSuspicion reloaded = registry.cloneSuspicion(car).orElseThrow();
      assertThat(reloaded.evidence()).isEqualTo(flooded.evidence());
      assertThat(reloaded.evidenceDropped()).isEqualTo(128);
      // A verdict stores the exact count.
      message(registry, "real-2", REAL_PLACE, 201);
      message(registry, "clone-2", CLONE_PLACE, 202);
      message(registry, "real-2", REAL_PLACE, 203);
      assertThat(registry.cloneSuspicion(car).orElseThrow().evidenceDropped()).isEqualTo(131);
      assertThat(registry.confirmCloneSuspicion(car, "a clone at 203.0.113.9", null)).isTrue();
      assertThat(storedDropped(database)).isEqualTo(131);
      assertThat(evidenceRows(database)).isEqualTo(5);
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void aNewSuspicionAfterAClearing_replacesTheOldEvidence(Database.Dialect dialect) throws Exception {
    String url = TestDatabases.freshUrl(dialect, tempDir);
    try (Database database = Database.open(url, 4)) {
      DeviceStateRegistry registry = restarted(database);
      cloneInterleaves(registry, 1);
      assertThat(registry.clearCloneSuspicion(car, "false alarm", null)).isTrue();
      clock.advance(Duration.ofMinutes(5));
      cloneInterleaves(registry, 10);
    }
    try (Database database = Database.open(url, 4)) {
      CloneSuspicion again = restarted(database).cloneSuspicion(car).orElseThrow();
      assertThat(again.status()).isEqualTo(CloneSuspicion.Status.SUSPECTED);
      assertThat(again.verdictReason()).isNull();
      assertThat(again.evidence()).extracting(CloneEvidence::counter).containsExactly(10L, 11L, 12L);
      assertThat(evidenceRows(database)).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void aStoreThatFails_leavesTheSuspicionInForceInMemory_andItIsStoredAtTheNextObservation(Database.Dialect dialect) throws Exception {
    String url = TestDatabases.freshUrl(dialect, tempDir);
    try (Database database = Database.open(url, 4)) {
      DeviceStateRegistry registry = restarted(database);
      execute(database, "ALTER TABLE platform_clone_evidence RENAME TO platform_clone_evidence_away");
      cloneInterleaves(registry, 1);
      // Declined all the same (fail closed), though not yet stored.
      assertThat(registry.state(car).orElseThrow().cloneSuspicion()).contains("interleaved places");
      execute(database, "ALTER TABLE platform_clone_evidence_away RENAME TO platform_clone_evidence");
      registry.observe(new DeviceObservation.Heartbeat(car, clock.now()));
      assertThat(evidenceRows(database)).isEqualTo(3);

      // A verdict that cannot be stored changes nothing and says so.
      execute(database, "ALTER TABLE platform_clone_evidence RENAME TO platform_clone_evidence_away");
      assertThatThrownBy(() -> registry.clearCloneSuspicion(car, "false alarm", null)).isInstanceOf(StateStoreException.class)
          .hasMessageContaining("nothing changed");
      assertThat(registry.state(car).orElseThrow().cloneSuspicion()).contains("interleaved places");
      execute(database, "ALTER TABLE platform_clone_evidence_away RENAME TO platform_clone_evidence");
    }
    try (Database database = Database.open(url, 4)) {
      CloneSuspicion stored = restarted(database).cloneSuspicion(car).orElseThrow();
      assertThat(stored.status()).isEqualTo(CloneSuspicion.Status.SUSPECTED);
      assertThat(stored.evidence()).extracting(CloneEvidence::counter).containsExactly(1L, 2L, 3L);
    }
  }

  private String storedVerdict(Database database) throws Exception {
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT status, verdict_reason, verdict_audit_index FROM platform_clone_suspicion WHERE device_id = ?")) {
      select.setString(1, car.value());
      try (ResultSet rows = select.executeQuery()) {
        assertThat(rows.next()).isTrue();
        return rows.getString(1) + "|" + rows.getString(2) + "|" + rows.getLong(3);
      }
    }
  }

  private long storedDropped(Database database) throws Exception {
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement("SELECT evidence_dropped FROM platform_clone_suspicion WHERE device_id = ?")) {
      select.setString(1, car.value());
      try (ResultSet rows = select.executeQuery()) {
        assertThat(rows.next()).isTrue();
        return rows.getLong(1);
      }
    }
  }

  private int evidenceRows(Database database) throws Exception {
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM platform_clone_evidence WHERE device_id = ?")) {
      select.setString(1, car.value());
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  private static void execute(Database database, String sql) throws Exception {
    try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}

package io.iotpay.acquirer.pos.risk;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.store.Database;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The risk store's single-use nonces, increasing counters, one-shot approvals and durable verdicts, on SQLite and PostgreSQL. */
class RiskStoreTest {
  @TempDir Path dir;

  @Test
  void onSqlite() {
    String url = "jdbc:sqlite:" + dir.resolve("risk.db");
    try (Database db = Database.open(url, 4)) {
      exercise(new RiskStore(db));
    }
    try (Database db = Database.open(url, 4)) {
      assertThat(new RiskStore(db).events("10000001")).as("verdicts survive a restart").hasSize(1);
    }
  }

  @Test
  void onPostgres() throws Exception {
    String base = System.getenv("IOTPAY_TEST_POSTGRES_URL");
    Assumptions.assumeTrue(base != null && !base.isBlank(), "IOTPAY_TEST_POSTGRES_URL not set: PostgreSQL test skipped");
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(base);
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    try (Database db = Database.open(base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema, 4)) {
      exercise(new RiskStore(db));
    } finally {
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(base);
          java.sql.Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  private static void exercise(RiskStore store) {
    String t = "10000001";
    assertThat(store.issueNonce("AA", t, 1_000, 0, 2)).isTrue();
    assertThat(store.issueNonce("BB", t, 1_000, 0, 2)).isTrue();
    assertThat(store.issueNonce("CC", t, 1_000, 0, 2)).as("two unused already").isFalse();
    assertThat(store.issueNonce("DD", "10000002", 1_000, 0, 2)).as("another terminal's bound").isTrue();
    assertThat(store.useNonceAndCounter("AA", "10000002", 0, 1)).as("another terminal's nonce")
        .isEqualTo(RiskReason.NONCE_NOT_FRESH);
    assertThat(store.useNonceAndCounter("AA", t, 1_001, 1)).as("expired").isEqualTo(RiskReason.NONCE_NOT_FRESH);
    assertThat(store.useNonceAndCounter("AA", t, 0, 5)).isNull();
    assertThat(store.useNonceAndCounter("AA", t, 0, 6)).as("used once").isEqualTo(RiskReason.NONCE_NOT_FRESH);
    assertThat(store.useNonceAndCounter("BB", t, 0, 5)).as("counter not above 5")
        .isEqualTo(RiskReason.COUNTER_NOT_INCREASING);
    assertThat(store.useNonceAndCounter("BB", t, 0, 6)).as("the nonce was left unused").isNull();
    assertThat(store.useNonceAndCounter("CC", t, 0, 7)).as("never issued").isEqualTo(RiskReason.NONCE_NOT_FRESH);
    assertThat(store.issueNonce("EE", t, 5_000, 2_000, 2)).as("AA and BB used, and forgotten as expired").isTrue();
    assertThat(store.useNonceAndCounter("AA", t, 0, 8)).as("a forgotten nonce stays refused")
        .isEqualTo(RiskReason.NONCE_NOT_FRESH);
    assertThat(store.terminal(t)).hasValueSatisfying(r -> assertThat(r.lastCounter()).isEqualTo(6));

    RiskStore.AdmissionRule any = (activity, usable) -> usable ? null : RiskReason.NO_FRESH_ATTESTATION;
    assertThat(store.admit(t, 1, "1207090000", "PURCHASE", "m1", 500, "2026-12-07", 2_000, 0, any))
        .isEqualTo(RiskReason.NO_FRESH_ATTESTATION);
    store.approve(t, 31_000_000, 121_000_000, 2_000, 3_000);
    assertThat(store.admit(t, 1, "1207090000", "PURCHASE", "m1", 500, "2026-12-07", 2_500, 0, any)).isNull();
    assertThat(store.admitted(t, 1, "1207090000", "PURCHASE")).isTrue();
    assertThat(store.admit(t, 2, "1207090001", "PURCHASE", "m1", 500, "2026-12-07", 2_600, 0, any))
        .as("an approval admits one payment").isEqualTo(RiskReason.NO_FRESH_ATTESTATION);
    store.approve(t, 31_000_000, 121_000_000, 2_700, 2_800);
    assertThat(store.admit(t, 2, "1207090001", "PURCHASE", "m1", 500, "2026-12-07", 2_900, 0, any))
        .as("expired approval").isEqualTo(RiskReason.NO_FRESH_ATTESTATION);
    store.approve(t, 31_000_000, 121_000_000, 3_000, 9_000);
    long[] seen = new long[3];
    assertThat(store.admit(t, 3, "1207090002", "REFUND", "m1", 200, "2026-12-07", 3_100, 0, (activity, usable) -> {
      seen[0] = activity.requestsSince();
      seen[1] = activity.purchasedMinor();
      seen[2] = activity.refundedMinor();
      return null;
    })).isNull();
    assertThat(seen).containsExactly(1, 500, 0);
    store.recordEvent(3_200, t, "m1", "PAYMENT", RiskVerdict.of(RiskReason.VELOCITY, "too fast"));
    assertThat(store.events(t)).singleElement().satisfies(e -> {
      assertThat(e.outcome()).isEqualTo(RiskOutcome.STEP_UP);
      assertThat(e.reason()).isEqualTo(RiskReason.VELOCITY);
      assertThat(e.detail()).isEqualTo("too fast");
    });
  }
}

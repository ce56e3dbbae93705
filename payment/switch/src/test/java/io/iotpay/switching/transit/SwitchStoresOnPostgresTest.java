package io.iotpay.switching.transit;

import static io.iotpay.switching.transit.SwitchFixture.DAY;
import static io.iotpay.switching.transit.SwitchFixture.ISSUER_A;
import static io.iotpay.switching.transit.SwitchFixture.METRO_A;
import static io.iotpay.switching.transit.SwitchFixture.SWITCH;
import static io.iotpay.switching.transit.SwitchFixture.exit;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.transit.ExceptionReason;
import io.iotpay.protocol.transit.ExceptionStage;
import io.iotpay.protocol.transit.TransitException;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.switching.SwitchStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The switch's late-presentment and dispute tables on PostgreSQL (docs/clearing-files.md §11-12):
 * the migrations apply, and what the SQLite tests rely on reads back the same.
 */
class SwitchStoresOnPostgresTest {
  @Test
  void latePresentmentAndDisputeRows_roundTrip_andAWindowNetsThePendingSteps() throws Exception {
    String base = System.getenv("IOTPAY_TEST_POSTGRES_URL");
    Assumptions.assumeTrue(base != null && !base.isBlank(), "IOTPAY_TEST_POSTGRES_URL not set: PostgreSQL test skipped");
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    try (Database database = Database.open(base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema, 4)) {
      SwitchStore store = new SwitchStore(database, SWITCH);
      SwitchStore.AcceptedFile late = new SwitchStore.AcceptedFile(1, METRO_A, 7, "00".repeat(32), DAY,
          "METRO-A-7.txt", DAY.plusDays(1), 3, 1, 900);
      store.insertAcceptedFile(late);
      assertThat(store.acceptedFiles()).containsExactly(late);
      assertThat(late.late()).isTrue();

      DisputeStore disputes = new DisputeStore(database, SWITCH);
      TransitRecord record = exit(METRO_A, "G1", 1, "62100000000001", 1, 300);
      TransitException chargeback = new TransitException(ExceptionStage.CHARGEBACK, ExceptionReason.BAD_TAC, METRO_A,
          DAY, record.id(), record.cardKey(), 300, TransitException.NO_EVIDENCE);
      disputes.record(ISSUER_A, 1, DAY.plusDays(1), List.of(new DisputeStore.Dispute(0, chargeback, ISSUER_A, null)),
          new DisputeStore.FileReceipt(1, 0, 300));
      assertThat(disputes.fileReceipt(ISSUER_A, 1)).contains(new DisputeStore.FileReceipt(1, 0, 300));
      assertThat(disputes.chargedBack(record.cardKey())).isTrue();
      assertThat(disputes.pending()).singleElement().satisfies(d -> assertThat(d.exception()).isEqualTo(chargeback));

      store.markSettled(DAY.plusDays(1), Map.of(ISSUER_A, 2L), disputes.pending().get(0).sequence());
      assertThat(disputes.pending()).isEmpty();
      assertThat(disputes.nettedIn(DAY.plusDays(1))).singleElement()
          .satisfies(d -> assertThat(d.window()).isEqualTo(DAY.plusDays(1)));
    } finally {
      try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }
}

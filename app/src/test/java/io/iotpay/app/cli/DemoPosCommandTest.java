package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.app.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iotpay demo pos} through the CLI (the scenario itself is tested in the demo module:
 * {@code io.iotpay.demo.pos.PosScenarioTest}).
 */
class DemoPosCommandTest {
  @TempDir Path tempDir;

  @Test
  void cli_json_printsOneObjectWithTheBriefsFields_readFromTheRecords_andExitsZero() throws Exception {
    CryptoCommandTest.Result result = CryptoCommandTest.run("demo", "pos", "--merchants", "1", "--days", "1",
        "--seed", "5", "--json", "--data-dir", tempDir.toString());

    assertThat(result.exit()).as(result.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(result.out());
    for (String field : List.of("transactions", "approved", "declined", "stand_in", "reversals", "refunds",
        "scripts_applied", "hanging", "merchants_paid_minor", "cardholders_debited_minor", "books_balanced",
        "audit_verified", "conserved", "merchants_registered", "merchants_activated", "merchants_rejected",
        "terminals_blocked", "attestation_failures")) {
      assertThat(json.has(field)).as(field).isTrue();
    }
    // 8 counter-top taps, two issuers' six PIN payments (demo.pos.PinPayments) and the phones' payments.
    assertThat(json.get("transactions").asLong()).isEqualTo(8 + 2 * 6 + json.get("phone_payments").asLong());
    assertThat(json.get("merchants_rejected").asLong()).isEqualTo(4);
    assertThat(json.get("terminals_blocked").asLong()).isEqualTo(2);
    assertThat(json.get("hanging").asLong()).isZero();
    assertThat(json.get("conserved").asBoolean()).isTrue();
    assertThat(json.get("cardholders_debited_minor").asLong())
        .isEqualTo(json.get("merchants_paid_minor").asLong() + json.get("mdr_minor").asLong());
    for (String party : List.of("issuer-intl/issuer.db", "issuer-natl/issuer.db", "switch/switch.db",
        "acquirer/acquirer.db")) {
      assertThat(tempDir.resolve("pos").resolve(party)).as("each party has its own database").exists();
    }
    assertThat(result.err()).contains("demo pos: ").contains("day end");
  }

  @Test
  void cli_refusesMerchantsOutOfRange_withExitTwo_andRunsNothing() {
    CryptoCommandTest.Result result = CryptoCommandTest.run("demo", "pos", "--merchants", "0", "--data-dir",
        tempDir.toString());

    assertThat(result.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(result.err()).contains("--merchants 0 is outside 1..50");
    assertThat(Files.exists(tempDir.resolve("pos"))).isFalse();
  }
}

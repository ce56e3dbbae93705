package io.iotpay.demo.transit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.app.Main;
import io.iotpay.demo.transit.TransitReport;
import io.iotpay.demo.transit.TransitScenario;
import io.iotpay.demo.transit.TransitSettings;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iotpay demo transit} and {@code demo books} through the CLI (the scenario itself is tested
 * in the demo module: {@code io.iotpay.demo.transit.TransitScenarioTest}).
 */
class DemoTransitCommandTest {
  @TempDir Path tempDir;

  @Test
  void cli_json_printsOneObjectWithTheNamedFields_andExitsZero() throws Exception {
    Output output = cli("demo", "transit", "--riders", "4", "--days", "1", "--seed", "3", "--flash-rate", "0.3",
        "--late-rate", "0.5", "--dispute-rate", "0.3", "--json", "--data-dir", tempDir.toString());

    assertThat(output.exit()).as(output.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(output.out());
    for (String field : List.of("riders", "days", "taps_in", "taps_out", "fares_minor", "cleared_minor",
        "issuer_debited_minor", "operator_settled_minor", "quota_restores", "flash_injected", "flash_recovered",
        "deny_listed", "books_balanced", "audit_verified", "conserved", "in_flight_minor", "in_flight",
        "chargebacks", "chargebacks_minor", "late_presentments", "late_presented_minor", "counterfeit_presented",
        "counterfeit_refused", "representments", "representments_minor", "representments_refused",
        "chargebacks_kept_minor", "mispriced_uploaded", "mispriced_excess_minor", "dispute_rate", "late_rate",
        "counterfeit_rate")) {
      assertThat(json.has(field)).as(field).isTrue();
    }
    assertThat(json.get("riders").asInt()).isEqualTo(4);
    assertThat(json.get("dispute_rate").asDouble()).isEqualTo(0.3);
    assertThat(json.get("conserved").asBoolean()).isTrue();
    assertThat(json.get("checks").size()).as("every check is printed").isGreaterThanOrEqualTo(15);
    json.get("checks").properties().forEach(check -> assertThat(check.getValue().asBoolean()).as(check.getKey()).isTrue());
    assertThat(output.err()).contains("demo transit: day");
  }

  @Test
  void cli_demoBooks_stillRunsTheBooksWalkthrough() {
    Output output = cli("demo", "books", "--payments", "30", "--seed", "5", "--data-dir", tempDir.toString());

    assertThat(output.exit()).as(output.err()).isZero();
    assertThat(output.out()).contains("books walk-through").contains("money conserved and settled: yes");
  }

  @Test
  void cli_refusesRidersOutOfRange_withExitTwo() {
    Output output = cli("demo", "transit", "--riders", "0", "--data-dir", tempDir.toString());

    assertThat(output.exit()).isEqualTo(2);
    assertThat(output.err()).contains("--riders 0 is outside 1..500");
  }

  @Test
  void cli_refusesAFlashRateOutOfRange_withExitTwo() {
    Output output = cli("demo", "transit", "--flash-rate", "1.5", "--data-dir", tempDir.toString());

    assertThat(output.exit()).isEqualTo(2);
    assertThat(output.err()).contains("--flash-rate 1.5");
  }

  @Test
  void cli_refusesADisputeRateOutOfRange_withExitTwo() {
    Output output = cli("demo", "transit", "--dispute-rate", "0.6", "--data-dir", tempDir.toString());

    assertThat(output.exit()).isEqualTo(2);
    assertThat(output.err()).contains("--dispute-rate 0.6 is outside 0..0.5");
  }

  @Test
  void auditVerify_failsOnTheTransitBooks_whenOneLedgerAmountIsChanged() throws Exception {
    TransitReport report = TransitScenario.run(new TransitSettings(4, 1, 11, 0.0, 0.0, tempDir, AlgorithmSuite.NATIONAL),
        null);
    assertThat(report.ok()).isTrue();
    assertThat(cli("audit", "verify", "--db", tempDir.resolve("iotpay.db").toString(), "--public-key",
        tempDir.resolve("audit-public-key.pem").toString()).exit()).isZero();

    long leaf; // accounts are leaves too, so an entry's leaf is the audit_index its row records, not seq - 1
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + tempDir.resolve("iotpay.db"));
        Statement statement = connection.createStatement()) {
      statement.executeUpdate("UPDATE ledger_entry SET amount_minor = amount_minor + 1 WHERE seq = 10");
      try (java.sql.ResultSet rows = statement.executeQuery("SELECT audit_index FROM ledger_entry WHERE seq = 10")) {
        rows.next();
        leaf = rows.getLong(1);
      }
    }
    Output tampered = cli("audit", "verify", "--db", tempDir.resolve("iotpay.db").toString(), "--public-key",
        tempDir.resolve("audit-public-key.pem").toString());
    assertThat(tampered.exit()).isEqualTo(1);
    assertThat(tampered.err()).contains("FAILED at leaf " + leaf + ":");
  }

  private record Output(int exit, String out, String err) {}

  private static Output cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    int exit;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exit = Main.run(args);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    return new Output(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}

package io.iotpay.app.demo.transit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.app.Main;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The transit scenario end to end with flash-card injection on: both card suites ride in every run
 * (half the riders 3DES, half SM4), the audit log alternates suites over the seeds.
 */
class TransitScenarioTest {
  private static final List<TransitReport> RUNS = new ArrayList<>();
  @TempDir Path tempDir;

  @ParameterizedTest
  @CsvSource({"1, INTERNATIONAL", "7, NATIONAL", "42, INTERNATIONAL", "2026, NATIONAL"})
  void scenario_conservesMoney_balancesBooks_verifiesAudit_andRecoversEveryTornTap(long seed, AlgorithmSuite auditSuite)
      throws Exception {
    TransitReport report = TransitScenario.run(new TransitSettings(6, 2, seed, 0.2, tempDir, auditSuite), null);
    RUNS.add(report);

    assertThat(report.checks()).as("every conservation equation").allSatisfy((name, held) -> assertThat(held)
        .as(name).isTrue());
    assertThat(report.conserved()).isTrue();
    assertThat(report.booksBalanced()).isTrue();
    assertThat(report.auditVerified()).as(report.auditDetail()).isTrue();
    assertThat(report.ok()).isTrue();
    assertThat(report.flashRecovered()).isEqualTo(report.flashTornAfterCommit());
    assertThat(report.recoveredMatchesTorn()).isTrue();
    assertThat(report.inFlightMinor()).as("the final night settles everything").isZero();
    assertThat(report.enabled()).isEqualTo(6);
    assertThat(report.tapsIn()).isPositive().isGreaterThanOrEqualTo(report.tapsOut());
    assertThat(report.faresMinor()).isPositive();
    assertThat(report.faresOnCardsMinor()).isEqualTo(report.faresMinor());
    assertThat(report.clearedMinor()).isEqualTo(report.issuerDebitedMinor() + report.arrearsMinor())
        .isEqualTo(report.operatorSettledMinor());
    assertThat(report.clearingRefusals()).isZero();
    assertThat(report.flashInjected()).as("flash rate 0.2 tears some taps").isPositive();
    assertThat(report.auditLeaves()).isPositive();
  }

  @AfterAll
  static void theSeedsTogetherExerciseRecoveryDenialAndArrears() {
    // Whichever seeds ran: at least one torn tap had committed (so recovery ran), a low-funds rider
    // went to arrears and onto the deny list, and a gate refused a deny-listed card.
    if (RUNS.size() == 4) {
      assertThat(RUNS.stream().mapToLong(TransitReport::flashTornAfterCommit).sum()).isPositive();
      assertThat(RUNS.stream().mapToLong(TransitReport::arrearsMinor).sum()).isPositive();
      assertThat(RUNS.stream().mapToInt(TransitReport::denyListed).sum()).isPositive();
      assertThat(RUNS.stream().mapToLong(r -> r.refusals().getOrDefault("DENIED", 0L)).sum()).isPositive();
    }
  }

  @Test
  void cli_json_printsOneObjectWithTheNamedFields_andExitsZero() throws Exception {
    Output output = cli("demo", "transit", "--riders", "4", "--days", "1", "--seed", "3", "--flash-rate", "0.3",
        "--json", "--data-dir", tempDir.toString());

    assertThat(output.exit()).as(output.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(output.out());
    for (String field : List.of("riders", "days", "taps_in", "taps_out", "fares_minor", "cleared_minor",
        "issuer_debited_minor", "operator_settled_minor", "quota_restores", "flash_injected", "flash_recovered",
        "deny_listed", "books_balanced", "audit_verified", "conserved", "in_flight_minor", "in_flight")) {
      assertThat(json.has(field)).as(field).isTrue();
    }
    assertThat(json.get("riders").asInt()).isEqualTo(4);
    assertThat(json.get("conserved").asBoolean()).isTrue();
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
  void auditVerify_failsOnTheTransitBooks_whenOneLedgerAmountIsChanged() throws Exception {
    TransitReport report = TransitScenario.run(new TransitSettings(4, 1, 11, 0.0, tempDir, AlgorithmSuite.NATIONAL),
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

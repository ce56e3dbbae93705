package io.iotpay.demo.pos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The POS scenario end to end: cards of both suites (one issuer per suite) in every run, real TCP
 * between the parties, every figure read back from their records.
 */
class PosScenarioTest {
  @TempDir Path tempDir;

  @Test
  void scenario_leavesNothingHanging_balancesEveryBook_verifiesEveryAuditLog_andConservesMoney() {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    PosReport report = PosScenario.run(new PosSettings(2, 2, 7, tempDir),
        new PrintStream(progress, true, StandardCharsets.UTF_8));

    assertThat(report.checks()).allSatisfy((name, held) -> assertThat(held).as(name).isTrue());
    assertThat(report.hanging()).as(String.valueOf(report.hangingByKind())).isZero();
    assertThat(report.booksBalanced()).isTrue();
    assertThat(report.auditVerified()).as(report.auditDetail()).isTrue();
    assertThat(report.conserved()).isTrue();
    assertThat(report.ok()).isTrue();
    assertThat(report.transactions()).isEqualTo(2 * 2 * PosSettings.TAPS_PER_TERMINAL_DAY + 2 * PinPayments.PER_ISSUER);
    assertThat(report.notes()).as("every PIN payment ended as planned").noneMatch(n -> n.contains("PIN"));
    assertThat(report.pinVerified()).as("one right PIN per issuer").isEqualTo(2);
    assertThat(report.pinFailed()).isEqualTo(2 * PinPayments.FAILED_PER_ISSUER);
    assertThat(report.approved()).isPositive();
    assertThat(report.declined()).isPositive();
    assertThat(report.standIn()).as("the issuer is down on day 2").isPositive();
    assertThat(report.advicesDelivered()).isPositive();
    assertThat(report.reversals()).isPositive();
    assertThat(report.lostResponses()).as("seed 7 drops an answer on the acquirer's link").isPositive();
    assertThat(report.duplicates()).as("seed 7 duplicates a request on the acquirer's link").isPositive();
    assertThat(report.lateAnswers()).as("seed 7 has an issuer answer after the stand-in timer").isPositive();
    assertThat(report.reversals()).as("every lost answer is reversed").isGreaterThanOrEqualTo(report.lostResponses());
    assertThat(report.refunds()).isPositive();
    assertThat(report.scriptsApplied()).as("the limit update and the block").isGreaterThanOrEqualTo(2);
    assertThat(report.outcomes()).as("the blocked card refuses contactless by itself").containsKey(
        "NO_APPLICATION_SELECTED");
    assertThat(report.cardholdersDebitedMinor()).isPositive();
    assertThat(report.inFlightMinor()).as("the final T+1 settles and pays everything").isZero();
    assertThat(report.merchantsPaidMinor() + report.mdrMinor())
        .isEqualTo(report.cardholdersDebitedMinor() + report.standInExposureMinor());
  }
}

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
    assertThat(report.notes()).as("every expected refusal happened as expected, every PIN payment as planned").isEmpty();
    // The counter-top terminals' taps and PIN payments, and the phones' payments that reached the kernel (day 1: two
    // phones, day 2: one) or the issuer as consumer-presented QR codes the phones scanned (one per merchant and day,
    // and on day 1 a replayed and an expired code).
    assertThat(report.phones().phonePayments()).isEqualTo(3L * PhoneTills.PAYMENTS_PER_PHONE_DAY + 2 * 2 + 2);
    assertThat(report.qrCpm()).as("one approved per merchant and day").isEqualTo(2 * 2);
    // Merchant-presented push credits: settled by the switch and paid out by the acquirer, each once, all of them.
    assertThat(report.qrMpm()).isEqualTo(2 * 2);
    assertThat(report.qrMpmSettledMinor()).isPositive().isEqualTo(report.qrMpmPaidOutMinor());
    assertThat(report.transactions()).isEqualTo(2 * 2 * PosSettings.TAPS_PER_TERMINAL_DAY + 2 * PinPayments.PER_ISSUER
        + report.phones().phonePayments());
    assertThat(report.pinVerified()).as("one right PIN per issuer").isEqualTo(2);
    assertThat(report.pinFailed()).isEqualTo(2 * PinPayments.FAILED_PER_ISSUER);
    // From the acquirer's records: 2 + 2 phone merchants activated, 4 applicants refused, the second phone merchant
    // suspended, the tampered and the rooted phone blocked after their refused attestations, the tampered one's
    // next attempt refused too.
    PhoneFigures phones = report.phones();
    assertThat(phones.merchantsRegistered()).isEqualTo(2 + 2 + 4);
    assertThat(phones.merchantsActivated()).isEqualTo(4);
    assertThat(phones.merchantsRejected()).isEqualTo(4);
    assertThat(phones.merchantsSuspended()).isEqualTo(1);
    assertThat(phones.terminalsBlocked()).isEqualTo(2);
    assertThat(phones.attestationFailures()).as("tampered, rooted, blocked, suspended").isEqualTo(4);
    assertThat(report.toJson()).containsKeys("merchants_registered", "merchants_activated", "merchants_rejected",
        "terminals_blocked", "attestation_failures");
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

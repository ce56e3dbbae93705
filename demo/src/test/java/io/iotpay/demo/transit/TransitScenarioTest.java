package io.iotpay.demo.transit;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The transit scenario end to end with flash-card injection and counterfeit cards on: both card suites
 * ride in every run (half the riders 3DES, half SM4), the audit log alternates suites over the seeds.
 * The defaults of {@code iotpay demo transit} run in both suites of the audit log and the scheme PKI:
 * counterfeits, a late presentment, chargebacks of mis-priced records and their corrected
 * re-presentments, with every check holding.
 */
class TransitScenarioTest {
  private static final List<TransitReport> RUNS = new ArrayList<>();
  @TempDir Path tempDir;

  @ParameterizedTest
  @CsvSource({"1, INTERNATIONAL", "7, NATIONAL", "42, INTERNATIONAL", "2026, NATIONAL"})
  void scenario_conservesMoney_balancesBooks_verifiesAudit_andRecoversEveryTornTap(long seed, AlgorithmSuite auditSuite)
      throws Exception {
    TransitReport report = TransitScenario.run(new TransitSettings(6, 2, seed, 0.2, 0.3, tempDir, auditSuite), null);
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
    // Counterfeit rate 0.3: counterfeits of riders' cards are presented, and every one is refused.
    assertThat(report.counterfeitPresented()).isPositive();
    assertThat(report.counterfeitRefused()).isEqualTo(report.counterfeitPresented());
    assertThat(report.refusals().getOrDefault("ODA_FAILED", 0L)).isPositive();
  }

  @ParameterizedTest
  @CsvSource({"5, INTERNATIONAL", "11, NATIONAL"})
  void lateRate_bringsTornTapsAfterTheirDaySettled_intoTheOpenWindow_andEveryCheckHolds(long seed,
      AlgorithmSuite auditSuite) throws Exception {
    TransitReport report = TransitScenario.run(new TransitSettings(8, 3, seed, 0.3, 0.0, tempDir, auditSuite, 1.0), null);

    assertThat(report.checks()).as("every conservation equation").allSatisfy((name, held) -> assertThat(held)
        .as(name).isTrue());
    assertThat(report.ok()).isTrue();
    assertThat(report.inFlightMinor()).as("nothing stranded, late records included").isZero();
    assertThat(report.flashRecovered()).isEqualTo(report.flashTornAfterCommit());
    assertThat(report.disputes().latePresentments()).as("a walked-away tap came after its day settled").isPositive();
    assertThat(report.disputes().latePresentedMinor()).isNotNegative();
    assertThat(report.disputes().chargebacks()).as("no issuer refusals in this scenario").isZero();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void defaults_showCounterfeitsLatePresentmentsAndChargebacks_nettedAndRepresentedOnce_andEveryCheckHolds(
      AlgorithmSuite suite) throws Exception {
    TransitSettings d = TransitSettings.defaults(tempDir);
    TransitReport report = TransitScenario.run(new TransitSettings(d.riders(), d.days(), d.seed(), d.flashRate(),
        d.counterfeitRate(), tempDir, suite, d.lateRate(), d.disputeRate()), null);
    TransitReport.Disputes disputes = report.disputes();

    assertThat(report.checks()).as("every conservation equation").allSatisfy((name, held) -> assertThat(held)
        .as(name).isTrue());
    assertThat(report.ok()).isTrue();
    assertThat(report.inFlightMinor()).isZero();
    assertThat(report.counterfeitPresented()).isPositive().isEqualTo(report.counterfeitRefused());
    assertThat(disputes.latePresentments()).isPositive();
    // The back office over-prices by one zone; the issuers refuse exactly the mis-priced records they get.
    assertThat(disputes.misPriced()).isGreaterThanOrEqualTo(disputes.chargebacks());
    assertThat(disputes.misPricedExcessMinor()).isEqualTo(disputes.misPriced() * StaleFareTable.ZONE_SUPPLEMENT_MINOR);
    assertThat(disputes.chargebacks()).isPositive().isEqualTo(report.clearingRefusals());
    assertThat(report.notes()).filteredOn(note -> note.startsWith("clearing refused"))
        .hasSize((int) disputes.chargebacks()).allSatisfy(note -> assertThat(note).contains("AMOUNT_MISMATCH"));
    // Each is re-presented once at its gate's fare: the supplement stays charged back, a second try is refused.
    assertThat(disputes.representments()).isEqualTo(disputes.chargebacks());
    assertThat(disputes.chargebacksKeptMinor()).isEqualTo(disputes.chargebacksMinor() - disputes.representmentsMinor())
        .isEqualTo(disputes.chargebacks() * StaleFareTable.ZONE_SUPPLEMENT_MINOR);
    assertThat(disputes.representmentsRefused()).isOne();
    assertThat(report.operatorSettledMinor()).isEqualTo(report.clearedMinor() + disputes.representmentsMinor());
    assertThat(report.faresOnCardsMinor()).isEqualTo(report.faresMinor())
        .isEqualTo(report.clearedMinor() + disputes.representmentsMinor());
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
}

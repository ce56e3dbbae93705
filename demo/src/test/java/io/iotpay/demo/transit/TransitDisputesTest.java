package io.iotpay.demo.transit;

import static io.iotpay.demo.transit.TransitParties.DAY;
import static io.iotpay.demo.transit.TransitParties.SWITCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.issuer.transit.ClearingReport;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.IntakeStatus;
import io.iotpay.protocol.transit.ExceptionStage;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.switching.transit.SettlementRun;
import io.iotpay.switching.transit.TransitSwitch;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Disputes end to end through the real parties (docs/clearing-files.md §11-13), both suites, signed
 * files: the issuer refuses records it cannot verify and charges them back in a signed exception
 * file; the switch nets the chargebacks against the operator in the next window and tells it; the
 * operator re-presents one record once; a record of a settled day comes late and is settled in the
 * open window; the operator is restarted in the middle. Every book shows it, every book balances,
 * nothing is left owed, and the audit log verifies.
 */
class TransitDisputesTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void chargebacks_representment_andLatePresentment_settleAcrossWindows_andEveryBookShowsThem(AlgorithmSuite suite)
      throws Exception {
    try (TransitParties parties = new TransitParties(suite, dir)) {
      Pan issued = parties.issueCard();
      Pan unknown = Pan.withCheckDigit(TransitParties.RANGE + "99999999");
      TransitRecord badTac = parties.exitWithoutValidTac(issued, 1, 1, 300, DAY);
      TransitRecord unknownCard = parties.exitWithoutValidTac(unknown, 2, 1, 200, DAY);
      TransitRecord late = parties.exitWithoutValidTac(issued, 3, 2, 100, DAY);

      // Day T: uploaded, settled on T+1; the issuer pays its position, then refuses both records.
      parties.operator.collect(List.of(badTac, unknownCard));
      assertThat(parties.operator.upload(DAY, parties.transitSwitch).recordsAccepted()).isEqualTo(2);
      SettlementRun dayOne = parties.transitSwitch.settle(DAY, DAY.plusDays(1));
      assertThat(morning(parties, dayOne)).extracting(ClearingReport::refusals).asList().hasSize(2);
      assertThat(parties.debitBalance(parties.issuer.dueToSwitchAccountId()))
          .as("the issuer paid 500 for records it refused: due-to-switch holds them until the chargeback").isEqualTo(500);
      assertThat(parties.transitSwitch.disputes()).hasSize(2).allSatisfy(d -> assertThat(d.window()).isNull());

      // T+1: the late record of day T (a torn tap recovered after T settled) goes to the open window.
      parties.operator.collect(List.of(late));
      parties.restartOperator(); // it remembers the pending record and what it settled
      assertThat(parties.operator.pendingDays()).containsExactly(DAY);
      IntakeReceipt lateReceipt = parties.operator.upload(DAY, parties.transitSwitch);
      assertThat(lateReceipt.status()).isEqualTo(IntakeStatus.ACCEPTED);
      assertThat(parties.transitSwitch.latePresentments()).isEqualTo(new TransitSwitch.LatePresentments(1, 100));
      SettlementRun dayTwo = parties.transitSwitch.settle(DAY.plusDays(1), DAY.plusDays(2));
      assertThat(net(dayTwo, TransitParties.METRO)).as("100 late fares, 500 charged back").isEqualTo(-400);
      morning(parties, dayTwo);
      assertThat(parties.operator.chargebacksMinor()).isEqualTo(500);
      assertThat(parties.operator.chargebacks()).extracting(e -> e.recordId())
          .containsExactlyInAnyOrder(badTac.id(), unknownCard.id());

      // The operator answers the bad-TAC chargeback once, with its gate's record as evidence.
      IntakeReceipt represented = parties.operator.represent(badTac.id(), parties.transitSwitch::receiveExceptions);
      assertThat(represented.recordsAccepted()).isEqualTo(1);
      assertThatThrownBy(() -> parties.operator.represent(badTac.id(), parties.transitSwitch::receiveExceptions))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("re-presented already");
      assertThat(parties.operator.chargebacksMinor()).isEqualTo(200);

      SettlementRun dayThree = parties.transitSwitch.settle(DAY.plusDays(2), DAY.plusDays(3));
      assertThat(net(dayThree, TransitParties.METRO)).as("300 re-presented, 100 (late) charged back").isEqualTo(200);
      morning(parties, dayThree);
      SettlementRun quiet = parties.transitSwitch.settle(DAY.plusDays(3), DAY.plusDays(4));
      morning(parties, quiet);
      assertThat(net(quiet, TransitParties.METRO)).isZero();

      // Every book: the operator kept 600 - 300 charged back; the issuer carries the re-presented 300
      // in arrears; nothing is owed between the parties; the switch's accounts are all at zero.
      assertThat(parties.operator.fareRevenueMinor()).isEqualTo(600);
      assertThat(parties.operator.chargebacksMinor()).isEqualTo(300);
      assertThat(parties.operator.settledMinor()).isEqualTo(300);
      assertThat(parties.operator.receivableMinor()).isZero();
      assertThat(parties.debitBalance(parties.issuer.arrearsAccountId())).isEqualTo(300);
      assertThat(parties.debitBalance(parties.issuer.dueToSwitchAccountId())).isZero();
      assertThat(parties.creditBalance(parties.issuer.fundingAccountId())).isEqualTo(300);
      assertThat(parties.debitBalance(parties.transitSwitch.settlementAccountId())).isZero();
      assertThat(parties.debitBalance(parties.transitSwitch.dueFromIssuerAccountId(TransitParties.BANK))).isZero();
      assertThat(parties.debitBalance(parties.transitSwitch.dueToOperatorAccountId(TransitParties.METRO))).isZero();
      assertThat(parties.transitSwitch.disputes()).allSatisfy(d -> assertThat(d.window()).isNotNull())
          .extracting(d -> d.exception().stage())
          .containsExactly(ExceptionStage.CHARGEBACK, ExceptionStage.CHARGEBACK, ExceptionStage.CHARGEBACK,
              ExceptionStage.REPRESENTMENT);
      assertThat(parties.booksBalanced()).isTrue();
      assertThat(parties.closeAndVerifyAudit()).isTrue();
    }
  }

  /**
   * The operator's back office uploaded a record with another fare than its gate journaled (300 for
   * the gate's 250); the issuer refuses it and charges 300 back. The operator re-presents it once,
   * corrected to the gate's record: the switch nets 250 back, the issuer books 250, 50 stays charged
   * back. A correction claiming more than was charged back, one of another card transaction and a
   * second re-presentment are refused, changing nothing.
   */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void representmentCorrectedToTheGatesRecord_isNettedAtTheGatesFare_once(AlgorithmSuite suite) throws Exception {
    try (TransitParties parties = new TransitParties(suite, dir)) {
      Pan card = parties.issueCard();
      TransitRecord uploaded = parties.exitWithoutValidTac(card, 1, 1, 300, DAY);
      TransitRecord journaled = parties.exitWithoutValidTac(card, 1, 1, 250, DAY);
      parties.operator.collect(List.of(uploaded));
      parties.operator.upload(DAY, parties.transitSwitch);
      morning(parties, parties.transitSwitch.settle(DAY, DAY.plusDays(1)));
      morning(parties, parties.transitSwitch.settle(DAY.plusDays(1), DAY.plusDays(2)));
      assertThat(parties.operator.chargebacksMinor()).isEqualTo(300);

      assertThatThrownBy(() -> parties.operator.representCorrected(parties.exitWithoutValidTac(card, 1, 1, 301, DAY),
          parties.transitSwitch::receiveExceptions)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("more than the 300 charged back");
      assertThatThrownBy(() -> parties.operator.representCorrected(parties.exitWithoutValidTac(card, 1, 2, 250, DAY),
          parties.transitSwitch::receiveExceptions)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not the card transaction uploaded");
      assertThat(parties.transitSwitch.disputes()).hasSize(1);

      assertThat(parties.operator.representCorrected(journaled, parties.transitSwitch::receiveExceptions)
          .recordsAccepted()).isEqualTo(1);
      assertThatThrownBy(() -> parties.operator.representCorrected(journaled, parties.transitSwitch::receiveExceptions))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("re-presented already");
      assertThat(parties.operator.chargebacksMinor()).isEqualTo(50);
      SettlementRun back = parties.transitSwitch.settle(DAY.plusDays(2), DAY.plusDays(3));
      assertThat(net(back, TransitParties.METRO)).isEqualTo(250);
      morning(parties, back);

      assertThat(parties.transitSwitch.disputes()).extracting(d -> d.exception().fareMinor()).containsExactly(300L, 250L);
      assertThat(parties.operator.representments()).singleElement().satisfies(r -> assertThat(r.fareMinor()).isEqualTo(250));
      assertThat(parties.operator.fareRevenueMinor() - parties.operator.chargebacksMinor())
          .isEqualTo(parties.operator.settledMinor()).isEqualTo(250);
      assertThat(parties.operator.receivableMinor()).isZero();
      assertThat(parties.debitBalance(parties.issuer.arrearsAccountId())).isEqualTo(250);
      assertThat(parties.debitBalance(parties.issuer.dueToSwitchAccountId())).isZero();
      assertThat(parties.debitBalance(parties.transitSwitch.settlementAccountId())).isZero();
      assertThat(parties.booksBalanced()).isTrue();
      assertThat(parties.closeAndVerifyAudit()).isTrue();
    }
  }

  /**
   * T+1 morning of {@code run}: the issuer clears, charges back what it refused, books the
   * re-presentments netted against it, pays its position; the operator books its position and its
   * chargebacks.
   */
  static ClearingReport morning(TransitParties parties, SettlementRun run) {
    Path clearing = run.clearingFiles().get(TransitParties.BANK);
    ClearingReport report = parties.issuer.clearFile(clearing);
    parties.issuer.writeChargebackFile(clearing, report, parties.dir.resolve("issuer-out"), SWITCH)
        .ifPresent(file -> assertThat(parties.transitSwitch.receiveExceptions(file).recordsRefused()).isZero());
    Path toIssuer = run.exceptionNotices().get(TransitParties.BANK);
    if (toIssuer != null) {
      parties.issuer.receiveExceptionNotice(toIssuer, SWITCH);
    }
    parties.issuer.paySettlementFile(run.reportFiles().get(TransitParties.BANK));
    parties.operator.receiveSettlement(run.reportFiles().get(TransitParties.METRO));
    Path toOperator = run.exceptionNotices().get(TransitParties.METRO);
    if (toOperator != null) {
      parties.operator.receiveExceptionNotice(toOperator);
    }
    return report;
  }

  static long net(SettlementRun run, io.iotpay.protocol.PartyId party) {
    return run.report().positions().stream().filter(p -> p.party().equals(party)).findFirst().orElseThrow()
        .net().amountMinor();
  }
}

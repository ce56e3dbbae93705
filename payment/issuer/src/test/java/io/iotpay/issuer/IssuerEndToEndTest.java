package io.iotpay.issuer;

import io.iotpay.issuer.card.CardStatus;
import io.iotpay.issuer.transit.ClearingReport;
import io.iotpay.issuer.transit.RefusalReason;
import io.iotpay.issuer.transit.ScriptStep;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.protocol.enrolment.ServiceApplication;
import io.iotpay.protocol.enrolment.ServiceDecision;
import io.iotpay.protocol.transit.ClearingFile;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue #4's issuer path end to end, on the real applet in jCardSim, in both suites. */
class IssuerEndToEndTest {
  @TempDir Path dir;

  private static ScriptStep enable(IssuerWorld world, IssuerWorld.Rider rider) {
    ServiceDecision decision = world.issuer.apply(
        new ServiceApplication("app-1", rider.issued().pan(), rider.issued().panSequence(), "METRO"));
    assertThat(decision.approved()).as(decision.reason()).isTrue();
    return world.runPush(decision.script().orElseThrow(), rider.card(), UnaryOperator.identity());
  }

  private static long balance(IssuerWorld world, long account) {
    return world.ledger.balance(account).map(AccountBalance::creditBalanceMinor).orElse(0L);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void personaliseEnableRideClearRestore(AlgorithmSuite suite) {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      IssuerWorld.Rider rider = world.rider(1, suite, 100_00);
      assertThat(rider.card().quotaMinor(world.aid())).as("not enabled yet").isZero();

      assertThat(enable(world, rider)).isEqualTo(new ScriptStep.Completed(50_00));
      assertThat(rider.card().quotaMinor(world.aid())).isEqualTo(50_00);
      assertThat(world.issuer.card(rider.issued().pan()).status()).isEqualTo(CardStatus.ENABLED);

      TestGate gate = new TestGate(rider.card(), rider.issued(), world.aid());
      List<TransitRecord> records = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        records.addAll(Arrays.asList(gate.journey(8_00, 6_50)));
      }
      assertThat(rider.card().quotaMinor(world.aid())).isEqualTo(50_00 - 7 * 6_50);
      assertThat(world.issuer.restoresDue()).isEmpty(); // the issuer learns the quota only at clearing

      ClearingReport report = world.issuer.clear(new ClearingFile(IssuerWorld.ISSUER, TestGate.DAY, 1, records));
      assertThat(report.refusals()).isEmpty();
      assertThat(report.accepted()).isEqualTo(14);
      assertThat(report.debitedMinor()).isEqualTo(7 * 6_50);
      assertThat(balance(world, rider.account())).isEqualTo(100_00 - 7 * 6_50);
      assertThat(balance(world, world.issuer.dueToSwitchAccountId())).isEqualTo(7 * 6_50);
      assertThat(world.issuer.card(rider.issued().pan()).quotaKnownMinor()).isEqualTo(4_50);

      // A file resent is harmless: every record is a duplicate, nothing is debited twice.
      ClearingReport again = world.issuer.clear(new ClearingFile(IssuerWorld.ISSUER, TestGate.DAY, 2, records));
      assertThat(again.debitedMinor()).isZero();
      assertThat(again.refusals()).hasSize(14).allMatch(r -> r.reason() == RefusalReason.DUPLICATE);
      assertThat(balance(world, rider.account())).isEqualTo(100_00 - 7 * 6_50);

      assertThat(world.issuer.restoresDue()).containsExactly(rider.issued().pan());
      ScriptStep restore = world.runPush(world.issuer.startPush(rider.issued().pan()), rider.card(),
          UnaryOperator.identity());
      assertThat(restore).isEqualTo(new ScriptStep.Completed(50_00));
      assertThat(rider.card().quotaMinor(world.aid())).isEqualTo(50_00);
      assertThat(world.issuer.restoresDue()).isEmpty();
      assertThat(world.issuer.card(rider.issued().pan()).pushAtc()).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void badRecordsAreRefusedWithReasonsAndNothingIsDebitedTwice(AlgorithmSuite suite) {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      IssuerWorld.Rider rider = world.rider(1, suite, 100_00);
      IssuerWorld.Rider poor = world.rider(2, suite, 3_00);
      enable(world, rider);
      enable(world, poor);
      TransitRecord[] good = new TestGate(rider.card(), rider.issued(), world.aid()).journey(8_00, 4_00);
      TransitRecord[] second = new TestGate(rider.card(), rider.issued(), world.aid()).journey(8_00, 2_00);
      TransitRecord[] poorJourney = new TestGate(poor.card(), poor.issued(), world.aid()).journey(8_00, 6_00);

      byte[] badTac = second[1].tac();
      badTac[0] ^= 1;
      TransitRecord tacFlipped = copy(second[1], second[1].fare(), second[1].cryptogramInput(), badTac, 1);
      TransitRecord fareAltered = copy(second[1], Money.ofMinor(1_00, CurrencyUnit.CNY),
          second[1].cryptogramInput(), second[1].tac(), 2);
      byte[] input = second[1].cryptogramInput();
      input[5] = 0x01; // the amount inside the TAC-covered input
      TransitRecord inputAltered = copy(second[1], second[1].fare(), input, second[1].tac(), 3);
      TransitRecord unknown = new TransitRecord(new RecordId("GATE-9", 1), TestGate.OPERATOR, "S01",
          TransitKind.EXIT, io.iotpay.protocol.Pan.withCheckDigit("999999000000001"), 1, suite, 5,
          good[1].fare(), 0, good[1].time(), TestGate.DAY, good[1].cryptogramInput(), good[1].tac(), false);

      List<TransitRecord> records = List.of(good[0], good[1], good[1], tacFlipped, fareAltered, inputAltered, unknown,
          poorJourney[0], poorJourney[1]);
      ClearingReport report = world.issuer.clear(new ClearingFile(IssuerWorld.ISSUER, TestGate.DAY, 1, records));

      assertThat(report.refusals()).extracting(ClearingReport.Refusal::reason).containsExactly(
          RefusalReason.DUPLICATE, RefusalReason.BAD_TAC, RefusalReason.AMOUNT_MISMATCH, RefusalReason.BAD_TAC,
          RefusalReason.UNKNOWN_CARD, RefusalReason.INSUFFICIENT_FUNDS);
      assertThat(report.refusals()).allMatch(r -> !r.detail().isBlank());
      assertThat(report.accepted()).isEqualTo(3); // good entry + exit, poor entry
      assertThat(report.debitedMinor()).isEqualTo(4_00);
      assertThat(report.arrearsMinor()).isEqualTo(6_00);
      assertThat(balance(world, rider.account())).isEqualTo(100_00 - 4_00);
      assertThat(balance(world, poor.account())).isEqualTo(3_00);
      // The issuer still owes the switch every genuine fare; arrears carry the one it could not debit.
      assertThat(balance(world, world.issuer.dueToSwitchAccountId())).isEqualTo(10_00);
      assertThat(report.denyListVersion()).isEqualTo(2);
      assertThat(world.issuer.denyList().denies(poor.issued().pan())).isTrue();
      assertThat(world.issuer.denyList().denies(rider.issued().pan())).isFalse();
      assertThat(world.issuer.card(poor.issued().pan()).status()).isEqualTo(CardStatus.DENIED);

      // The genuine second exit, sent later, is still accepted once: refusals consumed nothing.
      ClearingReport later = world.issuer.clear(new ClearingFile(IssuerWorld.ISSUER, TestGate.DAY, 2,
          List.of(second[0], second[1], good[1], poorJourney[1])));
      assertThat(later.debitedMinor()).isEqualTo(2_00);
      assertThat(later.refusals()).extracting(ClearingReport.Refusal::reason)
          .containsExactly(RefusalReason.DUPLICATE, RefusalReason.DUPLICATE);
      assertThat(balance(world, rider.account())).isEqualTo(100_00 - 6_00);
      assertThat(world.issuer.denyList().version()).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void creditCardQuotaCountsAgainstTheLimit(AlgorithmSuite suite) {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      long small = world.issuer.openRiderAccount(3, RiderAccountKind.CREDIT, 40_00);
      IssuerWorld.Rider refused = world.personalised(suite, small);
      ServiceDecision decision = world.issuer.apply(new ServiceApplication("app-2", refused.issued().pan(),
          refused.issued().panSequence(), "METRO"));
      assertThat(decision.approved()).isFalse();
      assertThat(decision.reason()).contains("quota");

      long card = world.issuer.openRiderAccount(4, RiderAccountKind.CREDIT, 60_00);
      IssuerWorld.Rider rider = world.personalised(suite, card);
      assertThat(enable(world, rider)).isEqualTo(new ScriptStep.Completed(50_00));
      TransitRecord[] journey = new TestGate(rider.card(), rider.issued(), world.aid()).journey(8_00, 7_00);
      ClearingReport report = world.issuer.clear(new ClearingFile(IssuerWorld.ISSUER, TestGate.DAY, 1,
          List.of(journey)));
      assertThat(report.debitedMinor()).isEqualTo(7_00);
      assertThat(world.issuer.availableMinor(card)).isEqualTo(53_00);
      assertThat(balance(world, card)).isEqualTo(-7_00);
    }
  }

  private static TransitRecord copy(TransitRecord r, Money fare, byte[] input, byte[] tac, long sequence) {
    return new TransitRecord(new RecordId("GATE-X", sequence), r.operator(), r.stationId(), r.kind(), r.pan(),
        r.panSequence(), r.suite(), r.atc(), fare, r.quotaAfterMinor(), r.time(), r.businessDate(), input, tac,
        r.recovered());
  }
}

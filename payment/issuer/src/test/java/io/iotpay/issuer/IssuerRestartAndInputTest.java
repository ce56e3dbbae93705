package io.iotpay.issuer;

import io.iotpay.issuer.card.CardRecord;
import io.iotpay.issuer.card.CardStatus;
import io.iotpay.issuer.transit.ClearingReport;
import io.iotpay.issuer.transit.ClearingStore;
import io.iotpay.issuer.transit.RefusalReason;
import io.iotpay.issuer.transit.ScriptStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.enrolment.ServiceApplication;
import io.iotpay.protocol.enrolment.ServiceDecision;
import io.iotpay.protocol.script.CardScriptResult;
import io.iotpay.protocol.transit.ClearingFile;
import io.iotpay.protocol.transit.TransitRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The registry survives a restart (Push ATC, cleared transactions, deny list); bad input is typed. */
class IssuerRestartAndInputTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void stateSurvivesARestart(AlgorithmSuite suite) {
    IssuerWorld.Rider rider;
    List<TransitRecord> records;
    try (IssuerWorld world = new IssuerWorld(dir)) {
      rider = world.rider(1, suite, 50_00);
      records = enabledJourney(world, rider);
      assertThat(world.issuer.clear(new ClearingFile(IssuerWorld.ISSUER, TestGate.DAY, 1, records)).debitedMinor())
          .isEqualTo(3_00);
    }
    try (IssuerWorld world = new IssuerWorld(dir)) {
      CardRecord card = world.issuer.card(rider.issued().pan());
      assertThat(card.pushAtc()).isEqualTo(1);
      assertThat(card.status()).isEqualTo(CardStatus.ENABLED);
      assertThat(card.quotaKnownMinor()).isEqualTo(47_00);
      ClearingReport again = world.issuer.clear(new ClearingFile(IssuerWorld.ISSUER, TestGate.DAY, 2, records));
      assertThat(again.debitedMinor()).isZero();
      assertThat(again.refusals()).allMatch(r -> r.reason() == RefusalReason.DUPLICATE);
      assertThat(world.ledger.balance(rider.account()).orElseThrow().creditBalanceMinor()).isEqualTo(47_00);
      // The next push uses Push ATC 2: the counter was persisted, not restarted.
      assertThat(world.runPush(world.issuer.startPush(rider.issued().pan()), rider.card(), UnaryOperator.identity()))
          .isEqualTo(new ScriptStep.Completed(50_00));
      assertThat(world.issuer.card(rider.issued().pan()).pushAtc()).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void badRequestsAreRefusedWithTypedErrorsOrDeclines(AlgorithmSuite suite) {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      IssuerWorld.Rider rider = world.rider(1, suite, 10_00);
      assertThatThrownBy(() -> world.issuer.clear(new ClearingFile(PartyId.of("BANK-B"), TestGate.DAY, 1, List.of())))
          .isInstanceOf(IssuerInputException.class).hasMessageContaining("BANK-B");
      Pan stranger = Pan.withCheckDigit("999999000000001");
      assertThatThrownBy(() -> world.issuer.startPush(stranger)).isInstanceOf(IssuerInputException.class)
          .hasMessageContaining("999999").hasMessageNotContaining(stranger.digits());
      ServiceDecision unknown = world.issuer.apply(new ServiceApplication("x", stranger, 1, "METRO"));
      assertThat(unknown.approved()).isFalse();
      ServiceDecision wrongService = world.issuer.apply(new ServiceApplication("y", rider.issued().pan(), 1, "PARKING"));
      assertThat(wrongService.approved()).isFalse();
      assertThat(world.issuer.onScriptResult(new CardScriptResult("forged-id", List.of())))
          .isInstanceOf(ScriptStep.Failed.class);
      assertThatThrownBy(() -> new ServiceApplication("z", stranger, 100, "METRO")).isInstanceOf(ProtocolException.class)
          .hasMessageContaining("PAN sequence");
      assertThatThrownBy(() -> new ServiceDecision("z", true, "ok", Optional.empty()))
          .isInstanceOf(ProtocolException.class);
      assertThatThrownBy(() -> world.issuer.openRiderAccount(-1, RiderAccountKind.DEBIT, 0))
          .isInstanceOf(IssuerInputException.class);
    }
  }

  /**
   * A clearing that recorded its outcome and then stopped before posting the arrears (a crash) is
   * completed at the next start-up, once: the row is written here as the crash would leave it.
   */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void arrearsRecordedButNotPostedArePostedAtStartUpOnce(AlgorithmSuite suite) throws Exception {
    Pan pan;
    try (IssuerWorld world = new IssuerWorld(dir)) {
      pan = world.rider(1, suite, 0).issued().pan();
      try (var connection = world.database.connection();
          var statement = connection.prepareStatement("INSERT INTO issuer_cleared (pan, pan_sequence, atc, outcome,"
              + " fare_minor) VALUES (?, 1, 9, 'ARREARS', 250)")) {
        statement.setString(1, pan.digits());
        statement.executeUpdate();
      }
    }
    for (int restart = 0; restart < 2; restart++) {
      try (IssuerWorld world = new IssuerWorld(dir)) {
        assertThat(world.ledger.balance(world.issuer.dueToSwitchAccountId()).orElseThrow().creditBalanceMinor())
            .as("restart " + restart).isEqualTo(250);
        assertThat(world.ledger.balance(world.issuer.arrearsAccountId()).orElseThrow().debitBalanceMinor())
            .isEqualTo(250);
      }
    }
  }

  /**
   * A clearing that recorded a chunk (cleared rows and their planned fare posting) and then stopped
   * before submitting the posting (a crash) is completed at the next start-up, once; a resend of
   * the same record is then a duplicate that debits nothing.
   */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void farePostingRecordedButNotSubmittedIsPostedAtStartUpOnce(AlgorithmSuite suite) throws Exception {
    IssuerWorld.Rider rider;
    List<TransitRecord> records;
    try (IssuerWorld world = new IssuerWorld(dir)) {
      rider = world.rider(1, suite, 50_00);
      records = enabledJourney(world, rider);
      TransitRecord exit = records.get(records.size() - 1);
      // As the crash leaves it: the registry transaction committed, the ledger never saw the transfer.
      world.issuer.clearingStore().recordFile(List.of(new ClearingStore.Cleared(exit.cardKey(), "DEBITED", 3_00, 77L)),
          List.of(), List.of(), List.of(new ClearingStore.FarePosting(77L, rider.account(), 3_00, 1)));
      assertThat(world.ledger.balance(rider.account()).orElseThrow().creditBalanceMinor()).isEqualTo(50_00);
    }
    for (int restart = 0; restart < 2; restart++) {
      try (IssuerWorld world = new IssuerWorld(dir)) {
        assertThat(world.ledger.balance(rider.account()).orElseThrow().creditBalanceMinor()).as("restart " + restart)
            .isEqualTo(47_00);
        assertThat(world.ledger.balance(world.issuer.dueToSwitchAccountId()).orElseThrow().creditBalanceMinor())
            .isEqualTo(3_00);
        assertThat(world.issuer.clearingStore().plannedPostings()).isEmpty();
        ClearingReport again = world.issuer.clear(new ClearingFile(IssuerWorld.ISSUER, TestGate.DAY, 2 + restart, records));
        assertThat(again.debitedMinor()).isZero();
        assertThat(world.ledger.balance(rider.account()).orElseThrow().creditBalanceMinor()).isEqualTo(47_00);
      }
    }
  }

  /**
   * A recorded fare posting the account can no longer take when it is submitted (its balance fell in
   * between) is not lost and not forced: its records move to arrears, the card is denied, and the
   * issuer owes the switch the fare from its arrears account.
   */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void farePostingTheAccountCannotTakeBecomesArrears(AlgorithmSuite suite) throws Exception {
    Pan pan;
    long account;
    try (IssuerWorld world = new IssuerWorld(dir)) {
      IssuerWorld.Rider rider = world.rider(1, suite, 2_00);
      pan = rider.issued().pan();
      account = rider.account();
      var key = new TransitRecord.CardTransactionKey(pan, 1, 9);
      world.issuer.clearingStore().recordFile(List.of(new ClearingStore.Cleared(key, "DEBITED", 5_00, 88L)),
          List.of(), List.of(), List.of(new ClearingStore.FarePosting(88L, account, 5_00, 1)));
    }
    for (int restart = 0; restart < 2; restart++) {
      try (IssuerWorld world = new IssuerWorld(dir)) {
        assertThat(world.ledger.balance(account).orElseThrow().creditBalanceMinor()).as("restart " + restart)
            .isEqualTo(2_00);
        assertThat(world.ledger.balance(world.issuer.arrearsAccountId()).orElseThrow().debitBalanceMinor())
            .isEqualTo(5_00);
        assertThat(world.ledger.balance(world.issuer.dueToSwitchAccountId()).orElseThrow().creditBalanceMinor())
            .isEqualTo(5_00);
        assertThat(world.issuer.card(pan).status()).isEqualTo(CardStatus.DENIED);
        assertThat(world.issuer.clearingStore().arrears()).extracting(ClearingStore.Cleared::fareMinor).containsExactly(5_00L);
        assertThat(world.issuer.clearingStore().plannedPostings()).isEmpty();
      }
    }
  }

  /** Enables the rider's metro service (its first push) and returns one journey of 3.00 through the gates. */
  private static List<TransitRecord> enabledJourney(IssuerWorld world, IssuerWorld.Rider rider) {
    var decision = world.issuer.apply(new ServiceApplication("a", rider.issued().pan(), 1, "METRO"));
    world.runPush(decision.script().orElseThrow(), rider.card(), UnaryOperator.identity());
    return List.of(new TestGate(rider.card(), rider.issued(), world.aid()).journey(8_00, 3_00));
  }
}

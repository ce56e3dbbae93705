package io.iotpay.terminal.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.card.FaultyCardChannel;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.transit.DenyList;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.terminal.gate.TapOutcome.Reason;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gate kernel against the real applet in jCardSim, both suites. Fares of {@link Metro}: entry at
 * S01 (zone 1) locks the maximum fare from S01, 5.00 (to zone 4); S01 → S03 (zone 2) costs 3.00.
 */
class GateKernelTest {
  @TempDir Path dir;
  Metro metro;

  @BeforeEach
  void setUp() {
    metro = new Metro(dir);
  }

  @AfterEach
  void tearDown() {
    metro.close();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void tapInThenTapOut_locksMaximumFareAtEntry_thenDeductsRealFare(AlgorithmSuite suite) {
    SimCard card = SimCard.standard(suite, 1);
    TapOutcome in = metro.gate("IN-A").tap(card.channel());
    assertThat(in).isInstanceOf(TapOutcome.Opened.class);
    assertThat(in.commandCount()).isEqualTo(6); // new card: READ RECORD for the PSN instead of GET TRANS PROVE
    assertThat(card.quotaMinor()).isEqualTo(5_000 - 500);
    assertThat(card.lockedMinor()).isEqualTo(500);
    TransitRecord entry = single(in.journaled());
    assertThat(entry.kind()).isEqualTo(TransitKind.ENTRY);
    assertThat(entry.fare().isZero()).isTrue();
    assertThat(entry.quotaAfterMinor()).isEqualTo(4_500);
    assertThat(entry.panSequence()).isEqualTo(SimCard.PAN_SEQUENCE);
    assertThat(entry.suite()).isEqualTo(suite);

    metro.clock.advance(Duration.ofMinutes(12));
    TapOutcome out = metro.gate("OUT-E").tap(card.channel());
    assertThat(out).isInstanceOf(TapOutcome.Opened.class);
    assertThat(out.commandCount()).isEqualTo(6);
    assertThat(card.quotaMinor()).isEqualTo(5_000 - 300);
    assertThat(card.lockedMinor()).isZero();
    // OUT-E did not hold the entry, so it journaled the card's proof of it too (harmless duplicate).
    assertThat(out.journaled()).extracting(TransitRecord::kind).containsExactly(TransitKind.ENTRY, TransitKind.EXIT);
    assertThat(out.journaled().get(0).recovered()).isTrue();
    assertThat(out.journaled().get(0).cardKey()).isEqualTo(entry.cardKey());
    assertThat(out.journaled().get(0).cryptogramInput()).isEqualTo(entry.cryptogramInput());
    TransitRecord exit = out.journaled().get(1);
    assertThat(exit.fare().amountMinor()).isEqualTo(300);
    assertThat(exit.stationId()).isEqualTo("S03");
    assertThat(exit.quotaAfterMinor()).isEqualTo(4_700);
    assertAllTacsValid(card);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void tapAgainAtSameGate_whenItHoldsTheLastTransaction_sendsFiveCommands(AlgorithmSuite suite) {
    SimCard card = SimCard.standard(suite, 2);
    metro.gate("IN-A").tap(card.channel());
    metro.clock.advance(Duration.ofMinutes(5));
    metro.gate("OUT-E").tap(card.channel());
    metro.clock.advance(Duration.ofMinutes(30));
    TapOutcome out = metro.gate("OUT-E").tap(card.channel());
    assertThat(out).isInstanceOf(TapOutcome.Refused.class);
    assertThat(((TapOutcome.Refused) out).reason()).isEqualTo(Reason.NO_ENTRY);
    assertThat(out.commandCount()).isEqualTo(3);
    TapOutcome in = metro.gate("IN-A").tap(card.channel());
    assertThat(in.commandCount()).isEqualTo(6);
    metro.clock.advance(Duration.ofMinutes(5));
    TapOutcome exit = metro.gate("OUT-E").tap(card.channel());
    assertThat(exit.commandCount()).isEqualTo(6);
    assertThat(card.quotaMinor()).isEqualTo(5_000 - 300 - 300);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void entryWithinPassbackWindow_isRefused_atAnyEntryGate_andMovesNoMoney(AlgorithmSuite suite) {
    SimCard card = SimCard.standard(suite, 3);
    metro.gate("IN-A").tap(card.channel());
    metro.clock.advance(Duration.ofMinutes(5));
    for (String gate : List.of("IN-A", "IN-B")) {
      TapOutcome again = metro.gate(gate).tap(card.channel());
      assertThat(again).isInstanceOf(TapOutcome.Refused.class);
      assertThat(((TapOutcome.Refused) again).reason()).isEqualTo(Reason.PASSBACK);
    }
    assertThat(card.quotaMinor()).isEqualTo(4_500);
    assertThat(card.lockedMinor()).isEqualTo(500);
    assertConserved(card);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void exitAfterJourneyTimeLimit_chargesLockedMaximumFare_asIncomplete(AlgorithmSuite suite) {
    SimCard card = SimCard.standard(suite, 4);
    metro.gate("IN-A").tap(card.channel());
    metro.clock.advance(GateConfig.JOURNEY_TIME_LIMIT_DEFAULT.plusMinutes(1));
    TapOutcome out = metro.gate("OUT-E").tap(card.channel());
    assertThat(out).isInstanceOf(TapOutcome.Opened.class);
    TransitRecord last = out.journaled().get(out.journaled().size() - 1);
    assertThat(last.kind()).isEqualTo(TransitKind.EXIT_INCOMPLETE);
    assertThat(last.fare().amountMinor()).isEqualTo(500);
    assertThat(card.quotaMinor()).isEqualTo(4_500);
    assertThat(card.lockedMinor()).isZero();
    assertAllTacsValid(card);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void entryWithOpenJourneyBeyondPassback_closesItAtMaximumFare_thenEnters(AlgorithmSuite suite) {
    SimCard card = SimCard.standard(suite, 5);
    metro.gate("IN-A").tap(card.channel());
    metro.clock.advance(Duration.ofHours(1));
    TapOutcome in = metro.gate("IN-B").tap(card.channel());
    assertThat(in).isInstanceOf(TapOutcome.Opened.class);
    assertThat(in.journaled()).extracting(TransitRecord::kind)
        .containsExactly(TransitKind.ENTRY, TransitKind.EXIT_INCOMPLETE, TransitKind.ENTRY);
    assertThat(in.journaled().get(1).fare().amountMinor()).isEqualTo(500);
    assertThat(in.commandCount()).isEqualTo(11); // two card transactions: 6 + 5
    assertThat(card.quotaMinor()).isEqualTo(5_000 - 500 - 500);
    assertThat(card.lockedMinor()).isEqualTo(500);
    assertConserved(card);
    assertAllTacsValid(card);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void deniedCard_isRefusedBeforeAnyMoneyMoves(AlgorithmSuite suite) {
    SimCard card = SimCard.standard(suite, 6);
    GateKernel gate = metro.gate("IN-A");
    gate.updateDenyList(new DenyList(PartyId.of("ISSUER-1"), 1, new TreeSet<>(List.of(card.pan))));
    TapOutcome in = gate.tap(card.channel());
    assertThat(in).isInstanceOf(TapOutcome.Refused.class);
    assertThat(((TapOutcome.Refused) in).reason()).isEqualTo(Reason.DENIED);
    assertThat(in.journaled()).isEmpty();
    assertThat(card.quotaMinor()).isEqualTo(5_000);
    assertThat(card.lockedMinor()).isZero();
    gate.updateDenyList(new DenyList(PartyId.of("ISSUER-1"), 2, new TreeSet<>()));
    assertThat(gate.tap(card.channel())).isInstanceOf(TapOutcome.Opened.class);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void exitWithoutEntry_isRefused(AlgorithmSuite suite) {
    SimCard card = SimCard.standard(suite, 7);
    TapOutcome out = metro.gate("OUT-C").tap(card.channel());
    assertThat(((TapOutcome.Refused) out).reason()).isEqualTo(Reason.NO_ENTRY);
    assertThat(card.quotaMinor()).isEqualTo(5_000);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void entryWithQuotaBelowMaximumFare_isRefused(AlgorithmSuite suite) {
    SimCard card = new SimCard(suite, SimCard.standard(suite, 8).pan, 300, 800, 8);
    TapOutcome in = metro.gate("IN-A").tap(card.channel());
    assertThat(((TapOutcome.Refused) in).reason()).isEqualTo(Reason.LOW_QUOTA);
    assertThat(card.quotaMinor()).isEqualTo(300);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void journalHoldsTheRecordOnDisk_whenTheGateOpens(AlgorithmSuite suite) {
    SimCard card = SimCard.standard(suite, 9);
    GateKernel gate = metro.gate("IN-A");
    TapOutcome in = gate.tap(card.channel());
    assertThat(in).isInstanceOf(TapOutcome.Opened.class);
    // A second, independent reader of the file sees the record already: it was forced before Opened.
    try (GateJournal reread = GateJournal.open(gate.journal().file())) {
      assertThat(reread.records()).containsExactlyElementsOf(in.journaled());
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void generateAcResponseLost_atEntry_isCompletedAtTheSameGate_withoutSecondCharge(AlgorithmSuite suite) {
    SimCard card = SimCard.standard(suite, 10);
    TapOutcome torn = metro.gate("IN-A").tap(new FaultyCardChannel(card.channel(), 6, FaultyCardChannel.Fault.LOSE_RESPONSE));
    assertThat(torn).isInstanceOf(TapOutcome.Torn.class);
    assertThat(torn.journaled()).isEmpty();
    card.reinsert();
    TapOutcome again = metro.gate("IN-A").tap(card.channel());
    assertThat(again).isInstanceOf(TapOutcome.Opened.class);
    assertThat(((TapOutcome.Opened) again).resumed()).isTrue();
    assertThat(single(again.journaled()).recovered()).isTrue();
    assertThat(card.quotaMinor()).isEqualTo(4_500);
    assertAllTacsValid(card);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void journalWriteFailing_keepsTheGateShut_andTheRestartedGateRecoversTheTransaction(AlgorithmSuite suite) {
    SimCard card = SimCard.standard(suite, 11);
    GateKernel gate = metro.gate("IN-A");
    gate.journal().close(); // the disk goes away after the card committed, before the journal line
    assertThatThrownBy(() -> gate.tap(card.channel())).isInstanceOf(UncheckedIOException.class);
    assertThat(card.quotaMinor()).isEqualTo(4_500); // the card paid
    try (GateJournal reopened = GateJournal.open(gate.journal().file())) {
      assertThat(reopened.records()).isEmpty();
      GateKernel restarted = new GateKernel(gate.config(), metro.fares, reopened, metro.clock);
      TapOutcome again = restarted.tap(card.channel());
      assertThat(again).isInstanceOf(TapOutcome.Opened.class);
      assertThat(((TapOutcome.Opened) again).resumed()).isTrue();
      assertThat(single(again.journaled()).kind()).isEqualTo(TransitKind.ENTRY);
      assertThat(card.tacValid(again.journaled().get(0).atc(), again.journaled().get(0).cryptogramInput(),
          again.journaled().get(0).tac())).isTrue();
    }
    assertThat(card.quotaMinor()).isEqualTo(4_500);
  }

  private void assertAllTacsValid(SimCard card) {
    for (TransitRecord r : metro.all()) {
      assertThat(card.tacValid(r.atc(), r.cryptogramInput(), r.tac())).as("TAC of " + r).isTrue();
    }
  }

  private void assertConserved(SimCard card) {
    long fares = metro.union().values().stream().mapToLong(r -> r.fare().amountMinor()).sum();
    assertThat(card.initialQuotaMinor - card.quotaMinor() - card.lockedMinor()).isEqualTo(fares);
  }

  private static TransitRecord single(List<TransitRecord> records) {
    assertThat(records).hasSize(1);
    return records.get(0);
  }
}

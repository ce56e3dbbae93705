package io.iotpay.terminal.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.terminal.pos.LoopbackIssuer.Mode;
import io.iotpay.terminal.pos.PosConfig.RandomSelection;
import io.iotpay.terminal.pos.PosJournal.Authorisation;
import io.iotpay.terminal.pos.PosJournal.Entry;
import io.iotpay.terminal.pos.PosJournal.Stage;
import io.iotpay.protocol.iso8583.PinBlock;
import io.iotpay.terminal.pos.PosOutcome.Cvm;
import io.iotpay.terminal.pos.PosOutcome.Reason;
import io.iotpay.terminal.pos.PosOutcome.Result;
import io.iotpay.terminal.pos.Tvr.Bit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The POS kernel against the real EMV applet in jCardSim and the loopback issuer, both suites. */
class PosKernelTest {
  @TempDir Path dir;
  Till till;

  @BeforeEach
  void setUp() {
    till = new Till(dir);
  }

  @AfterEach
  void tearDown() {
    till.close();
  }

  private PosConfig defaults() {
    return PosConfig.defaults("T0000001", "M00000000000001", Till.TOKEN_KEY);
  }

  private static boolean tvrHas(Entry e, Bit bit) {
    byte[] tvr = Hex.decode(e.tvr());
    return (tvr[bit.index] & bit.mask) != 0;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void onlineTap_issuerApproves_approvedInSixCommandsAndJournaledTwice(AlgorithmSuite suite) throws Exception {
    PosCard card = till.card(suite);
    PosOutcome outcome = till.charge(card, 12_345);

    assertThat(outcome.reason()).isEqualTo(Reason.APPROVED_ONLINE);
    assertThat(outcome.result()).isEqualTo(Result.APPROVED);
    assertThat(outcome.commandCount()).isEqualTo(6); // PPSE, SELECT, GPO, READ RECORD, GENERATE AC ×2
    assertThat(outcome.cvm()).isEqualTo(Cvm.NO_CVM); // 123.45 is below the 300.00 CVM limit
    assertThat(till.issuer.arqcsValid).isEqualTo(1);
    Entry fin = outcome.entry();
    assertThat(fin.stage()).isEqualTo(Stage.FINAL);
    assertThat(fin.cid1() & 0xC0).isEqualTo(0x80);
    assertThat(fin.cid2() & 0xC0).isEqualTo(0x40);
    assertThat(fin.arc()).isEqualTo("3030");
    assertThat(fin.atc()).isEqualTo(card.atc());
    assertThat(fin.reversal()).isFalse();
    assertThat(fin.maskedPan()).isEqualTo(Till.PAN.masked());
    assertThat(fin.panToken()).hasSize(32);
    assertThat(tvrHas(fin, Bit.EXCEEDS_FLOOR_LIMIT)).isTrue(); // floor limit 0
    assertThat(tvrHas(fin, Bit.ODA_NOT_PERFORMED)).isTrue();
    assertThat(fin.tsi()).isEqualTo(String.format("%02X00", PosKernel.TSI_CARD_RISK_MANAGEMENT
        | PosKernel.TSI_TERMINAL_RISK_MANAGEMENT));

    try (PosJournal empty = PosJournal.open(dir.resolve("copy"))) {
      assertThat(empty.entries()).isEmpty(); // a new journal opens empty
    }
    assertThat(till.journal.entries()).extracting(Entry::stage).containsExactly(Stage.ONLINE_REQUEST, Stage.FINAL);
    assertThat(till.journal.entries().get(0).authorisation()).isEqualTo(Authorisation.PENDING);
    String text = Files.readString(till.journalFile);
    assertThat(text).doesNotContain(Till.PAN.digits()).contains(Till.PAN.masked());
    assertThat(till.journal.reversalsDue()).isEmpty();

    AuthorisationRequest request = till.issuer.lastRequest;
    assertThat(request.pan()).isEqualTo(Till.PAN);
    assertThat(request.panSequence()).isEqualTo(1);
    List<Tlv> field55 = BerTlv.parse(request.field55());
    assertThat(field55).extracting(t -> t.tag().value()).containsExactly(0x9F26, 0x9F27, 0x9F10, 0x9F37, 0x9F36,
        0x95, 0x9A, 0x9C, 0x9F02, 0x5F2A, 0x82, 0x9F1A, 0x9F03, 0x9F33, 0x9F34, 0x9F35, 0x84);
    assertThat(Hex.encode(value(field55, 0x9F02))).isEqualTo("000000012345");
    assertThat(Hex.encode(value(field55, 0x9F26)).toUpperCase()).isEqualTo(fin.ac1());
  }

  private static byte[] value(List<Tlv> objects, int tag) {
    return ((Tlv.Primitive) Tlv.findIn(objects, Tag.of(tag)).orElseThrow()).value();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void unpredictableNumbers_differBetweenTaps(AlgorithmSuite suite) {
    PosCard card = till.card(suite);
    till.charge(card, 100);
    byte[] first = value(BerTlv.parse(till.issuer.lastRequest.field55()), 0x9F37);
    till.charge(card, 100);
    byte[] second = value(BerTlv.parse(till.issuer.lastRequest.field55()), 0x9F37);
    assertThat(first).hasSize(4).isNotEqualTo(second);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void issuerDeclines_cardGivesAac_declinedWithoutReversal(AlgorithmSuite suite) {
    PosCard card = till.card(suite);
    till.issuer.mode(Mode.DECLINE);
    PosOutcome outcome = till.charge(card, 5_000);
    assertThat(outcome.reason()).isEqualTo(Reason.DECLINED_BY_ISSUER);
    assertThat(outcome.entry().cid2() & 0xC0).isZero();
    assertThat(outcome.entry().arc()).isEqualTo("3035");
    assertThat(outcome.entry().reversal()).isFalse();
    assertThat(till.journal.reversalsDue()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void belowFloorLimit_cardApprovesOffline_atFloorLimitGoesOnline(AlgorithmSuite suite) {
    till.reconfigure(defaults().withLimits(5_000, 30_000, RandomSelection.OFF), PinPad.NONE, new SecureRandom());
    PosCard card = till.card(suite);
    PosOutcome low = till.charge(card, 2_000);
    assertThat(low.reason()).isEqualTo(Reason.APPROVED_OFFLINE);
    assertThat(low.commandCount()).isEqualTo(5);
    assertThat(till.issuer.requests).isZero();
    assertThat(tvrHas(low.entry(), Bit.EXCEEDS_FLOOR_LIMIT)).isFalse();
    assertThat(till.journal.entries()).hasSize(1); // no online request line for an offline tap

    PosOutcome at = till.charge(card, 5_000);
    assertThat(at.reason()).isEqualTo(Reason.APPROVED_ONLINE);
    assertThat(tvrHas(at.entry(), Bit.EXCEEDS_FLOOR_LIMIT)).isTrue();
    assertThat(till.issuer.requests).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void randomSelection_drawWithinTarget_sendsOnline_drawAbove_staysOffline(AlgorithmSuite suite) {
    RandomSelection random = new RandomSelection(1_000, 30, 60);
    PosCard card = till.card(suite);
    till.reconfigure(defaults().withLimits(5_000, 30_000, random), PinPad.NONE, Till.fixed(30));
    PosOutcome selected = till.charge(card, 500); // below the threshold: target 30 %, draw 30
    assertThat(selected.reason()).isEqualTo(Reason.APPROVED_ONLINE);
    assertThat(tvrHas(selected.entry(), Bit.SELECTED_RANDOMLY)).isTrue();

    till.reconfigure(defaults().withLimits(5_000, 30_000, random), PinPad.NONE, Till.fixed(31));
    PosOutcome notSelected = till.charge(card, 500);
    assertThat(notSelected.reason()).isEqualTo(Reason.APPROVED_OFFLINE);
    assertThat(tvrHas(notSelected.entry(), Bit.SELECTED_RANDOMLY)).isFalse();
    assertThat(till.issuer.requests).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void atCvmLimit_withPinPad_onlinePinGoesToTheIssuer(AlgorithmSuite suite) {
    PinBlock block = new PinBlock(Hex.decode("0123456789ABCDEF0123456789ABCDEF"), Hex.decode("FFFF9876543210E000000001"));
    till.reconfigure(defaults(), (amount, pan) -> Optional.of(block), new SecureRandom());
    PosCard card = till.card(suite);
    PosOutcome outcome = till.charge(card, 30_000);
    assertThat(outcome.cvm()).isEqualTo(Cvm.ONLINE_PIN);
    assertThat(outcome.reason()).isEqualTo(Reason.APPROVED_ONLINE);
    assertThat(till.issuer.lastRequest.pinBlock()).hasValue(block);
    assertThat(tvrHas(outcome.entry(), Bit.ONLINE_PIN_ENTERED)).isTrue();
    List<Tlv> field55 = BerTlv.parse(till.issuer.lastRequest.field55());
    assertThat(Hex.encode(value(field55, 0x9F34))).isEqualTo("420300"); // online PIN, if supported, unknown
    assertThat(outcome.entry().tsi()).startsWith(String.format("%02X", PosKernel.TSI_CVM_PERFORMED
        | PosKernel.TSI_CARD_RISK_MANAGEMENT | PosKernel.TSI_TERMINAL_RISK_MANAGEMENT));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aboveCvmLimit_withoutPinPad_fallsToSignature_andPinBypassedToo(AlgorithmSuite suite) {
    PosCard card = till.card(suite);
    PosOutcome noPad = till.charge(card, 40_000);
    assertThat(noPad.cvm()).isEqualTo(Cvm.SIGNATURE);
    assertThat(tvrHas(noPad.entry(), Bit.PIN_PAD_NOT_PRESENT)).isTrue();
    assertThat(till.issuer.lastRequest.pinBlock()).isEmpty();

    till.reconfigure(defaults(), (amount, pan) -> Optional.empty(), new SecureRandom());
    PosOutcome bypassed = till.charge(card, 40_000);
    assertThat(bypassed.cvm()).isEqualTo(Cvm.SIGNATURE);
    assertThat(tvrHas(bypassed.entry(), Bit.PIN_NOT_ENTERED)).isTrue();

    till.reconfigure(defaults().withCvms(false, false), PinPad.NONE, new SecureRandom());
    PosOutcome neither = till.charge(card, 40_000);
    assertThat(neither.cvm()).isEqualTo(Cvm.NO_CVM); // the list's last rule: no CVM required, always
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void wrongArpc_cardDeclines_reversalDue_andNextTapGoesOnlineAndApproves(AlgorithmSuite suite) {
    PosCard card = till.card(suite);
    till.issuer.mode(Mode.WRONG_ARPC);
    PosOutcome outcome = till.charge(card, 2_500);
    // The card checks the ARPC in the second GENERATE AC (91 in CDOL2): its AAC is the only sign.
    assertThat(outcome.reason()).isEqualTo(Reason.DECLINED_AFTER_ISSUER_APPROVAL);
    assertThat(outcome.entry().cid2()).isZero();
    assertThat(outcome.entry().reversal()).isTrue();
    assertThat(till.journal.reversalsDue()).extracting(Entry::sequence).containsExactly(outcome.entry().sequence());

    till.issuer.mode(Mode.APPROVE);
    assertThat(till.charge(card, 2_500).reason()).isEqualTo(Reason.APPROVED_ONLINE);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void issuerScripts_putDataBeforeAndBlockAfterFinalAc_applied_nextTapRefused(AlgorithmSuite suite) {
    PosCard card = till.card(suite);
    till.issuer.queue(Till.PAN, LoopbackIssuer.Script.upperConsecutiveLimit(6));
    till.issuer.queue(Till.PAN, LoopbackIssuer.Script.block());
    PosOutcome outcome = till.charge(card, 1_000);
    assertThat(outcome.reason()).isEqualTo(Reason.APPROVED_ONLINE);
    assertThat(outcome.commandCount()).isEqualTo(8); // 6 + the two scripts
    assertThat(outcome.entry().scriptsApplied()).isEqualTo(2);
    assertThat(outcome.entry().scriptsFailed()).isZero();
    assertThat(outcome.entry().tsi()).startsWith(String.format("%02X", PosKernel.TSI_CARD_RISK_MANAGEMENT
        | PosKernel.TSI_TERMINAL_RISK_MANAGEMENT | PosKernel.TSI_SCRIPT_PROCESSING));

    int requests = till.issuer.requests;
    PosOutcome next = till.charge(card, 1_000);
    assertThat(next.reason()).isEqualTo(Reason.NO_APPLICATION_SELECTED);
    assertThat(next.result()).isEqualTo(Result.END_APPLICATION);
    assertThat(till.issuer.requests).isEqualTo(requests);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void scriptWithWrongMac_failsThatScript_transactionStillApproved(AlgorithmSuite suite) {
    PosCard card = till.card(suite);
    // A block script MACed under the right key but for another ATC: the card answers 6988.
    till.issuer.queue(Till.PAN, LoopbackIssuer.Script.block());
    OnlineAuthoriser stale = request -> {
      AuthorisationResponse.Answered a = (AuthorisationResponse.Answered) till.issuer.authorise(request);
      byte[] data = a.issuerData();
      data[data.length - 1] ^= 0x01; // last byte of the last script's MAC
      return new AuthorisationResponse.Answered(a.approved(), a.arc(), data);
    };
    PosKernel kernel = new PosKernel(defaults(), stale, PinPad.NONE, till.journal, till.clock);
    card.reinsert();
    PosOutcome outcome = kernel.charge(card.channel(), Money.ofMinor(1_000, CurrencyUnit.CNY));
    assertThat(outcome.reason()).isEqualTo(Reason.APPROVED_ONLINE);
    assertThat(outcome.entry().scriptsFailed()).isEqualTo(1);
    assertThat(tvrHas(outcome.entry(), Bit.SCRIPT_FAILED_AFTER_FINAL_AC)).isTrue();
    assertThat(till.charge(card, 1_000).reason()).isEqualTo(Reason.APPROVED_ONLINE); // not blocked
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void panOnExceptionFile_declinedByTerminal_issuerNeverAsked(AlgorithmSuite suite) {
    till.reconfigure(defaults().withExceptionFile(Set.of(Till.PAN)), PinPad.NONE, new SecureRandom());
    PosCard card = till.card(suite);
    PosOutcome outcome = till.charge(card, 1_000);
    assertThat(outcome.reason()).isEqualTo(Reason.DECLINED_BY_TERMINAL);
    assertThat(tvrHas(outcome.entry(), Bit.CARD_ON_EXCEPTION_FILE)).isTrue();
    assertThat(outcome.entry().cid1() & 0xC0).isZero();
    assertThat(till.issuer.requests).isZero();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void expiredCard_declinedByTerminal(AlgorithmSuite suite) {
    PosCard card = new PosCard(suite, till.issuer, Till.PAN, PosCard.Profile.STANDARD.withExpiry("261130"));
    PosOutcome outcome = till.charge(card, 1_000);
    assertThat(outcome.reason()).isEqualTo(Reason.DECLINED_BY_TERMINAL);
    assertThat(tvrHas(outcome.entry(), Bit.EXPIRED_APPLICATION)).isTrue();
    assertThat(till.issuer.requests).isZero();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void noAnswer_defaultActionDeclines_whenFloorLimitExceeded_reversalDue(AlgorithmSuite suite) {
    PosCard card = till.card(suite);
    till.issuer.mode(Mode.NO_ANSWER);
    PosOutcome outcome = till.charge(card, 1_000);
    assertThat(outcome.reason()).isEqualTo(Reason.DECLINED_UNABLE_TO_GO_ONLINE);
    assertThat(outcome.entry().arc()).isEqualTo("5A33");
    assertThat(outcome.entry().authorisation()).isEqualTo(Authorisation.NO_ANSWER);
    assertThat(outcome.entry().reversal()).isTrue();
    assertThat(till.journal.reversalsDue()).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void noAnswer_cardApprovesOfflineWithinItsLimits_thenDeclinesBeyondThem(AlgorithmSuite suite) {
    // Below the floor limit, sent online by random selection: the default TAC does not refuse that.
    till.reconfigure(defaults().withLimits(10_000, 30_000, new RandomSelection(10_000, 99, 99)), PinPad.NONE,
        Till.fixed(1));
    PosCard card = till.card(suite);
    till.issuer.mode(Mode.NO_ANSWER);
    PosOutcome first = till.charge(card, 9_000);
    assertThat(first.reason()).isEqualTo(Reason.APPROVED_UNABLE_TO_GO_ONLINE);
    assertThat(first.entry().cid2() & 0xC0).isEqualTo(0x40);
    assertThat(first.entry().reversal()).isTrue(); // the unanswered 0100 is reversed; the TC is cleared
    PosOutcome second = till.charge(card, 9_000);
    assertThat(second.reason()).isEqualTo(Reason.APPROVED_UNABLE_TO_GO_ONLINE);
    PosOutcome third = till.charge(card, 9_000); // 270.00 > the card's 200.00 upper cumulative limit
    assertThat(third.reason()).isEqualTo(Reason.DECLINED_UNABLE_TO_GO_ONLINE);
    assertThat(till.journal.reversalsDue()).hasSize(3);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void journalClosed_tapNeverApproved_issuerNeverAsked(AlgorithmSuite suite) {
    PosCard card = till.card(suite);
    till.journal.close();
    PosOutcome outcome = till.charge(card, 1_000);
    assertThat(outcome.reason()).isEqualTo(Reason.JOURNAL_FAILED);
    assertThat(outcome.approved()).isFalse();
    assertThat(till.issuer.requests).isZero();
    till.journal = PosJournal.open(till.journalFile);
    assertThat(till.journal.entries()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void journalDiesWhileOnline_tapNotApproved_reopenedJournalAsksForTheReversal(AlgorithmSuite suite) {
    PosCard card = till.card(suite);
    OnlineAuthoriser killing = request -> {
      AuthorisationResponse response = till.issuer.authorise(request);
      till.journal.close(); // the terminal's disk goes away while the issuer answers
      return response;
    };
    PosKernel kernel = new PosKernel(defaults(), killing, PinPad.NONE, till.journal, till.clock);
    card.reinsert();
    PosOutcome outcome = kernel.charge(card.channel(), Money.ofMinor(1_000, CurrencyUnit.CNY));
    assertThat(outcome.reason()).isEqualTo(Reason.JOURNAL_FAILED);
    assertThat(outcome.approved()).isFalse();
    till.journal = PosJournal.open(till.journalFile);
    assertThat(till.journal.entries()).extracting(Entry::stage).containsExactly(Stage.ONLINE_REQUEST);
    assertThat(till.journal.reversalsDue()).extracting(Entry::sequence).containsExactly(outcome.entry().sequence());
  }

  @Test
  void amountInAnotherCurrencyOrNotPositive_refusedBeforeAnyCommand() {
    PosCard card = till.card(AlgorithmSuite.INTERNATIONAL);
    assertThatThrownBy(() -> till.kernel.charge(card.channel(), Money.ofMinor(100, CurrencyUnit.EUR)))
        .isInstanceOf(PosException.class);
    assertThatThrownBy(() -> till.kernel.charge(card.channel(), Money.ofMinor(0, CurrencyUnit.CNY)))
        .isInstanceOf(PosException.class);
    assertThat(till.journal.entries()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void journal_survivesReopen_andCutsATornLastLine(AlgorithmSuite suite) throws Exception {
    PosCard card = till.card(suite);
    till.charge(card, 1_000);
    till.journal.close();
    Files.writeString(till.journalFile, "POS1;T0000001;2;FINAL;2026-12", java.nio.file.StandardOpenOption.APPEND);
    till.journal = PosJournal.open(till.journalFile);
    assertThat(till.journal.tornBytesCut()).isPositive();
    assertThat(till.journal.entries()).hasSize(2);
    assertThat(till.journal.nextSequence()).isEqualTo(2);
  }
}

package io.iotpay.acquirer.pos.online;

import static io.iotpay.acquirer.pos.online.OnlineWorld.ACQUIRER_TIMEOUT_MS;
import static io.iotpay.acquirer.pos.online.OnlineWorld.ACQ_REVENUE;
import static io.iotpay.acquirer.pos.online.OnlineWorld.ACQ_SETTLEMENT;
import static io.iotpay.acquirer.pos.online.OnlineWorld.CARD_FUNDS;
import static io.iotpay.acquirer.pos.online.OnlineWorld.TODAY;
import static io.iotpay.acquirer.pos.online.OnlineWorld.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.issuer.authorisation.card.CardAuthorisationService.ClearingOutcome;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.FinancialRequest;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ReversalRequest;
import io.iotpay.protocol.online.Presentment;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The acquirer host end to end: terminal → acquirer → (proxy) → switch → issuer over loopback TCP,
 * real stores, a genuine ARQC, both suites (docs/acquirer-online.md, "Tests").
 */
class AcquirerHostTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void approveDeclineRepeatRefundReversal_dayEnd_payout_onSqlite(AlgorithmSuite suite) throws Exception {
    try (OnlineWorld w = OnlineWorld.onSqlite(suite, dir)) {
      approveDeclineRepeatRefundReversal_dayEnd_payout(w);
      // Every stored message is sealed: no file of the acquirer's store (main, WAL) holds the PAN's digits.
      byte[] digits = OnlineWorld.PAN.digits().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      try (var files = java.nio.file.Files.list(dir)) {
        List<Path> store = files.filter(f -> f.getFileName().toString().startsWith("acquirer-online.db")).toList();
        assertThat(store).isNotEmpty();
        for (Path file : store) {
          assertThat(indexOf(java.nio.file.Files.readAllBytes(file), digits)).as(file.toString()).isEqualTo(-1);
        }
      }
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void approveDeclineRepeatRefundReversal_dayEnd_payout_onPostgres(AlgorithmSuite suite) throws Exception {
    try (OnlineWorld w = OnlineWorld.onPostgres(suite, dir)) {
      approveDeclineRepeatRefundReversal_dayEnd_payout(w);
    }
  }

  private static void approveDeclineRepeatRefundReversal_dayEnd_payout(OnlineWorld w) {
    // Approve: the issuer holds the amount.
    CardTransaction bought = w.purchase(w.nextStan(), 1_000, 1, false);
    CardResponse approved = w.send(new AuthorisationRequest(bought));
    assertThat(approved.responseCode()).isEqualTo(ResponseCode.APPROVED);
    assertThat(approved.approvalCode()).isNotNull();
    assertThat(approved.iccData()).as("the issuer's ARPC comes back in field 55").isNotNull();
    assertThat(w.host.state(bought.terminalId(), bought.stan(), bought.transmittedAt()))
        .contains(TransactionState.APPROVED);
    assertThat(w.card().debitsPendingMinor()).isEqualTo(1_000);

    // A repeat of the same 0100 (terminal, STAN, field 7) gets the same answer and is not forwarded again.
    long forwarded = w.host.stats().forwarded();
    CardResponse repeat = w.send(new AuthorisationRequest(bought));
    assertThat(repeat.responseCode()).isEqualTo(ResponseCode.APPROVED);
    assertThat(repeat.approvalCode()).isEqualTo(approved.approvalCode());
    assertThat(w.host.stats().forwarded()).isEqualTo(forwarded);
    assertThat(w.card().debitsPendingMinor()).isEqualTo(1_000);

    // Decline: one bit of the ARQC flipped.
    CardTransaction forged = w.purchase(w.nextStan(), 500, 2, true);
    CardResponse declined = w.send(new AuthorisationRequest(forged));
    assertThat(declined.responseCode().approved()).isFalse();
    assertThat(w.host.state(forged.terminalId(), forged.stan(), forged.transmittedAt()))
        .contains(TransactionState.DECLINED);

    // The terminal reverses an approval (the card refused the issuer's answer): the hold is released.
    CardTransaction second = w.purchase(w.nextStan(), 700, 3, false);
    assertThat(w.send(new AuthorisationRequest(second)).responseCode()).isEqualTo(ResponseCode.APPROVED);
    assertThat(w.card().debitsPendingMinor()).isEqualTo(1_700);
    CardResponse ack = w.send(terminalReversal(w, second));
    assertThat(ack.mti()).isEqualTo(Mti.REVERSAL_RESPONSE);
    assertThat(ack.responseCode()).isEqualTo(ResponseCode.APPROVED);
    await(() -> w.host.state(second.terminalId(), second.stan(), second.transmittedAt())
        .equals(Optional.of(TransactionState.REVERSED)), "the terminal's reversal is acknowledged");
    assertThat(w.card().debitsPendingMinor()).isEqualTo(1_000);
    // Its repeat changes nothing.
    assertThat(w.send(terminalReversal(w, second)).responseCode()).isEqualTo(ResponseCode.APPROVED);

    // Refund 300 of the first purchase: recorded, never sent online.
    forwarded = w.host.stats().forwarded();
    CardResponse refunded = w.send(new FinancialRequest(
        w.transaction("200000", w.nextStan(), 300, bought.rrn(), null)));
    assertThat(refunded.responseCode()).isEqualTo(ResponseCode.APPROVED);
    assertThat(w.host.stats().forwarded()).isEqualTo(forwarded);
    // More than what is left to refund is refused.
    assertThat(w.send(new FinancialRequest(w.transaction("200000", w.nextStan(), 701, bought.rrn(), null)))
        .responseCode()).isEqualTo(ResponseCode.INVALID_AMOUNT);

    // Day end: the approved purchase (not the declined, not the reversed) and the refund; once.
    List<Presentment> presented = w.host.dayEnd(TODAY);
    assertThat(presented).extracting(Presentment::kind, Presentment::amountMinor)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Presentment.Kind.CAPTURE, 1_000L),
            org.assertj.core.groups.Tuple.tuple(Presentment.Kind.REFUND, 300L));
    assertThat(w.host.dayEnd(TODAY)).isEqualTo(presented);
    assertThat(w.host.state(bought.terminalId(), bought.stan(), bought.transmittedAt()))
        .contains(TransactionState.CAPTURED);
    // A reversal after the capture is presented is refused: a refund is the way back.
    assertThat(w.send(terminalReversal(w, bought)).responseCode()).isEqualTo(ResponseCode.INVALID_TRANSACTION);

    // The presentments clear at the issuer: its hold becomes a posting, the refund credits the card.
    assertThat(w.issuer.capture(presented.get(0).original(), presented.get(0).amountMinor()))
        .isEqualTo(ClearingOutcome.DONE);
    assertThat(w.issuer.refund(presented.get(1).presentmentId(), presented.get(1).original(),
        presented.get(1).amountMinor())).isEqualTo(ClearingOutcome.DONE);
    assertThat(w.card().debitsPendingMinor()).isZero();
    assertThat(w.card().creditsPostedMinor() - w.card().debitsPostedMinor()).isEqualTo(CARD_FUNDS - 1_000 + 300);

    // Payout T+1: gross 1,000 − refund 300 − MDR (1.5 % of 1,000 = 15) = 685 to the merchant, once.
    List<MerchantPayout> payouts = w.host.payMerchants(TODAY);
    assertThat(payouts).singleElement().satisfies(p -> {
      assertThat(p.merchantId()).isEqualTo(w.merchant);
      assertThat(p.capturedMinor()).isEqualTo(1_000);
      assertThat(p.refundedMinor()).isEqualTo(300);
      assertThat(p.mdrMinor()).isEqualTo(15);
      assertThat(p.netMinor()).isEqualTo(685);
    });
    assertThat(w.host.payMerchants(TODAY)).isEqualTo(payouts);
    long merchantAccount = w.host.merchantAccount(w.merchant).orElseThrow();
    assertThat(w.acquirerAccount(merchantAccount).creditsPostedMinor()).isEqualTo(685);
    assertThat(w.acquirerAccount(ACQ_REVENUE).creditsPostedMinor()).isEqualTo(15);
    assertThat(w.acquirerAccount(ACQ_SETTLEMENT).debitsPostedMinor()).isEqualTo(700);
    assertThat(w.host.reversalsPending()).isZero();
    w.assertBooksBalance();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void lost0110_isReversed_lost0410_isResent_holdReleasedOnce(AlgorithmSuite suite) throws Exception {
    try (OnlineWorld w = OnlineWorld.onSqlite(suite, dir)) {
      w.proxy.dropBack("0110", 1);
      w.proxy.dropBack("0410", 1);
      CardTransaction lost = w.purchase(w.nextStan(), 2_000, 1, false);
      long started = System.nanoTime();
      CardResponse answer = w.send(new AuthorisationRequest(lost));
      assertThat(answer.responseCode()).isEqualTo(ResponseCode.ISSUER_UNAVAILABLE);
      assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(ACQUIRER_TIMEOUT_MS);
      assertThat(w.proxy.dropped).contains("0110");
      // The issuer approved and holds it; the acquirer's reversal releases it, although its first 0410 is lost.
      await(() -> w.host.state(lost.terminalId(), lost.stan(), lost.transmittedAt())
          .equals(Optional.of(TransactionState.REVERSED)), "the reversal is acknowledged");
      assertThat(w.proxy.dropped).containsExactly("0110", "0410");
      assertThat(w.host.stats().reversalsSent()).isGreaterThanOrEqualTo(2);
      assertThat(w.host.stats().reversalsAcknowledged()).isEqualTo(1);
      assertThat(w.card().debitsPendingMinor()).isZero();
      assertThat(w.card().debitsPostedMinor()).isZero();
      assertThat(w.host.reversalsPending()).isZero();
      // The terminal's repeat gets the same 91, and nothing is forwarded again.
      assertThat(w.send(new AuthorisationRequest(lost)).responseCode()).isEqualTo(ResponseCode.ISSUER_UNAVAILABLE);
      assertThat(w.host.stats().forwarded()).isEqualTo(1);
      // Nothing to present, nothing to pay.
      assertThat(w.host.dayEnd(TODAY)).isEmpty();
      assertThat(w.host.payMerchants(TODAY)).isEmpty();
      w.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void late0110_afterTheReversalWasQueued_doesNotReviveIt(AlgorithmSuite suite) throws Exception {
    try (OnlineWorld w = OnlineWorld.onSqlite(suite, dir)) {
      w.proxy.holdBack("0110", 1);
      CardTransaction late = w.purchase(w.nextStan(), 900, 1, false);
      assertThat(w.send(new AuthorisationRequest(late)).responseCode()).isEqualTo(ResponseCode.ISSUER_UNAVAILABLE);
      await(() -> w.host.state(late.terminalId(), late.stan(), late.transmittedAt())
          .equals(Optional.of(TransactionState.REVERSED)), "the reversal is acknowledged");
      // Now the issuer's approval arrives at the acquirer, too late.
      w.proxy.releaseHeld();
      assertThat(w.proxy.passedBack).contains("0110");
      assertThat(w.host.state(late.terminalId(), late.stan(), late.transmittedAt())).contains(TransactionState.REVERSED);
      assertThat(w.send(new AuthorisationRequest(late)).responseCode()).isEqualTo(ResponseCode.ISSUER_UNAVAILABLE);
      assertThat(w.host.dayEnd(TODAY)).isEmpty();
      assertThat(w.card().debitsPendingMinor()).isZero();
      assertThat(w.card().debitsPostedMinor()).isZero();
      w.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void manyRequestsInFlight_someAnswersLost_noneHangs_andOnlyApprovalsArePaid(AlgorithmSuite suite)
      throws Exception {
    try (OnlineWorld w = OnlineWorld.onSqlite(suite, dir)) {
      int requests = 24;
      w.proxy.dropBack("0110", 5);
      List<CardTransaction> sent = new java.util.ArrayList<>();
      List<java.util.concurrent.CompletableFuture<io.iotpay.protocol.iso8583.Outcome>> answers =
          new java.util.ArrayList<>();
      for (int i = 1; i <= requests; i++) {
        CardTransaction t = w.purchase(w.nextStan(), 100 + i, i, false);
        sent.add(t);
        answers.add(w.terminal.sendAsync(new AuthorisationRequest(t)));
      }
      long approvedMinor = 0;
      int approved = 0;
      int unanswered = 0;
      for (int i = 0; i < requests; i++) {
        CardResponse r = (CardResponse) ((io.iotpay.protocol.iso8583.Outcome.Answered) answers.get(i).join()).response();
        if (r.responseCode() == ResponseCode.APPROVED) {
          approved++;
          approvedMinor += sent.get(i).amount().amountMinor();
        } else {
          assertThat(r.responseCode()).isEqualTo(ResponseCode.ISSUER_UNAVAILABLE);
          unanswered++;
        }
      }
      assertThat(unanswered).isEqualTo(5);
      assertThat(approved).isEqualTo(requests - 5);
      await(() -> w.host.reversalsPending() == 0, "every reversal is acknowledged");
      for (CardTransaction t : sent) {
        assertThat(w.host.state(t.terminalId(), t.stan(), t.transmittedAt()).orElseThrow())
            .isIn(TransactionState.APPROVED, TransactionState.REVERSED);
      }
      assertThat(w.card().debitsPendingMinor()).isEqualTo(approvedMinor);
      List<Presentment> presented = w.host.dayEnd(TODAY);
      assertThat(presented).hasSize(approved);
      assertThat(presented.stream().mapToLong(Presentment::amountMinor).sum()).isEqualTo(approvedMinor);
      MerchantPayout payout = w.host.payMerchants(TODAY).get(0);
      assertThat(payout.capturedMinor()).isEqualTo(approvedMinor);
      assertThat(payout.mdrMinor()).isEqualTo(AcquirerHost.mdr(approvedMinor, OnlineWorld.MDR_BPS));
      assertThat(w.acquirerAccount(w.host.merchantAccount(w.merchant).orElseThrow()).creditsPostedMinor())
          .isEqualTo(approvedMinor - payout.mdrMinor());
      w.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void restart_withReversalQueued_deliversItAfterTheRestart(AlgorithmSuite suite) throws Exception {
    try (OnlineWorld w = OnlineWorld.onSqlite(suite, dir)) {
      w.proxy.dropBack("0110", 1);
      w.proxy.dropBack("0410", Integer.MAX_VALUE);
      CardTransaction lost = w.purchase(w.nextStan(), 1_500, 1, false);
      assertThat(w.send(new AuthorisationRequest(lost)).responseCode()).isEqualTo(ResponseCode.ISSUER_UNAVAILABLE);
      await(() -> w.proxy.dropped.stream().filter("0410"::equals).count() >= 2, "two 0410s lost");
      assertThat(w.host.reversalsPending()).isEqualTo(1);
      w.closeAcquirer();
      // The switch's answers come through again; the restarted acquirer finds the queue in its store.
      w.proxy.dropBack("0410", 0);
      w.openAcquirer();
      await(() -> w.host.reversalsPending() == 0, "the queued reversal is delivered after the restart");
      assertThat(w.host.state(lost.terminalId(), lost.stan(), lost.transmittedAt()))
          .contains(TransactionState.REVERSED);
      assertThat(w.card().debitsPendingMinor()).isZero();
      assertThat(w.host.dayEnd(TODAY)).isEmpty();
      w.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void blockedOrUnknownTerminal_isRefusedBeforeTheSwitch(AlgorithmSuite suite) throws Exception {
    try (OnlineWorld w = OnlineWorld.onSqlite(suite, dir)) {
      w.registry.service().blockTerminal(new io.iotpay.acquirer.pos.merchant.TerminalId(w.terminalId), "alice",
          "lost device");
      CardTransaction t = w.purchase(w.nextStan(), 100, 1, false);
      assertThat(w.send(new AuthorisationRequest(t)).responseCode())
          .isEqualTo(ResponseCode.NOT_PERMITTED_TO_TERMINAL);
      for (String other : List.of("99999999", "TERM0001")) { // not enrolled; not even a terminal id of ours
        CardTransaction u = new CardTransaction(t.pan(), t.processingCode(), t.amount(), t.transmittedAt(),
            w.nextStan(), t.localTime(), t.expiry(), t.posEntryMode(), t.panSequence(), t.acquirerId(), t.rrn(), other,
            t.merchantId(), null, t.iccData());
        assertThat(w.send(new AuthorisationRequest(u)).responseCode()).isEqualTo(ResponseCode.NOT_PERMITTED_TO_TERMINAL);
      }
      assertThat(w.host.stats().forwarded()).isZero();
      assertThat(w.host.state(t.terminalId(), t.stan(), t.transmittedAt())).isEmpty();
      assertThat(w.card().debitsPendingMinor()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void walletPart0200_blockedTerminalRefusedBeforeTheSwitch_elseRelayed_andACardIssuerNeverDebitsIt(AlgorithmSuite suite)
      throws Exception {
    try (OnlineWorld w = OnlineWorld.onSqlite(suite, dir)) {
      io.iotpay.protocol.iso8583.WalletPartData part = new io.iotpay.protocol.iso8583.WalletPartData(new byte[123]);
      CardResponse relayed = w.send(new FinancialRequest(
          w.transaction("000000", w.nextStan(), 1_000, "WALLET000001", null), part));

      // Relayed to the switch and on to the card range's issuer, which is no wallet issuer: 12, nothing moved.
      assertThat(relayed.mti()).isEqualTo(io.iotpay.protocol.iso8583.Mti.FINANCIAL_RESPONSE);
      assertThat(relayed.responseCode()).isEqualTo(ResponseCode.INVALID_TRANSACTION);
      assertThat(w.host.stats().forwarded()).isEqualTo(1);
      assertThat(w.card().debitsPostedMinor()).isZero();
      assertThat(w.card().debitsPendingMinor()).isZero();

      w.registry.service().blockTerminal(new io.iotpay.acquirer.pos.merchant.TerminalId(w.terminalId), "alice",
          "lost device");
      CardResponse blocked = w.send(new FinancialRequest(
          w.transaction("000000", w.nextStan(), 1_000, "WALLET000002", null), part));
      assertThat(blocked.responseCode()).isEqualTo(ResponseCode.NOT_PERMITTED_TO_TERMINAL);
      assertThat(w.host.stats().forwarded()).isEqualTo(1);
      w.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void posKernelsAuthoriser_isApproved_thenReversesIt(AlgorithmSuite suite) throws Exception {
    try (OnlineWorld w = OnlineWorld.onSqlite(suite, dir)) {
      CardTransaction chip = w.purchase(1, 1_200, 1, false); // only its genuine field 55 is used
      io.iotpay.terminal.pos.Iso8583OnlineAuthoriser authoriser = new io.iotpay.terminal.pos.Iso8583OnlineAuthoriser(
          w.terminal, "1", w.acquirerClock);
      io.iotpay.terminal.pos.AuthorisationResponse answer = authoriser.authorise(
          new io.iotpay.terminal.pos.AuthorisationRequest(chip.iccData().value(), chip.amount(), OnlineWorld.PAN,
              OnlineWorld.PSN, w.terminalId, "SHOP1", 77, null, java.time.YearMonth.of(2029, 12)));
      assertThat(answer).isInstanceOfSatisfying(io.iotpay.terminal.pos.AuthorisationResponse.Answered.class, a -> {
        assertThat(a.approved()).isTrue();
        assertThat(a.issuerData()).as("the ARPC").isNotEmpty();
      });
      assertThat(w.card().debitsPendingMinor()).isEqualTo(1_200);
      // The card declined the issuer's approval: the kernel journals a reversal, the terminal sends it.
      assertThat(authoriser.reverse(77, ResponseCode.DO_NOT_HONOUR))
          .isEqualTo(io.iotpay.terminal.pos.Iso8583OnlineAuthoriser.ReversalResult.ACKNOWLEDGED);
      await(() -> w.host.reversalsPending() == 0 && w.card().debitsPendingMinor() == 0, "the hold is released");
      assertThat(w.host.dayEnd(TODAY)).isEmpty();
      w.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void reversalThatOvertakesIts0100_theLate0100_isNeverForwarded(AlgorithmSuite suite) throws Exception {
    try (OnlineWorld w = OnlineWorld.onSqlite(suite, dir)) {
      CardTransaction late = w.purchase(w.nextStan(), 700, 1, false);
      assertThat(w.send(terminalReversal(w, late)).responseCode()).isEqualTo(ResponseCode.APPROVED);
      assertThat(w.host.state(late.terminalId(), late.stan(), late.transmittedAt())).contains(TransactionState.REVERSED);

      CardResponse answer = w.send(new AuthorisationRequest(late));
      assertThat(answer.responseCode().approved()).isFalse();
      assertThat(w.host.stats().forwarded()).as("the late 0100 stays at the acquirer").isZero();
      assertThat(w.card().debitsPendingMinor()).isZero();
      assertThat(w.host.reversalsPending()).isZero();
      assertThat(w.host.dayEnd(TODAY)).isEmpty();
      w.assertBooksBalance();
    }
  }

  @Test
  void mdr_roundsHalfUp() {
    assertThat(AcquirerHost.mdr(1_000, 150)).isEqualTo(15);
    assertThat(AcquirerHost.mdr(5_000, 1)).isEqualTo(1); // 0.5 → 1
    assertThat(AcquirerHost.mdr(4_999, 1)).isEqualTo(0); // 0.4999 → 0
    assertThat(AcquirerHost.mdr(333, 150)).isEqualTo(5); // 4.995 → 5
    assertThat(AcquirerHost.mdr(123_456, 0)).isZero();
  }

  static ReversalRequest terminalReversal(OnlineWorld w, CardTransaction original) {
    CardTransaction t = w.transaction(original.processingCode(), w.nextStan(), original.amount().amountMinor(),
        original.rrn(), null);
    return new ReversalRequest(Mti.REVERSAL_REQUEST, t, ResponseCode.DO_NOT_HONOUR,
        OriginalData.of(Mti.AUTHORISATION_REQUEST, original));
  }
}

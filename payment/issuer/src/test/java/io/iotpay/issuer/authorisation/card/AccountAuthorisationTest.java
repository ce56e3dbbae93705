package io.iotpay.issuer.authorisation.card;

import static io.iotpay.issuer.authorisation.card.CardHostWorld.OTHER_ACCOUNT;
import static io.iotpay.issuer.authorisation.card.CardHostWorld.SETTLEMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.issuer.authorisation.card.CardAccount.CardState;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.AdviceRequest;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ReversalRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.YearMonth;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The card host's account path over real TCP (the MACed link of {@link CardHostWorld}, both suites):
 * an account token's 0100 holds payer → payee, its 0220 captures (at most the hold, the rest
 * released), its 0400 releases; every repeat is answered the same and moves nothing; the books
 * balance and the audit log verifies at the end.
 */
class AccountAuthorisationTest {
  private static final Pan TOKEN = Pan.withCheckDigit(AccountAuthorisation.TOKEN_RANGE + "00000000101");
  private static final long PAYEE = SETTLEMENT;
  private static final String ACQUIRER = "48029999";

  @TempDir Path dir;

  private static CardTransaction tx(Pan pan, int stan, long amountMinor) {
    MonthDayTime at = new MonthDayTime(MonthDay.of(12, 7), LocalTime.of(10, stan % 60, stan % 60));
    return new CardTransaction(pan, "000000", Money.ofMinor(amountMinor, CurrencyUnit.CNY), at, stan, at,
        YearMonth.of(2099, 12), "010", null, ACQUIRER, String.format("RRN%09d", stan), "IOTNODE1",
        String.format("%015d", PAYEE), null, null);
  }

  private static AdviceRequest completion(int stan, long amountMinor, CardTransaction hold) {
    return AdviceRequest.completion(tx(hold.pan(), stan, amountMinor), null,
        OriginalData.of(Mti.AUTHORISATION_REQUEST, hold));
  }

  private static ReversalRequest release(int stan, CardTransaction hold) {
    return new ReversalRequest(Mti.REVERSAL_REQUEST, tx(hold.pan(), stan, hold.amount().amountMinor()),
        ResponseCode.APPROVED, OriginalData.of(Mti.AUTHORISATION_REQUEST, hold));
  }

  private static CardHostWorld world(AlgorithmSuite suite, Path dir, int dailyCountMax) {
    CardHostWorld w = new CardHostWorld(suite, dir);
    w.service.accounts().register(TOKEN, YearMonth.of(2099, 12), OTHER_ACCOUNT, dailyCountMax, 1_000_000);
    return w;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void hold_thenPartialCapture_movesOnce_andReleasesTheRest(AlgorithmSuite suite) throws Exception {
    try (CardHostWorld w = world(suite, dir, 10)) {
      CardTransaction hold = tx(TOKEN, 1, 3_000);
      CardResponse held = w.send(new AuthorisationRequest(hold));
      assertThat(held.responseCode()).isEqualTo(ResponseCode.APPROVED);
      assertThat(held.approvalCode()).hasSize(6);
      assertThat(held.iccData()).isNull();
      assertThat(w.balance(OTHER_ACCOUNT).debitsPendingMinor()).isEqualTo(3_000);
      assertThat(w.balance(PAYEE).creditsPendingMinor()).isEqualTo(3_000);

      assertThat(w.send(new AuthorisationRequest(hold))).as("a repeated 0100").isEqualTo(held);
      assertThat(w.balance(OTHER_ACCOUNT).debitsPendingMinor()).isEqualTo(3_000);

      CardResponse captured = w.send(completion(2, 2_000, hold));
      assertThat(captured.mti()).isEqualTo(Mti.FINANCIAL_ADVICE_RESPONSE);
      assertThat(captured.responseCode()).isEqualTo(ResponseCode.APPROVED);
      assertThat(w.send(completion(2, 2_000, hold))).as("a repeated 0220").isEqualTo(captured);
      AccountBalance payer = w.balance(OTHER_ACCOUNT);
      assertThat(payer.debitsPostedMinor()).isEqualTo(2_000);
      assertThat(payer.debitsPendingMinor()).isZero();
      assertThat(w.balance(PAYEE).creditsPostedMinor()).isEqualTo(2_000);

      assertThat(w.send(completion(3, 500, hold)).responseCode()).as("a second capture of a closed hold")
          .isEqualTo(ResponseCode.INVALID_TRANSACTION);
      assertThat(w.send(release(4, hold)).responseCode()).as("a release after the capture")
          .isEqualTo(ResponseCode.INVALID_TRANSACTION);
      assertThat(w.balance(OTHER_ACCOUNT).debitsPostedMinor()).isEqualTo(2_000);
      w.assertBooksBalance();
      w.assertAuditVerifies();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void release_voidsTheHoldOnce_andSurvivesARestart(AlgorithmSuite suite) throws Exception {
    try (CardHostWorld w = world(suite, dir, 10)) {
      CardTransaction hold = tx(TOKEN, 11, 1_500);
      assertThat(w.send(new AuthorisationRequest(hold)).responseCode()).isEqualTo(ResponseCode.APPROVED);
      CardResponse released = w.send(release(12, hold));
      assertThat(released.responseCode()).isEqualTo(ResponseCode.APPROVED);
      assertThat(w.balance(OTHER_ACCOUNT).debitsPendingMinor()).isZero();

      w.restart();
      assertThat(w.send(release(12, hold))).as("the 0400 repeated after a restart").isEqualTo(released);
      assertThat(w.send(new AuthorisationRequest(hold)).responseCode()).as("the 0100 repeated")
          .isEqualTo(ResponseCode.APPROVED);
      assertThat(w.send(completion(13, 1_500, hold)).responseCode()).as("a capture of a released hold")
          .isEqualTo(ResponseCode.INVALID_TRANSACTION);
      AccountBalance payer = w.balance(OTHER_ACCOUNT);
      assertThat(payer.debitsPendingMinor()).isZero();
      assertThat(payer.debitsPostedMinor()).isZero();
      w.assertBooksBalance();
      w.assertAuditVerifies();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void refusals_moveNothing(AlgorithmSuite suite) throws Exception {
    try (CardHostWorld w = world(suite, dir, 1)) {
      long fundedMinor = w.balance(OTHER_ACCOUNT).creditsPostedMinor();
      assertThat(w.send(new AuthorisationRequest(tx(TOKEN, 21, fundedMinor + 1))).responseCode())
          .as("more than the balance").isEqualTo(ResponseCode.INSUFFICIENT_FUNDS);
      Pan unknown = Pan.withCheckDigit(AccountAuthorisation.TOKEN_RANGE + "00000000999");
      assertThat(w.send(new AuthorisationRequest(tx(unknown, 22, 100))).responseCode()).as("unknown token")
          .isEqualTo(ResponseCode.INVALID_CARD_NUMBER);
      CardTransaction first = tx(TOKEN, 23, 100);
      assertThat(w.send(new AuthorisationRequest(first)).responseCode()).isEqualTo(ResponseCode.APPROVED);
      assertThat(w.send(new AuthorisationRequest(tx(TOKEN, 24, 100))).responseCode()).as("the day's count")
          .isEqualTo(ResponseCode.EXCEEDS_WITHDRAWAL_LIMIT);
      assertThat(w.send(new AuthorisationRequest(tx(TOKEN, 23, 101))).responseCode()).as("a key reused")
          .isEqualTo(ResponseCode.DUPLICATE_TRANSMISSION);
      assertThat(w.send(completion(25, 101, first)).responseCode()).as("a capture over the hold")
          .isEqualTo(ResponseCode.INVALID_AMOUNT);
      assertThat(w.send(completion(26, 50, tx(unknown, 22, 100))).responseCode()).as("a capture of no hold")
          .isEqualTo(ResponseCode.UNABLE_TO_LOCATE_RECORD);
      w.service.setState(TOKEN, CardState.BLOCKED);
      assertThat(w.send(new AuthorisationRequest(tx(TOKEN, 27, 1))).responseCode()).as("a blocked token")
          .isEqualTo(ResponseCode.RESTRICTED_CARD);
      AccountBalance payer = w.balance(OTHER_ACCOUNT);
      assertThat(payer.debitsPendingMinor()).isEqualTo(100);
      assertThat(payer.debitsPostedMinor()).isZero();
      w.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void expiredHold_isNeitherCapturedNorReleased(AlgorithmSuite suite) throws Exception {
    try (CardHostWorld w = world(suite, dir, 10)) {
      CardTransaction hold = tx(TOKEN, 31, 700);
      assertThat(w.send(new AuthorisationRequest(hold)).responseCode()).isEqualTo(ResponseCode.APPROVED);
      w.clock.advance(Duration.ofMillis(CardHostWorld.HOLD_TIMEOUT_MS + 1));
      w.service.expireDue();
      assertThat(w.send(completion(32, 700, hold)).responseCode()).isEqualTo(ResponseCode.HOLD_EXPIRED);
      assertThat(w.send(release(33, hold)).responseCode()).isEqualTo(ResponseCode.HOLD_EXPIRED);
      AccountBalance payer = w.balance(OTHER_ACCOUNT);
      assertThat(payer.debitsPendingMinor()).isZero();
      assertThat(payer.debitsPostedMinor()).isZero();
      w.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aTokenOutsideTheRange_isRefused(AlgorithmSuite suite) throws Exception {
    try (CardHostWorld w = new CardHostWorld(suite, dir)) {
      assertThatThrownBy(() -> w.service.accounts().register(CardHostWorld.PAN, YearMonth.of(2099, 12), OTHER_ACCOUNT,
          1, 1)).isInstanceOf(IssuerInputException.class);
      assertThat(w.send(new AuthorisationRequest(tx(TOKEN, 41, 100))).responseCode())
          .isEqualTo(ResponseCode.INVALID_CARD_NUMBER);
    }
  }
}

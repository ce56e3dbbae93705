package io.iotpay.issuer.authorisation;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.AccountResult;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.authorisation.AuthorisationCodec;
import io.iotpay.protocol.authorisation.AuthorisationRequest;
import io.iotpay.protocol.authorisation.AuthorisationRequest.Capture;
import io.iotpay.protocol.authorisation.AuthorisationRequest.Hold;
import io.iotpay.protocol.authorisation.AuthorisationRequest.Release;
import io.iotpay.protocol.authorisation.AuthorisationResponse;
import io.iotpay.protocol.authorisation.ResultCode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The issuer's authorisation host on a real ledger in a SQLite file, driven with encoded requests only. */
class AuthorisationHostTest {
  private static final long BOOK = 1;
  private static final long FUNDING = 100;
  private static final long PAYER = 10;
  private static final long SHOP = 200;
  private static final long DOLLAR_SHOP = 300;
  private static final long DAY_MS = 86_400_000;

  @TempDir Path tempDir;
  private ManualBusinessClock clock;
  private Database database;
  private Ledger ledger;
  private AuthorisationHost host;

  @BeforeEach
  void open() throws Exception {
    clock = new ManualBusinessClock(Instant.parse("2026-11-02T08:00:00Z"), BusinessDayRule.UTC_MIDNIGHT);
    database = Database.open("jdbc:sqlite:" + tempDir.resolve("issuer.db"), 4);
    ledger = Ledger.open(database, LedgerConfig.defaults(), clock.asJavaClock(), AuditJournal.none());
    account(FUNDING, CurrencyUnit.CNY, AccountFlags.NONE);
    account(PAYER, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS);
    account(SHOP, CurrencyUnit.CNY, AccountFlags.NONE);
    account(DOLLAR_SHOP, CurrencyUnit.USD, AccountFlags.NONE);
    assertThat(ledger.submit(List.of(Transfer.single(1, FUNDING, PAYER, 10_000))).get(30, TimeUnit.SECONDS))
        .containsExactly(TransferResult.OK);
    host = new AuthorisationHost(ledger, AuthorisationHostConfig.defaults());
  }

  @AfterEach
  void close() {
    ledger.close();
    database.close();
  }

  @Test
  void handleAll_answersEachAsOneByOneWould_withOneLedgerBatch() {
    AuthorisationResponse earlier = send(hold(2_000, 1_000));
    List<byte[]> requests = List.of(
        AuthorisationCodec.encode(hold(2_001, 3_000)),
        AuthorisationCodec.encode(hold(2_002, 9_000)),          // beyond what is left: insufficient funds
        AuthorisationCodec.encode(hold(2_001, 3_000)),          // the same request again in the batch
        AuthorisationCodec.encode(hold(2_000, 1_000)),          // answered before the batch
        new byte[] {1, 2, 3},                                   // not a request
        AuthorisationCodec.encode(new Capture(2_004, 2_000, 1_000)));
    List<AuthorisationResponse> answers = host.handleAll(requests).stream().map(AuthorisationCodec::decodeResponse).toList();

    assertThat(answers.get(0)).isEqualTo(AuthorisationResponse.approved(2_001, 2_001));
    assertThat(answers.get(1).result()).isEqualTo(ResultCode.INSUFFICIENT_FUNDS);
    assertThat(answers.get(2)).isEqualTo(answers.get(0));
    assertThat(answers.get(3)).isEqualTo(earlier);
    assertThat(answers.get(4).result()).isEqualTo(ResultCode.MALFORMED);
    assertThat(answers.get(5)).isEqualTo(AuthorisationResponse.approved(2_004, 2_000));
    assertThat(balance(PAYER).debitsPendingMinor()).isEqualTo(3_000);
    assertThat(balance(PAYER).debitsPostedMinor()).isEqualTo(1_000);
    // The whole batch again: the same answers, nothing moves.
    assertThat(host.handleAll(requests).stream().map(AuthorisationCodec::decodeResponse).toList().subList(0, 4))
        .isEqualTo(answers.subList(0, 4));
    assertThat(balance(PAYER).debitsPendingMinor()).isEqualTo(3_000);
  }

  @Test
  void hold_thenCapture_postsTheHeldMoneyToThePayee() {
    AuthorisationResponse held = send(hold(1_001, 2_500));
    assertThat(held).isEqualTo(AuthorisationResponse.approved(1_001, 1_001));
    assertThat(balance(PAYER).debitsPendingMinor()).isEqualTo(2_500);

    AuthorisationResponse captured = send(new Capture(1_002, 1_001, 2_500));

    assertThat(captured).isEqualTo(AuthorisationResponse.approved(1_002, 1_001));
    assertThat(balance(PAYER).debitsPendingMinor()).isZero();
    assertThat(balance(PAYER).debitsPostedMinor()).isEqualTo(2_500);
    assertThat(balance(SHOP).creditsPostedMinor()).isEqualTo(2_500);
  }

  @Test
  void hold_thenRelease_freesTheMoney() {
    send(hold(1_001, 2_500));

    AuthorisationResponse released = send(new Release(1_003, 1_001));

    assertThat(released).isEqualTo(AuthorisationResponse.approved(1_003, 1_001));
    assertThat(balance(PAYER).debitsPendingMinor()).isZero();
    assertThat(balance(PAYER).debitsPostedMinor()).isZero();
    assertThat(balance(SHOP).creditsPendingMinor()).isZero();
  }

  @Test
  void replayOfEachRequest_getsTheSameAnswer_andMovesNothing() {
    List<AuthorisationRequest> requests = List.of(hold(1_001, 2_500), new Capture(1_002, 1_001, 2_000), hold(1_011, 900),
        new Release(1_013, 1_011), hold(1_021, 99_999));
    for (AuthorisationRequest request : requests) {
      AuthorisationResponse first = send(request);
      Map<Long, AccountBalance> after = ledger.balances();

      assertThat(send(request)).as("replay of " + request).isEqualTo(first);
      assertThat(ledger.balances()).as("balances after the replay of " + request).isEqualTo(after);
    }
    assertThat(balance(PAYER).debitsPostedMinor()).isEqualTo(2_000);
    assertThat(balance(PAYER).debitsPendingMinor()).isZero();
  }

  @Test
  void replay_afterTheAnswerWasForgotten_isRecognisedByTheLedger() {
    host = new AuthorisationHost(ledger, new AuthorisationHostConfig(30_000, 1));
    AuthorisationResponse held = send(hold(1_001, 2_500));
    send(hold(1_031, 100)); // pushes the first answer out of a memory of one

    assertThat(send(hold(1_001, 2_500))).isEqualTo(held);
    assertThat(send(hold(1_001, 2_600)).result()).isEqualTo(ResultCode.ALREADY_DONE_DIFFERENTLY);
    assertThat(balance(PAYER).debitsPendingMinor()).isEqualTo(2_600);
  }

  @Test
  void hold_beyondTheFunds_isInsufficientFunds_andMovesNothing() {
    AuthorisationResponse refused = send(hold(1_001, 10_001));

    assertThat(refused.result()).isEqualTo(ResultCode.INSUFFICIENT_FUNDS);
    assertThat(refused.requestId()).isEqualTo(1_001);
    assertThat(balance(PAYER).debitsPendingMinor()).isZero();
  }

  @Test
  void hold_onAnUnknownAccount_isUnknownAccount() {
    AuthorisationResponse payerUnknown = send(new Hold(1_001, 11, SHOP, cny(100), DAY_MS, "r"));
    AuthorisationResponse payeeUnknown = send(new Hold(1_002, PAYER, 201, cny(100), DAY_MS, "r"));

    assertThat(payerUnknown.result()).isEqualTo(ResultCode.UNKNOWN_ACCOUNT);
    assertThat(payerUnknown.detail()).contains("account 11");
    assertThat(payeeUnknown.result()).isEqualTo(ResultCode.UNKNOWN_ACCOUNT);
    assertThat(payeeUnknown.detail()).contains("account 201");
  }

  @Test
  void hold_inAnotherCurrencyThanTheAccounts_isRefused() {
    AuthorisationResponse wrongCurrency = send(new Hold(1_001, PAYER, SHOP, Money.ofMinor(100, CurrencyUnit.USD), DAY_MS, "r"));
    AuthorisationResponse payeeInDollars = send(new Hold(1_002, PAYER, DOLLAR_SHOP, cny(100), DAY_MS, "r"));

    assertThat(wrongCurrency.result()).isEqualTo(ResultCode.REFUSED);
    assertThat(wrongCurrency.detail()).contains("holds CNY, the hold is in USD");
    assertThat(payeeInDollars.result()).isEqualTo(ResultCode.REFUSED);
    assertThat(balance(PAYER).debitsPendingMinor()).isZero();
  }

  @Test
  void capture_ofAnExpiredHold_isHoldExpired_andTheMoneyIsFree() throws Exception {
    send(new Hold(1_001, PAYER, SHOP, cny(2_500), DAY_MS, "r"));
    clock.advance(Duration.ofDays(1).plusSeconds(1));
    ledger.expireDue().get(30, TimeUnit.SECONDS);

    AuthorisationResponse capture = send(new Capture(1_002, 1_001, 2_500));

    assertThat(capture.result()).isEqualTo(ResultCode.HOLD_EXPIRED);
    assertThat(capture.holdId()).isEqualTo(1_001);
    assertThat(send(new Release(1_003, 1_001)).result()).isEqualTo(ResultCode.HOLD_EXPIRED);
    assertThat(balance(PAYER).debitsPendingMinor()).isZero();
    assertThat(balance(SHOP).creditsPostedMinor()).isZero();
  }

  @Test
  void reusedRequestId_withOtherContent_isAlreadyDoneDifferently_andMovesNothing() {
    send(hold(1_001, 2_500));
    send(hold(1_021, 99_999)); // refused: only the host remembers it
    Map<Long, AccountBalance> before = ledger.balances();

    assertThat(send(hold(1_001, 2_400)).result()).isEqualTo(ResultCode.ALREADY_DONE_DIFFERENTLY);
    assertThat(send(new Hold(1_001, PAYER, SHOP, cny(2_500), 7 * DAY_MS, "other reference")).result())
        .isEqualTo(ResultCode.ALREADY_DONE_DIFFERENTLY);
    assertThat(send(new Release(1_001, 1_021)).result()).isEqualTo(ResultCode.ALREADY_DONE_DIFFERENTLY);
    assertThat(send(hold(1_021, 100)).result()).isEqualTo(ResultCode.ALREADY_DONE_DIFFERENTLY);
    assertThat(ledger.balances()).isEqualTo(before);
    assertThat(send(hold(1_001, 2_500))).isEqualTo(AuthorisationResponse.approved(1_001, 1_001));
  }

  @Test
  void captureOrRelease_ofAClosedOrUnknownHold_isRefusedByName() {
    send(hold(1_001, 2_500));
    send(new Capture(1_002, 1_001, 2_500));

    assertThat(send(new Release(1_003, 1_001)).result()).isEqualTo(ResultCode.HOLD_CLOSED);
    assertThat(send(new Capture(1_004, 4_242, 100)).result()).isEqualTo(ResultCode.UNKNOWN_HOLD);
  }

  @Test
  void badBytes_areAnsweredMalformed_namingTheRequestIdWhenReadable() {
    byte[] valid = AuthorisationCodec.encode(hold(1_001, 2_500));
    byte[] cut = java.util.Arrays.copyOf(valid, valid.length - 2);

    AuthorisationResponse named = AuthorisationCodec.decodeResponse(host.handle(cut));
    AuthorisationResponse unnamed = AuthorisationCodec.decodeResponse(host.handle(new byte[] {(byte) 0xFF}));
    AuthorisationResponse none = AuthorisationCodec.decodeResponse(host.handle(null));

    assertThat(named.result()).isEqualTo(ResultCode.MALFORMED);
    assertThat(named.requestId()).isEqualTo(1_001);
    assertThat(unnamed.result()).isEqualTo(ResultCode.MALFORMED);
    assertThat(unnamed.requestId()).isZero();
    assertThat(none.requestId()).isZero();
    assertThat(balance(PAYER).debitsPendingMinor()).isZero();
  }

  @Test
  void randomAndMutatedBytes_neverThrow_andTheBooksStayBalanced() {
    Random random = new Random(20261102);
    byte[] valid = AuthorisationCodec.encode(hold(1_001, 2_500));
    for (int i = 0; i < 2_000; i++) {
      byte[] bytes = i % 2 == 0 ? new byte[random.nextInt(300)] : valid.clone();
      if (i % 2 == 0) {
        random.nextBytes(bytes);
      } else {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      AuthorisationResponse response = AuthorisationCodec.decodeResponse(host.handle(bytes));
      assertThat(response.result()).isNotEqualTo(ResultCode.ISSUER_UNAVAILABLE);
    }
    long debits = 0;
    long credits = 0;
    for (AccountBalance balance : ledger.balances().values()) {
      debits += balance.debitsPendingMinor() + balance.debitsPostedMinor();
      credits += balance.creditsPendingMinor() + balance.creditsPostedMinor();
    }
    assertThat(debits).isEqualTo(credits);
  }

  @Test
  void closedLedger_isAnsweredIssuerUnavailable_andTheRetryIsDecidedAfresh() {
    ledger.close();

    AuthorisationResponse response = send(hold(1_001, 2_500));

    assertThat(response.result()).isEqualTo(ResultCode.ISSUER_UNAVAILABLE);
    assertThat(response.result().retryable()).isTrue();
    ledger = Ledger.open(database, LedgerConfig.defaults(), clock.asJavaClock(), AuditJournal.none());
    host = new AuthorisationHost(ledger, AuthorisationHostConfig.defaults());
    assertThat(send(hold(1_001, 2_500))).isEqualTo(AuthorisationResponse.approved(1_001, 1_001));
  }

  private AuthorisationResponse send(AuthorisationRequest request) {
    return AuthorisationCodec.decodeResponse(host.handle(AuthorisationCodec.encode(request)));
  }

  private static Hold hold(long requestId, long amountMinor) {
    return new Hold(requestId, PAYER, SHOP, cny(amountMinor), 7 * DAY_MS, "washer-1:" + requestId);
  }

  private static Money cny(long minor) {
    return Money.ofMinor(minor, CurrencyUnit.CNY);
  }

  private AccountBalance balance(long accountId) {
    return ledger.balance(accountId).orElseThrow();
  }

  private void account(long id, CurrencyUnit currency, AccountFlags flags) throws Exception {
    assertThat(ledger.createAccounts(List.of(new Account(id, BOOK, currency, flags))).get(30, TimeUnit.SECONDS))
        .containsExactly(AccountResult.OK);
  }
}

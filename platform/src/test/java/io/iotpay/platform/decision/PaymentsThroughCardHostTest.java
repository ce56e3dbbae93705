package io.iotpay.platform.decision;

import static io.iotpay.platform.decision.PlatformFixture.cny;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.identity.DeviceId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Payment decisions reaching the issuer's card authorisation host as ISO 8583 (both suites):
 * PaymentDecisionService → Iso8583Authoriser → MACed loopback TCP → Iso8583Server →
 * CardAuthorisationService's account path → ledger. Hold = 0100, capture = 0220, release = 0400.
 */
class PaymentsThroughCardHostTest {
  private static final long PAYER = 31;
  private static final long KIOSK = 310;
  private static final String OWNER = "bo";

  @TempDir Path tempDir;

  private record World(PlatformFixture platform, DeviceId kiosk) implements AutoCloseable {
    PaymentIntent intent(long counter, long amountMinor) {
      return new PaymentIntent(new IdempotencyKey(kiosk, counter), "kiosk", cny(amountMinor), "vend", "", false, false);
    }

    @Override
    public void close() {
      platform.close();
    }
  }

  private World world(AlgorithmSuite suite, long fundsMinor) throws Exception {
    PlatformFixture platform = new PlatformFixture(suite, tempDir, PlatformFixture.Route.CARD_HOST);
    platform.userAccount(PAYER, fundsMinor);
    platform.merchant("kiosk", "5814", KIOSK, null);
    DeviceId kiosk = platform.onlineDevice("kiosk-7");
    platform.mandates.bind(OWNER, kiosk, PAYER, PlatformFixture.terms(4_000, 10_000, 50_000, 4_000, Set.of("kiosk"), Set.of()));
    return new World(platform, kiosk);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void approval_holdsAtTheCardHost_thenCaptureMovesTheMoney(AlgorithmSuite suite) throws Exception {
    try (World w = world(suite, 20_000)) {
      PaymentDecision decision = w.platform.service.decide(w.intent(1, 1_500));

      assertThat(decision.outcome()).isEqualTo(DecisionOutcome.APPROVED);
      assertThat(decision.holdTransferId()).isEqualTo(TransferIds.hold(decision.key()));
      assertThat(w.platform.balance(PAYER).debitsPendingMinor()).isEqualTo(1_500);
      assertThat(w.platform.balance(KIOSK).creditsPendingMinor()).isEqualTo(1_500);
      assertThat(w.platform.service.capture(decision.key()).state()).isEqualTo(PaymentState.CAPTURED);
      assertThat(w.platform.service.capture(decision.key()).state()).isEqualTo(PaymentState.CAPTURED);
      assertThat(w.platform.balance(PAYER).debitsPostedMinor()).isEqualTo(1_500);
      assertThat(w.platform.balance(PAYER).debitsPendingMinor()).isZero();
      assertThat(w.platform.balance(KIOSK).creditsPostedMinor()).isEqualTo(1_500);
      w.platform.assertBooksBalance();
      w.platform.assertProvable(decision.key(), OWNER);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void approval_thenVoid_releasesTheHoldAtTheCardHost(AlgorithmSuite suite) throws Exception {
    try (World w = world(suite, 20_000)) {
      PaymentDecision decision = w.platform.service.decide(w.intent(2, 1_500));

      assertThat(w.platform.service.voidPayment(decision.key()).state()).isEqualTo(PaymentState.VOIDED);
      assertThat(w.platform.service.voidPayment(decision.key()).state()).isEqualTo(PaymentState.VOIDED);
      assertThat(w.platform.balance(PAYER).debitsPendingMinor()).isZero();
      assertThat(w.platform.balance(PAYER).debitsPostedMinor()).isZero();
      assertThat(w.platform.balance(KIOSK).creditsPostedMinor()).isZero();
      w.platform.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void insufficientFunds_declines_andMovesNothing(AlgorithmSuite suite) throws Exception {
    try (World w = world(suite, 1_000)) {
      PaymentDecision decision = w.platform.service.decide(w.intent(3, 1_500));

      assertThat(decision.outcome()).isEqualTo(DecisionOutcome.DECLINED);
      assertThat(decision.hasReason("INSUFFICIENT_FUNDS")).isTrue();
      assertThat(decision.holdTransferId()).isZero();
      assertThat(w.platform.balance(PAYER).debitsPendingMinor()).isZero();
      w.platform.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void anAccountWithNoTokenAtTheIssuer_isUnknown(AlgorithmSuite suite) throws Exception {
    try (World w = world(suite, 20_000)) {
      // A token the issuer never registered: the host answers 14.
      PaymentDecision decision = w.platform.service.decide(w.intent(4, 100));
      assertThat(decision.outcome()).isEqualTo(DecisionOutcome.APPROVED);
      DeviceId stranger = w.platform.onlineDevice("kiosk-8");
      w.platform.mandates.bind(OWNER, stranger, 99, PlatformFixture.terms(4_000, 10_000, 50_000, 4_000, Set.of("kiosk"), Set.of()));
      PaymentDecision unknown = w.platform.service.decide(
          new PaymentIntent(new IdempotencyKey(stranger, 1), "kiosk", cny(100), "vend", "", false, false));
      assertThat(unknown.outcome()).isEqualTo(DecisionOutcome.DECLINED);
      assertThat(unknown.reasons().toString()).contains("UNKNOWN_ACCOUNT");
      w.platform.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void holdAnswerLostOnce_theRetrySendsTheSameKeys_andGetsExactlyOneHold(AlgorithmSuite suite) throws Exception {
    try (World w = world(suite, 20_000)) {
      PaymentIntent intent = w.intent(6, 1_500);
      w.platform.cardHostAnswersToLose.set(1);

      assertThatThrownBy(() -> w.platform.service.decide(intent)).isInstanceOf(DecisionStoreException.class)
          .hasCauseInstanceOf(AuthoriserException.class);
      assertThat(w.platform.service.decision(intent.key())).isEmpty();
      assertThat(w.platform.balance(PAYER).debitsPendingMinor()).as("the host applied the 0100").isEqualTo(1_500);

      PaymentDecision decision = w.platform.service.decide(intent);

      assertThat(decision.outcome()).isEqualTo(DecisionOutcome.APPROVED);
      assertThat(w.platform.balance(PAYER).debitsPendingMinor()).as("exactly one hold").isEqualTo(1_500);
      w.platform.cardHostAnswersToLose.set(1);
      assertThatThrownBy(() -> w.platform.service.capture(decision.key())).isInstanceOf(DecisionStoreException.class);
      assertThat(w.platform.service.capture(decision.key()).state()).isEqualTo(PaymentState.CAPTURED);
      assertThat(w.platform.balance(PAYER).debitsPostedMinor()).as("captured once").isEqualTo(1_500);
      assertThat(w.platform.balance(KIOSK).creditsPostedMinor()).isEqualTo(1_500);
      w.platform.assertBooksBalance();
      w.platform.assertProvable(intent.key(), OWNER);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void holdExpiredAtTheCardHost_captureReportsExpired(AlgorithmSuite suite) throws Exception {
    try (World w = world(suite, 20_000)) {
      PaymentDecision decision = w.platform.service.decide(w.intent(7, 1_500));
      w.platform.clock.advance(Duration.ofMillis(DecisionConfig.defaults().holdTimeoutMs()).plusMinutes(1));
      w.platform.ledger.expireDue().get(30, TimeUnit.SECONDS);

      assertThat(w.platform.service.capture(decision.key()).state()).isEqualTo(PaymentState.EXPIRED);
      assertThat(w.platform.balance(PAYER).debitsPendingMinor()).isZero();
      assertThat(w.platform.balance(PAYER).debitsPostedMinor()).isZero();
      w.platform.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void twoHoldsWhoseRequestIdsShareAStan_inOneBatch_areBothHeldOnce(AlgorithmSuite suite) throws Exception {
    long[] ids = twoRequestIdsWithOneStan();
    try (World w = world(suite, 20_000)) {
      List<Authoriser.HoldRequest> holds = List.of(
          new Authoriser.HoldRequest(ids[0], PAYER, KIOSK, cny(700), 60_000, "a"),
          new Authoriser.HoldRequest(ids[1], PAYER, KIOSK, cny(900), 60_000, "b"));

      List<AuthoriserResult> results = w.platform.cardHostAuthoriser.holdAll(holds);

      assertThat(results).extracting(AuthoriserResult::status)
          .containsExactly(AuthoriserResult.Status.APPROVED, AuthoriserResult.Status.APPROVED);
      assertThat(w.platform.balance(PAYER).debitsPendingMinor()).isEqualTo(1_600);
      w.platform.assertBooksBalance();
    }
  }

  /** The first two request ids (from 1 up) with the same field 11: a birthday search, ~1,250 ids. */
  private static long[] twoRequestIdsWithOneStan() {
    Map<Integer, Long> byStan = new HashMap<>();
    for (long id = 1; ; id++) {
      Long earlier = byStan.putIfAbsent(Iso8583Authoriser.stanOf(id), id);
      if (earlier != null) {
        return new long[] {earlier, id};
      }
    }
  }

  @Test
  void sameRequestId_sameStanAndField7() {
    assertThat(Iso8583Authoriser.stanOf(123_456_789L)).isEqualTo(Iso8583Authoriser.stanOf(123_456_789L)).isBetween(1, 999_999);
    assertThat(Iso8583Authoriser.transmittedAtOf(42L)).isEqualTo(Iso8583Authoriser.transmittedAtOf(42L));
    assertThat(Iso8583Authoriser.stanOf(1L)).isNotEqualTo(Iso8583Authoriser.stanOf(2L));
  }
}

package io.iotpay.platform.decision;

import static io.iotpay.platform.decision.PlatformFixture.cny;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Payment decisions reaching the issuer as authorisation messages: PaymentDecisionService →
 * ProtocolAuthoriser → (lossy) link → the issuer's real AuthorisationHost → ledger, with the audit log
 * signing under both suites, on SQLite and (when {@code IOTPAY_TEST_POSTGRES_URL} is set) PostgreSQL.
 */
class PaymentsThroughIssuerTest {
  private static final long PAYER = 31;
  private static final long KIOSK = 310;
  private static final String OWNER = "bo";

  @TempDir Path tempDir;

  static Stream<Arguments> suitesAndStores() {
    return Stream.of(AlgorithmSuite.values())
        .flatMap(suite -> TestDatabases.dialects().stream().map(dialect -> Arguments.of(suite, dialect)));
  }

  /** A vending kiosk bound by bo: 40.00 a payment, 100.00 a day, no confirmation below 40.00; {@code fundsMinor} in the account. */
  private record World(PlatformFixture platform, DeviceId kiosk) implements AutoCloseable {
    PaymentIntent intent(long counter, long amountMinor) {
      return new PaymentIntent(new IdempotencyKey(kiosk, counter), "kiosk", cny(amountMinor), "vend", "", false, false);
    }

    @Override
    public void close() {
      platform.close();
    }
  }

  private World world(AlgorithmSuite suite, Database.Dialect dialect, long fundsMinor) throws Exception {
    PlatformFixture platform = switch (dialect) {
      case SQLITE -> new PlatformFixture(suite, tempDir);
      case POSTGRESQL -> new PlatformFixture(suite, TestDatabases.open(dialect, tempDir));
    };
    return populated(platform, fundsMinor);
  }

  private static World populated(PlatformFixture platform, long fundsMinor) throws Exception {
    platform.userAccount(PAYER, fundsMinor);
    platform.merchant("kiosk", "5814", KIOSK, null);
    DeviceId kiosk = platform.onlineDevice("kiosk-7");
    platform.mandates.bind(OWNER, kiosk, PAYER, PlatformFixture.terms(4_000, 10_000, 50_000, 4_000, Set.of("kiosk"), Set.of()));
    return new World(platform, kiosk);
  }

  @ParameterizedTest
  @MethodSource("suitesAndStores")
  void approval_holdsAtTheIssuer_thenCaptureMovesTheMoney(AlgorithmSuite suite, Database.Dialect dialect) throws Exception {
    try (World w = world(suite, dialect, 20_000)) {
      PaymentDecision decision = w.platform.service.decide(w.intent(1, 1_500));

      assertThat(decision.outcome()).isEqualTo(DecisionOutcome.APPROVED);
      assertThat(decision.holdTransferId()).isEqualTo(TransferIds.hold(decision.key()));
      assertThat(w.platform.balance(PAYER).debitsPendingMinor()).isEqualTo(1_500);
      assertThat(w.platform.service.capture(decision.key()).state()).isEqualTo(PaymentState.CAPTURED);
      assertThat(w.platform.balance(PAYER).debitsPostedMinor()).isEqualTo(1_500);
      assertThat(w.platform.balance(KIOSK).creditsPostedMinor()).isEqualTo(1_500);
      assertThat(w.platform.balance(PAYER).debitsPendingMinor()).isZero();
      w.platform.assertBooksBalance();
      w.platform.assertProvable(decision.key(), OWNER);
    }
  }

  @ParameterizedTest
  @MethodSource("suitesAndStores")
  void approval_thenVoid_releasesTheHoldAtTheIssuer(AlgorithmSuite suite, Database.Dialect dialect) throws Exception {
    try (World w = world(suite, dialect, 20_000)) {
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
  @MethodSource("suitesAndStores")
  void issuerRefusingForFunds_declines_andMovesNothing(AlgorithmSuite suite, Database.Dialect dialect) throws Exception {
    try (World w = world(suite, dialect, 1_000)) {
      PaymentDecision decision = w.platform.service.decide(w.intent(3, 1_500));

      assertThat(decision.outcome()).isEqualTo(DecisionOutcome.DECLINED);
      assertThat(decision.hasReason("INSUFFICIENT_FUNDS")).isTrue();
      assertThat(decision.holdTransferId()).isZero();
      assertThat(w.platform.service.payment(decision.key())).isEmpty();
      assertThat(w.platform.balance(PAYER).debitsPendingMinor()).isZero();
      w.platform.assertBooksBalance();
      w.platform.assertProvable(decision.key(), OWNER);
    }
  }

  @ParameterizedTest
  @MethodSource("suitesAndStores")
  void mandateDecline_neverReachesTheIssuer(AlgorithmSuite suite, Database.Dialect dialect) throws Exception {
    try (World w = world(suite, dialect, 20_000)) {
      PaymentDecision decision = w.platform.service.decide(w.intent(4, 4_001)); // above the 40.00 per-payment limit

      assertThat(decision.outcome()).isEqualTo(DecisionOutcome.DECLINED);
      assertThat(w.platform.link.exchanges()).isZero();
      assertThat(w.platform.balance(PAYER).debitsPendingMinor()).isZero();
      w.platform.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void holdAnswerLostOnce_theRetryWithTheSameKeyGetsExactlyOneHold(AlgorithmSuite suite) throws Exception {
    try (World w = world(suite, Database.Dialect.SQLITE, 20_000)) {
      PaymentIntent intent = w.intent(5, 1_500);
      long leaves = w.platform.auditLog.size();
      w.platform.link.loseNextAnswers(1);

      assertThatThrownBy(() -> w.platform.service.decide(intent)).isInstanceOf(DecisionStoreException.class)
          .hasRootCauseInstanceOf(java.io.IOException.class);
      assertThat(w.platform.service.decision(intent.key())).isEmpty();
      assertThat(w.platform.balance(PAYER).debitsPendingMinor()).as("the issuer applied the lost request").isEqualTo(1_500);

      PaymentDecision decision = w.platform.service.decide(intent);

      assertThat(decision.outcome()).isEqualTo(DecisionOutcome.APPROVED);
      assertThat(w.platform.link.exchanges()).isEqualTo(2);
      assertThat(w.platform.balance(PAYER).debitsPendingMinor()).as("exactly one hold").isEqualTo(1_500);
      assertThat(w.platform.auditLog.size()).as("one decision leaf and one hold leaf").isEqualTo(leaves + 2);
      w.platform.assertBooksBalance();
      w.platform.assertProvable(intent.key(), OWNER);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void captureAnswerLostOnce_theRetryCapturesOnce(AlgorithmSuite suite) throws Exception {
    try (World w = world(suite, Database.Dialect.SQLITE, 20_000)) {
      PaymentDecision decision = w.platform.service.decide(w.intent(6, 1_500));
      w.platform.link.loseNextAnswers(1);

      assertThatThrownBy(() -> w.platform.service.capture(decision.key())).isInstanceOf(DecisionStoreException.class);
      assertThat(w.platform.service.payment(decision.key()).orElseThrow().state()).isEqualTo(PaymentState.HELD);

      assertThat(w.platform.service.capture(decision.key()).state()).isEqualTo(PaymentState.CAPTURED);
      assertThat(w.platform.balance(PAYER).debitsPostedMinor()).isEqualTo(1_500);
      assertThat(w.platform.balance(KIOSK).creditsPostedMinor()).isEqualTo(1_500);
      w.platform.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void holdExpiredAtTheIssuer_captureReportsExpired(AlgorithmSuite suite) throws Exception {
    try (World w = world(suite, Database.Dialect.SQLITE, 20_000)) {
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
  void serviceGivenALedger_stillHoldsCapturesAndDeclines(AlgorithmSuite suite) throws Exception {
    try (World w = populated(new PlatformFixture(suite, tempDir, PlatformFixture.Route.LEDGER), 2_000)) {
      PaymentDecision approved = w.platform.service.decide(w.intent(8, 1_500));
      PaymentDecision declined = w.platform.service.decide(w.intent(9, 1_500));

      assertThat(approved.outcome()).isEqualTo(DecisionOutcome.APPROVED);
      assertThat(declined.hasReason("INSUFFICIENT_FUNDS")).isTrue();
      assertThat(w.platform.service.capture(approved.key()).state()).isEqualTo(PaymentState.CAPTURED);
      assertThat(w.platform.link.exchanges()).isZero();
      assertThat(w.platform.balance(KIOSK).creditsPostedMinor()).isEqualTo(1_500);
      w.platform.assertBooksBalance();
    }
  }
}

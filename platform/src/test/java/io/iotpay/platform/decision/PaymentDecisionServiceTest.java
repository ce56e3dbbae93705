package io.iotpay.platform.decision;

import static io.iotpay.platform.decision.PlatformFixture.cny;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.mandate.Mandate;
import io.iotpay.platform.state.DeviceObservation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The decision service on the real ledger and audit log, under both suites (the audit log signs). */
class PaymentDecisionServiceTest {
  static final long USER_ACCOUNT = 10;
  static final long SHOP_ACCOUNT = 200;
  static final long OTHER_ACCOUNT = 201;
  static final String OWNER = "alice";

  @TempDir Path tempDir;

  /** A washer bound by alice: 50.00 per payment, 80.00 per day, 200.00 per month, confirm above 30.00; 1,000.00 funds. */
  private record Setup(PlatformFixture platform, DeviceId device, Mandate mandate) implements AutoCloseable {
    @Override
    public void close() {
      platform.close();
    }
  }

  private Setup setup(AlgorithmSuite suite, long fundsMinor) throws Exception {
    PlatformFixture platform = new PlatformFixture(suite, tempDir);
    platform.userAccount(USER_ACCOUNT, fundsMinor);
    platform.merchant("shop", "5399", SHOP_ACCOUNT, null);
    platform.merchant("casino", "7995", OTHER_ACCOUNT, null);
    DeviceId device = platform.onlineDevice("washer-1");
    Mandate mandate = platform.mandates.bind(OWNER, device, USER_ACCOUNT,
        PlatformFixture.terms(5_000, 8_000, 20_000, 3_000, Set.of("shop"), Set.of()));
    return new Setup(platform, device, mandate);
  }

  private static PaymentIntent intent(DeviceId device, long counter, String merchant, long amountMinor) {
    return new PaymentIntent(new IdempotencyKey(device, counter), merchant, cny(amountMinor), "test-rule", "", false, false);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void approvedPayment_holdsThenCaptures_andBooksBalance(AlgorithmSuite suite) throws Exception {
    try (Setup s = setup(suite, 100_000)) {
      PaymentDecision decision = s.platform.service.decide(intent(s.device, 1, "shop", 2_000));

      assertThat(decision.outcome()).isEqualTo(DecisionOutcome.APPROVED);
      assertThat(decision.reasons()).isEmpty();
      assertThat(decision.holdTransferId()).isPositive();
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isEqualTo(2_000);
      s.platform.assertBooksBalance();

      Payment captured = s.platform.service.capture(decision.key());
      assertThat(captured.state()).isEqualTo(PaymentState.CAPTURED);
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isZero();
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPostedMinor()).isEqualTo(2_000);
      assertThat(s.platform.balance(SHOP_ACCOUNT).creditsPostedMinor()).isEqualTo(2_000);
      assertThat(s.platform.service.capture(decision.key())).isEqualTo(captured);
      s.platform.assertBooksBalance();
      s.platform.assertProvable(decision.key(), OWNER);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void duplicateIntent_getsTheSameDecision_andNeverASecondHold(AlgorithmSuite suite) throws Exception {
    try (Setup s = setup(suite, 100_000)) {
      PaymentIntent intent = intent(s.device, 7, "shop", 2_000);
      PaymentDecision first = s.platform.service.decide(intent);
      long leaves = s.platform.auditLog.size();

      for (int i = 0; i < 4; i++) {
        assertThat(s.platform.service.decide(intent)).isEqualTo(first);
      }

      assertThat(s.platform.auditLog.size()).isEqualTo(leaves);
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isEqualTo(2_000);
      assertThat(s.platform.mandates.usedOnMinor(s.mandate.id(), s.platform.clock.businessDate())).isEqualTo(2_000);
      assertThat(s.platform.service.stats()).isEqualTo(new DecisionStats(1, 0, 0, 4));
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void duplicatesRacingFromManyThreads_getOneDecisionAndOneHold(AlgorithmSuite suite) throws Exception {
    try (Setup s = setup(suite, 100_000)) {
      PaymentIntent intent = intent(s.device, 11, "shop", 2_500);
      int threads = 8;
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
      try {
        java.util.List<java.util.concurrent.Future<PaymentDecision>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < threads; i++) {
          answers.add(pool.submit(() -> {
            start.await();
            return s.platform.service.decide(intent);
          }));
        }
        start.countDown();
        PaymentDecision first = answers.get(0).get(30, TimeUnit.SECONDS);
        for (java.util.concurrent.Future<PaymentDecision> answer : answers) {
          assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(first);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isEqualTo(2_500);
      assertThat(s.platform.service.stats().duplicatesSuppressed()).isEqualTo(threads - 1);
      assertThat(s.platform.service.versions(intent.key())).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void deviceRequest_isDecidedLikeARulesIntent(AlgorithmSuite suite) throws Exception {
    try (Setup s = setup(suite, 100_000)) {
      PaymentIntent request = new PaymentIntent(new IdempotencyKey(s.device, 12), "shop", cny(1_200), PaymentIntent.DEVICE_REQUEST,
          "order-778", false, false);
      PaymentDecision decision = s.platform.service.decide(request);
      assertThat(decision.outcome()).isEqualTo(DecisionOutcome.APPROVED);
      assertThat(decision.intent().origin()).isEqualTo("device-request");
      s.platform.assertProvable(decision.key(), OWNER);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void recordingFailsAfterTheHold_theRetryCompletesWithTheSameHold(AlgorithmSuite suite) throws Exception {
    try (Setup s = setup(suite, 100_000)) {
      PaymentIntent intent = intent(s.device, 21, "shop", 2_000);
      blockNextDecisionRow(s.platform);
      assertThatThrownBy(() -> s.platform.service.decide(intent)).isInstanceOf(DecisionStoreException.class);
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isEqualTo(2_000); // the hold went through
      unblock(s.platform);

      PaymentDecision retried = s.platform.service.decide(intent);
      assertThat(retried.outcome()).isEqualTo(DecisionOutcome.APPROVED);
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isEqualTo(2_000);
      s.platform.assertBooksBalance();
      s.platform.assertProvable(retried.key(), OWNER);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void recordingFailsAfterTheHold_andTheRetryDeclines_theHoldIsReleased(AlgorithmSuite suite) throws Exception {
    try (Setup s = setup(suite, 100_000)) {
      PaymentIntent intent = intent(s.device, 22, "shop", 2_000);
      blockNextDecisionRow(s.platform);
      assertThatThrownBy(() -> s.platform.service.decide(intent)).isInstanceOf(DecisionStoreException.class);
      unblock(s.platform);
      s.platform.mandates.suspend(s.mandate.id());

      PaymentDecision retried = s.platform.service.decide(intent);
      assertThat(retried.outcome()).isEqualTo(DecisionOutcome.DECLINED);
      assertThat(retried.hasReason("MANDATE_SUSPENDED")).isTrue();
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isZero();
      s.platform.assertBooksBalance();
    }
  }

  /** Takes the audit index the next decision leaf will get (after its hold's leaf), so its row insert fails. */
  private static void blockNextDecisionRow(PlatformFixture platform) throws Exception {
    try (java.sql.Connection connection = platform.database.connection();
        java.sql.PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO platform_decision (device_id, counter, version, audit_index, entry) VALUES ('blocker', 0, 0, ?, ?)")) {
      insert.setLong(1, platform.auditLog.size() + 1);
      insert.setBytes(2, new byte[] {0});
      insert.executeUpdate();
    }
  }

  private static void unblock(PlatformFixture platform) throws Exception {
    try (java.sql.Connection connection = platform.database.connection();
        java.sql.PreparedStatement delete = connection.prepareStatement("DELETE FROM platform_decision WHERE device_id = 'blocker'")) {
      assertThat(delete.executeUpdate()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void keyReusedWithOtherContent_isRefused(AlgorithmSuite suite) throws Exception {
    try (Setup s = setup(suite, 100_000)) {
      s.platform.service.decide(intent(s.device, 3, "shop", 2_000));
      assertThatThrownBy(() -> s.platform.service.decide(intent(s.device, 3, "shop", 2_500)))
          .isInstanceOf(DecisionInputException.class)
          .hasMessageContaining("washer-1:3")
          .hasMessageContaining("different payment intent");
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isEqualTo(2_000);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aboveConfirmationThreshold_asksUser_thenTheApprovalHolds(AlgorithmSuite suite) throws Exception {
    try (Setup s = setup(suite, 100_000)) {
      PaymentDecision asked = s.platform.service.decide(intent(s.device, 1, "shop", 3_001));
      assertThat(asked.outcome()).isEqualTo(DecisionOutcome.ASK_USER);
      assertThat(asked.hasReason("CONFIRMATION_THRESHOLD")).isTrue();
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isZero();

      PaymentDecision answered = s.platform.service.answer(asked.key(), OWNER, true);
      assertThat(answered.version()).isEqualTo(1);
      assertThat(answered.outcome()).isEqualTo(DecisionOutcome.APPROVED);
      assertThat(answered.hasReason("USER_APPROVED")).isTrue();
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isEqualTo(3_001);
      assertThat(s.platform.service.answer(asked.key(), OWNER, false)).isEqualTo(answered);
      assertThat(s.platform.service.decide(asked.intent())).isEqualTo(answered);
      s.platform.assertProvable(asked.key(), OWNER);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void exactlyAtThreshold_needsNoConfirmation(AlgorithmSuite suite) throws Exception {
    try (Setup s = setup(suite, 100_000)) {
      assertThat(s.platform.service.decide(intent(s.device, 1, "shop", 3_000)).outcome()).isEqualTo(DecisionOutcome.APPROVED);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void userDeclines_nothingIsHeld(AlgorithmSuite suite) throws Exception {
    try (Setup s = setup(suite, 100_000)) {
      PaymentDecision asked = s.platform.service.decide(intent(s.device, 1, "shop", 4_000));
      PaymentDecision answered = s.platform.service.answer(asked.key(), OWNER, false);
      assertThat(answered.outcome()).isEqualTo(DecisionOutcome.DECLINED);
      assertThat(answered.hasReason("USER_DECLINED")).isTrue();
      assertThat(s.platform.service.payment(asked.key())).isEmpty();
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isZero();
      s.platform.assertProvable(asked.key(), OWNER);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void onlyTheOwner_mayAnswerOrFetchProofs(AlgorithmSuite suite) throws Exception {
    try (Setup s = setup(suite, 100_000)) {
      PaymentDecision asked = s.platform.service.decide(intent(s.device, 1, "shop", 4_000));
      assertThatThrownBy(() -> s.platform.service.answer(asked.key(), "mallory", true))
          .isInstanceOf(DecisionInputException.class).hasMessageContaining("mallory does not own device washer-1");
      assertThatThrownBy(() -> s.platform.service.proofs(asked.key(), "mallory"))
          .isInstanceOf(DecisionInputException.class).hasMessageContaining("does not own");
      assertThatThrownBy(() -> s.platform.service.proofs(new IdempotencyKey(s.device, 99), OWNER))
          .isInstanceOf(DecisionInputException.class).hasMessageContaining("no decision for payment washer-1:99");
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void mandateRefusals_declineWithTheReason_andTouchNoMoney(AlgorithmSuite suite) throws Exception {
    try (Setup s = setup(suite, 100_000)) {
      PaymentDecision tooBig = s.platform.service.decide(intent(s.device, 1, "shop", 5_001));
      PaymentDecision notAllowed = s.platform.service.decide(intent(s.device, 2, "casino", 100));
      PaymentDecision unknown = s.platform.service.decide(intent(s.device, 3, "nowhere", 100));
      s.platform.mandates.suspend(s.mandate.id());
      PaymentDecision suspended = s.platform.service.decide(intent(s.device, 4, "shop", 100));

      assertThat(tooBig.outcome()).isEqualTo(DecisionOutcome.DECLINED);
      assertThat(tooBig.hasReason("OVER_PER_PAYMENT_LIMIT")).isTrue();
      assertThat(notAllowed.hasReason("MERCHANT_NOT_ALLOWED")).isTrue();
      assertThat(unknown.hasReason("UNKNOWN_MERCHANT")).isTrue();
      assertThat(suspended.hasReason("MANDATE_SUSPENDED")).isTrue();
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isZero();
      assertThat(s.platform.balance(USER_ACCOUNT).creditsPostedMinor()).isEqualTo(100_000);
      for (PaymentDecision declined : new PaymentDecision[] {tooBig, notAllowed, unknown, suspended}) {
        assertThat(declined.outcome()).isEqualTo(DecisionOutcome.DECLINED);
        s.platform.assertProvable(declined.key(), OWNER);
      }

      s.platform.mandates.resume(s.mandate.id());
      assertThat(s.platform.service.decide(intent(s.device, 5, "shop", 100)).outcome()).isEqualTo(DecisionOutcome.APPROVED);
      s.platform.mandates.revoke(s.mandate.id());
      assertThat(s.platform.service.decide(intent(s.device, 6, "shop", 100)).hasReason("NO_MANDATE")).isTrue();
      // Revoking the mandate left the account and the approved hold alone.
      assertThat(s.platform.balance(USER_ACCOUNT).creditsPostedMinor()).isEqualTo(100_000);
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isEqualTo(100);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void dailyLimit_countsApprovedPayments_andResetsNextBusinessDay(AlgorithmSuite suite) throws Exception {
    try (Setup s = setup(suite, 100_000)) {
      assertThat(s.platform.service.decide(intent(s.device, 1, "shop", 3_000)).outcome()).isEqualTo(DecisionOutcome.APPROVED);
      assertThat(s.platform.service.decide(intent(s.device, 2, "shop", 3_000)).outcome()).isEqualTo(DecisionOutcome.APPROVED);
      PaymentDecision third = s.platform.service.decide(intent(s.device, 3, "shop", 3_000));
      assertThat(third.outcome()).isEqualTo(DecisionOutcome.DECLINED);
      assertThat(third.hasReason("OVER_DAILY_LIMIT")).isTrue();

      s.platform.clock.advanceToNextBusinessDay();
      s.platform.states.observe(new DeviceObservation.Heartbeat(s.device, s.platform.clock.now()));
      assertThat(s.platform.service.decide(intent(s.device, 4, "shop", 3_000)).outcome()).isEqualTo(DecisionOutcome.APPROVED);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void insufficientFunds_declines_andCountsNoUsage(AlgorithmSuite suite) throws Exception {
    try (Setup s = setup(suite, 1_000)) {
      PaymentDecision decision = s.platform.service.decide(intent(s.device, 1, "shop", 2_000));
      assertThat(decision.outcome()).isEqualTo(DecisionOutcome.DECLINED);
      assertThat(decision.hasReason("INSUFFICIENT_FUNDS")).isTrue();
      assertThat(decision.holdTransferId()).isZero();
      assertThat(s.platform.mandates.usedOnMinor(s.mandate.id(), s.platform.clock.businessDate())).isZero();
      s.platform.assertBooksBalance();
      s.platform.assertProvable(decision.key(), OWNER);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void void_releasesTheHoldAndTheUsage(AlgorithmSuite suite) throws Exception {
    try (Setup s = setup(suite, 100_000)) {
      PaymentDecision decision = s.platform.service.decide(intent(s.device, 1, "shop", 2_000));
      Payment voided = s.platform.service.voidPayment(decision.key());

      assertThat(voided.state()).isEqualTo(PaymentState.VOIDED);
      assertThat(s.platform.service.voidPayment(decision.key())).isEqualTo(voided);
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isZero();
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPostedMinor()).isZero();
      assertThat(s.platform.mandates.usedOnMinor(s.mandate.id(), s.platform.clock.businessDate())).isZero();
      assertThatThrownBy(() -> s.platform.service.capture(decision.key()))
          .isInstanceOf(DecisionInputException.class).hasMessageContaining("voided");
      s.platform.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void holdNotCapturedInTime_expires(AlgorithmSuite suite) throws Exception {
    try (Setup s = setup(suite, 100_000)) {
      PaymentDecision decision = s.platform.service.decide(intent(s.device, 1, "shop", 2_000));
      s.platform.clock.advance(Duration.ofDays(8));
      assertThat(s.platform.ledger.expireDue().get(30, TimeUnit.SECONDS)).isEqualTo(1);

      assertThat(s.platform.service.capture(decision.key()).state()).isEqualTo(PaymentState.EXPIRED);
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isZero();
      assertThat(s.platform.mandates.usedOnMinor(s.mandate.id(), decision.decidedAt().atZone(java.time.ZoneOffset.UTC).toLocalDate()))
          .isZero();
      s.platform.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void tamperedDevice_isDeclinedWithTheRiskReason(AlgorithmSuite suite) throws Exception {
    try (Setup s = setup(suite, 100_000)) {
      s.platform.states.observe(new DeviceObservation.TamperReported(s.device, s.platform.clock.now(), true));
      PaymentDecision decision = s.platform.service.decide(intent(s.device, 1, "shop", 100));
      assertThat(decision.outcome()).isEqualTo(DecisionOutcome.DECLINED);
      assertThat(decision.hasReason("TAMPERED")).isTrue();
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isZero();
      s.platform.assertProvable(decision.key(), OWNER);
    }
  }
}

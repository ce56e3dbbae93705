package io.iotpay.platform.decision;

import static io.iotpay.platform.decision.PlatformFixture.cny;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.identity.DeviceId;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link PaymentDecisionService#decideAll}: the batch decides as one-by-one would, and fails as a whole. */
class DecideAllTest {
  static final long USER_ACCOUNT = 10;
  static final long SHOP_ACCOUNT = 200;
  static final String OWNER = "alice";

  @TempDir Path tempDir;

  private static PaymentIntent intent(DeviceId device, long counter, long amountMinor) {
    return new PaymentIntent(new IdempotencyKey(device, counter), "shop", cny(amountMinor), "test-rule", "", false, false);
  }

  private PlatformFixture platform(AlgorithmSuite suite) throws Exception {
    PlatformFixture platform = new PlatformFixture(suite, tempDir);
    platform.userAccount(USER_ACCOUNT, 100_000);
    platform.merchant("shop", "5399", SHOP_ACCOUNT, null);
    return platform;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void batch_countsEarlierApprovalsAgainstLimits_andDuplicatesGetTheFirstDecision(AlgorithmSuite suite) throws Exception {
    try (PlatformFixture p = platform(suite)) {
      DeviceId washer = p.onlineDevice("washer-1");
      p.mandates.bind(OWNER, washer, USER_ACCOUNT, PlatformFixture.terms(5_000, 8_000, 20_000, 5_000, Set.of("shop"), Set.of()));
      List<PaymentDecision> decided = p.service.decideAll(List.of(
          intent(washer, 1, 3_000), intent(washer, 2, 3_000), intent(washer, 1, 3_000), intent(washer, 3, 3_000)));

      assertThat(decided).extracting(PaymentDecision::outcome).containsExactly(
          DecisionOutcome.APPROVED, DecisionOutcome.APPROVED, DecisionOutcome.APPROVED, DecisionOutcome.DECLINED);
      assertThat(decided.get(2)).isEqualTo(decided.get(0));
      assertThat(decided.get(3).reasons()).extracting(DecisionReason::code).contains("OVER_DAILY_LIMIT");
      assertThat(decided.get(1).auditIndex()).isEqualTo(decided.get(0).auditIndex() + 1);
      assertThat(p.service.stats()).isEqualTo(new DecisionStats(2, 1, 0, 1));
      assertThat(p.balance(USER_ACCOUNT).debitsPendingMinor()).isEqualTo(6_000);
      assertThat(p.mandates.usedOnMinor(new io.iotpay.platform.mandate.MandateId(decided.get(0).mandateId()), p.clock.businessDate()))
          .isEqualTo(6_000);
      // A later batch repeating a key gets the recorded decision and moves nothing.
      assertThat(p.service.decideAll(List.of(intent(washer, 2, 3_000))).get(0)).isEqualTo(decided.get(1));
      assertThat(p.service.capture(decided.get(0).key()).state()).isEqualTo(PaymentState.CAPTURED);
      p.assertBooksBalance();
      p.assertProvable(decided.get(1).key(), OWNER);
      p.assertProvable(decided.get(3).key(), OWNER);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void lostIssuerAnswer_failsTheWholeBatch_andTheRetryHoldsEachOnce(AlgorithmSuite suite) throws Exception {
    try (PlatformFixture p = platform(suite)) {
      DeviceId washer = p.onlineDevice("washer-1");
      DeviceId car = p.onlineDevice("car-1");
      p.mandates.bind(OWNER, washer, USER_ACCOUNT, PlatformFixture.terms(5_000, 8_000, 20_000, 5_000, Set.of("shop"), Set.of()));
      p.mandates.bind(OWNER, car, USER_ACCOUNT, PlatformFixture.terms(5_000, 8_000, 20_000, 5_000, Set.of("shop"), Set.of()));
      List<PaymentIntent> batch = List.of(intent(washer, 1, 1_000), intent(car, 1, 2_000), intent(washer, 2, 7_000));
      long leaves = p.auditLog.size();
      p.link.loseNextAnswers(1);

      assertThatThrownBy(() -> p.service.decideAll(batch)).isInstanceOf(DecisionStoreException.class);
      assertThat(p.service.stats()).isEqualTo(new DecisionStats(0, 0, 0, 0));
      assertThat(p.service.decision(batch.get(0).key())).isEmpty();

      List<PaymentDecision> decided = p.service.decideAll(batch);
      assertThat(decided).extracting(PaymentDecision::outcome)
          .containsExactly(DecisionOutcome.APPROVED, DecisionOutcome.APPROVED, DecisionOutcome.DECLINED);
      // Limits were not consumed by the failed attempt: 1,000 + 7,000 would fit the day, 7,000 breaks the per-payment limit.
      assertThat(decided.get(2).reasons()).extracting(DecisionReason::code).contains("OVER_PER_PAYMENT_LIMIT");
      assertThat(p.balance(USER_ACCOUNT).debitsPendingMinor()).isEqualTo(3_000);
      assertThat(p.auditLog.size()).isGreaterThan(leaves);
      p.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void keyReusedByAnotherIntent_refusesTheBatch_andDecidesNothing(AlgorithmSuite suite) throws Exception {
    try (PlatformFixture p = platform(suite)) {
      DeviceId washer = p.onlineDevice("washer-1");
      p.mandates.bind(OWNER, washer, USER_ACCOUNT, PlatformFixture.terms(5_000, 8_000, 20_000, 5_000, Set.of("shop"), Set.of()));
      assertThatThrownBy(() -> p.service.decideAll(List.of(intent(washer, 1, 1_000), intent(washer, 1, 1_500))))
          .isInstanceOf(DecisionInputException.class).hasMessageContaining("different payment intent");
      assertThat(p.service.stats()).isEqualTo(new DecisionStats(0, 0, 0, 0));
      assertThat(p.balance(USER_ACCOUNT).debitsPendingMinor()).isZero();
    }
  }
}

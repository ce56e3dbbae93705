package io.iotpay.platform.decision;

import static io.iotpay.platform.decision.PlatformFixture.cny;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.platform.identity.DeviceId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Decisions, payments, mandates and their usage survive a restart: same key, same decision, no second hold; a corrupt row stops start-up. */
class DecisionRestartTest {
  static final long USER_ACCOUNT = 10;
  static final long SHOP_ACCOUNT = 200;

  @TempDir Path tempDir;

  private static DeviceId prepare(PlatformFixture platform, boolean firstStart) throws Exception {
    if (firstStart) {
      platform.userAccount(USER_ACCOUNT, 100_000);
    }
    platform.merchant("shop", "5399", SHOP_ACCOUNT, null);
    DeviceId device = platform.onlineDevice("washer-1");
    if (firstStart) {
      platform.mandates.bind("alice", device, USER_ACCOUNT, PlatformFixture.terms(5_000, 8_000, 20_000, 3_000, Set.of("shop"), Set.of()));
    }
    return device;
  }

  private static PaymentIntent intent(DeviceId device, long counter, long amountMinor) {
    return new PaymentIntent(new IdempotencyKey(device, counter), "shop", cny(amountMinor), "test-rule", "", false, false);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void afterARestart_theSameKeyGetsTheSameDecision_andNoSecondHold(AlgorithmSuite suite) throws Exception {
    PlatformFixture platform = new PlatformFixture(suite, tempDir);
    DeviceId device = prepare(platform, true);
    PaymentDecision captured = platform.service.decide(intent(device, 5, 2_000));
    platform.service.capture(captured.key());
    PaymentDecision held = platform.service.decide(intent(device, 6, 1_000));
    PaymentDecision asked = platform.service.decide(intent(device, 7, 4_000));

    platform = platform.restart();
    try (PlatformFixture restarted = platform) {
      prepare(restarted, false);
      AccountBalance before = restarted.balance(USER_ACCOUNT);
      long leaves = restarted.auditLog.size();

      assertThat(restarted.service.decide(captured.intent())).isEqualTo(captured);
      assertThat(restarted.service.decide(held.intent())).isEqualTo(held);
      assertThat(restarted.service.payment(captured.key()).orElseThrow().state()).isEqualTo(PaymentState.CAPTURED);
      assertThat(restarted.service.payment(held.key()).orElseThrow().state()).isEqualTo(PaymentState.HELD);
      assertThat(restarted.auditLog.size()).isEqualTo(leaves);
      assertThat(restarted.balance(USER_ACCOUNT)).isEqualTo(before);

      // The held payment's lifecycle and the pending question go on where they stopped.
      assertThat(restarted.service.capture(held.key()).state()).isEqualTo(PaymentState.CAPTURED);
      assertThat(restarted.service.answer(asked.key(), "alice", true).outcome()).isEqualTo(DecisionOutcome.APPROVED);
      // The counter high-water mark came back too: an older counter is a regression.
      assertThat(restarted.service.decide(intent(device, 4, 100)).hasReason("COUNTER_REGRESSION")).isTrue();
      // The mandate came back from its table and its usage from the payments: 2,000 + 1,000 + 4,000 of 8,000 today.
      assertThat(restarted.mandates.liveMandateOf(device)).isPresent();
      assertThat(restarted.service.decide(intent(device, 8, 1_001)).hasReason("OVER_DAILY_LIMIT")).isTrue();
      assertThat(restarted.service.decide(intent(device, 9, 1_000)).outcome()).isEqualTo(DecisionOutcome.APPROVED);
      assertThat(restarted.balance(USER_ACCOUNT).debitsPostedMinor()).isEqualTo(3_000);
      assertThat(restarted.balance(USER_ACCOUNT).debitsPendingMinor()).isEqualTo(5_000);
      restarted.assertBooksBalance();
      restarted.assertProvable(captured.key(), "alice");
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aDecisionRowEditedBehindTheServicesBack_stopsStartUp(AlgorithmSuite suite) throws Exception {
    PlatformFixture platform = new PlatformFixture(suite, tempDir);
    DeviceId device = prepare(platform, true);
    PaymentDecision decision = platform.service.decide(intent(device, 5, 2_000));
    byte[] forged = DecisionCodec.encode(new PaymentDecision(decision.key(), 0, intent(device, 5, 20), decision.outcome(),
        decision.reasons(), decision.mandateId(), decision.holdTransferId(), decision.decidedAt(), -1));
    try (Connection connection = platform.database.connection();
        PreparedStatement update = connection.prepareStatement("UPDATE platform_decision SET entry = ? WHERE counter = 5")) {
      update.setBytes(1, forged);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
    platform.close();

    assertThatThrownBy(() -> platform.restart())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("stored decision at audit index " + decision.auditIndex() + " is not that audit leaf");
  }
}

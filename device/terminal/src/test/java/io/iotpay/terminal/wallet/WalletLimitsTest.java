package io.iotpay.terminal.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The card's limits hold whatever the POS's policy says; each refusal moves nothing. Both suites. */
class WalletLimitsTest {
  @TempDir Path dir;

  /** A POS policy that never refuses: the card alone must enforce its limits. */
  private static WalletKernel laxKernel(WalletWorld world, long onlineMinor) {
    return new WalletKernel(world.psam.channel(), world.journal,
        (amount, card) -> new SplitPolicy.Decision.Pay(amount - onlineMinor, onlineMinor), (id, n) -> Optional.empty());
  }

  private static int sw(WalletKernel.Outcome outcome) {
    assertThat(outcome).isInstanceOf(WalletKernel.Outcome.Declined.class);
    return ((WalletKernel.Outcome.Declined) outcome).sw();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void perPurchaseLimit_refused9410(AlgorithmSuite suite) {
    try (WalletWorld world = WalletWorld.of(suite, dir)) {
      world.load(10_000);
      assertThat(sw(world.kernel.purchase(world.tap(), 5_001))).isEqualTo(WalletStatus.PURCHASE_LIMIT);
      assertThat(world.kernel.purchase(world.tap(), 5_000)).isInstanceOf(WalletKernel.Outcome.Approved.class);
      assertThat(world.state().balanceMinor()).isEqualTo(5_000);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void balanceCapOnLoad_refused9411(AlgorithmSuite suite) {
    try (WalletWorld world = WalletWorld.of(suite, dir)) {
      world.load(15_000);
      assertThatThrownBy(() -> world.kernel.load(world.tap(), 5_001, world.scheme::signLoad))
          .isInstanceOfSatisfying(WalletException.class, e -> assertThat(e.sw()).isEqualTo(WalletStatus.BALANCE_CAP));
      CardState state = world.state();
      assertThat(state.balanceMinor()).isEqualTo(15_000);
      assertThat(state.loadNumber()).isEqualTo(1);
      world.load(5_000);
      assertThat(world.state().balanceMinor()).isEqualTo(20_000);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void offlineCount_forcesOnline_untilTheNextLoad(AlgorithmSuite suite) {
    try (WalletWorld world = WalletWorld.of(suite, dir)) {
      world.load(10_000);
      for (int i = 0; i < WalletScheme.Limits.standard().offlineCountMax(); i++) {
        assertThat(world.kernel.purchase(world.tap(), 100)).isInstanceOf(WalletKernel.Outcome.Approved.class);
      }
      assertThat(world.state().offlineLeft()).isZero();
      assertThat(sw(world.kernel.purchase(world.tap(), 100))).isEqualTo(WalletStatus.OFFLINE_COUNT_EXHAUSTED);
      world.load(100);
      assertThat(world.kernel.purchase(world.tap(), 100)).isInstanceOf(WalletKernel.Outcome.Approved.class);
      assertThat(world.state().balanceMinor()).isEqualTo(10_000 + 100 - 600);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void split_withinAllowance_recordsTheSignedPendingPart_andTheCardRefusesMore(AlgorithmSuite suite) {
    try (WalletWorld world = WalletWorld.of(suite, dir)) {
      world.load(1_000);
      WalletKernel.Outcome.Approved split = (WalletKernel.Outcome.Approved) world.kernel.purchase(world.tap(), 3_000);
      assertThat(split.record().debit().offlineMinor()).isEqualTo(1_000);
      assertThat(split.record().debit().onlineMinor()).isEqualTo(2_000);
      assertThat(split.receipt().onlineMinor()).isEqualTo(2_000);
      CardState state = world.state();
      assertThat(state.pending()).isTrue();
      assertThat(state.pendingMinor()).isEqualTo(2_000);
      assertThat(state.pendingCounter()).isEqualTo(split.record().debit().counter());
      // The policy declines a second split while one is pending; the card refuses it anyway.
      world.load(500);
      assertThat(sw(world.kernel.purchase(world.tap(), 1_000))).isZero();
      assertThat(sw(laxKernel(world, 100).purchase(world.tap(), 600))).isEqualTo(WalletStatus.PENDING_EXISTS);
      assertThat(world.state().balanceMinor()).isEqualTo(500);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void onlinePartAboveAllowance_refused9414_andInsufficientBalance9401(AlgorithmSuite suite) {
    try (WalletWorld world = WalletWorld.of(suite, dir)) {
      world.load(1_000);
      long allowance = WalletScheme.Limits.standard().allowanceMinor();
      assertThat(sw(world.kernel.purchase(world.tap(), 1_000 + allowance + 1))).as("policy").isZero();
      assertThat(sw(laxKernel(world, allowance + 1).purchase(world.tap(), allowance + 1 + 500)))
          .isEqualTo(WalletStatus.ALLOWANCE_EXCEEDED);
      assertThat(sw(laxKernel(world, 0).purchase(world.tap(), 1_001))).isEqualTo(WalletStatus.INSUFFICIENT_BALANCE);
      CardState state = world.state();
      assertThat(state.balanceMinor()).isEqualTo(1_000);
      assertThat(state.pending()).isFalse();
      assertThat(state.counter()).isZero();
    }
  }
}

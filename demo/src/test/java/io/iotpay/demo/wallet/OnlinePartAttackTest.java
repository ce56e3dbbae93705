package io.iotpay.demo.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.bench.wallet.WalletIssuance;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.issuer.wallet.OnlinePartOutcome;
import io.iotpay.issuer.wallet.SignedOnlinePart;
import io.iotpay.terminal.wallet.CardDebit;
import io.iotpay.terminal.wallet.OnlinePartGateway;
import io.iotpay.terminal.wallet.WalletKernel;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Online parts the issuer must refuse or fail, nothing moved, both suites (docs/wallet.md §2.4). */
class OnlinePartAttackTest {
  private static final WalletIssuance.Limits LIMITS = new WalletIssuance.Limits(5_000, 20_000, 3_000, 5, 3);

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void anOnlinePartInflatedByThePosOrReplayedAltered_isRefusedAndMovesNothing(AlgorithmSuite suite, @TempDir Path dir) {
    try (WalletNetwork network = new WalletNetwork(dir, 5, suite)) {
      WalletNetwork.Pos pos = network.openPos("shop", suite, WalletIds.pos(2));
      WalletNetwork.Cardholder card = network.issueCard(suite, WalletIds.card(2), LIMITS, 10_000);
      network.load(pos, card, 1_000).orElseThrow();
      CardDebit genuine = ((WalletKernel.Outcome.Approved) pos.kernel().purchase(card.card().tap(), 2_000)).record()
          .debit();
      CardDebit inflated = new CardDebit(genuine.cardId(), genuine.counter(), genuine.offlineMinor(),
          genuine.onlineMinor() + 500, genuine.balanceAfterMinor(), genuine.currencyNumeric(), genuine.posId(),
          genuine.posChallenge(), genuine.tac(), genuine.cardSignature());
      CardDebit otherCounter = new CardDebit(genuine.cardId(), genuine.counter() + 1, genuine.offlineMinor(),
          genuine.onlineMinor(), genuine.balanceAfterMinor(), genuine.currencyNumeric(), genuine.posId(),
          genuine.posChallenge(), genuine.tac(), genuine.cardSignature());

      assertThat(pos.link().push(inflated)).contains(OnlinePartGateway.Answer.REFUSED);
      assertThat(pos.link().push(otherCounter)).contains(OnlinePartGateway.Answer.REFUSED);
      assertThat(network.balance(card.onlineAccount())).isEqualTo(9_000);
      assertThat(network.balance(pos.merchantAccount())).isZero();
      assertThat(network.onlineParts().outcome(card.idHex(), genuine.counter())).isEmpty();

      assertThat(pos.link().push(genuine)).contains(OnlinePartGateway.Answer.COMPLETED);
      assertThat(pos.link().push(genuine)).contains(OnlinePartGateway.Answer.COMPLETED); // a repeat moves nothing
      assertThat(network.balance(card.onlineAccount())).isEqualTo(8_000);
      assertThat(network.balance(pos.merchantAccount())).isEqualTo(1_000);
      assertThat(network.books().balanced()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void anOnlinePartTheOnlineAccountCannotPay_failsDefinitivelyAndMovesNothing(AlgorithmSuite suite, @TempDir Path dir) {
    try (WalletNetwork network = new WalletNetwork(dir, 6, suite)) {
      WalletNetwork.Pos pos = network.openPos("bus", suite, WalletIds.pos(3));
      WalletNetwork.Cardholder card = network.issueCard(suite, WalletIds.card(3), LIMITS, 1_200);
      network.load(pos, card, 1_000).orElseThrow();
      pos.kernel().purchase(card.card().tap(), 2_500); // 1,500 online; the account holds 200

      assertThat(pos.agent().pushPending().stillPending()).isZero();
      assertThat(pos.agent().outbox().count(OnlinePartGateway.Answer.FAILED)).isEqualTo(1);
      assertThat(network.onlineParts().count(OnlinePartOutcome.FAILED)).isEqualTo(1);
      assertThat(network.balance(card.onlineAccount())).isEqualTo(200);
      assertThat(network.balance(pos.merchantAccount())).isZero();
      assertThat(pos.agent().pushPending().pushed()).isZero();
    }
  }

  @org.junit.jupiter.api.Test
  void aSignedPartOfBadLength_isATypedRefusal() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SignedOnlinePart.decode(new byte[51]))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SignedOnlinePart.decode(new byte[51 + 73]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package io.iotpay.demo.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.bench.wallet.WalletIssuance;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.issuer.wallet.OnlinePartOutcome;
import io.iotpay.terminal.wallet.OnlinePartGateway;
import io.iotpay.terminal.wallet.PurchaseRecord;
import io.iotpay.terminal.wallet.WalletKernel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The split purchase torn at every step of the online part (docs/wallet.md §2.3), both suites: the
 * DEBIT's answer lost (the offline debit done, the online part not yet stored), the POS killed
 * between storing and pushing, the link down, the issuer's answer lost, the POS killed after the
 * issuer applied it. Each case ends with the online part applied exactly once and value conserved:
 * wallets + uncleared offline + online accounts + shadow accounts + merchants.
 */
class OnlinePartTearingMatrixTest {
  private static final long LOADED = 2_000;
  private static final long PRICE = 3_500; // 2,000 offline + 1,500 online
  private static final WalletIssuance.Limits LIMITS = new WalletIssuance.Limits(5_000, 20_000, 3_000, 5, 3);

  enum Tear { NONE, DEBIT_ANSWER_LOST, KILL_BEFORE_PUSH, LINK_DOWN, ISSUER_ANSWER_LOST, KILL_AFTER_ISSUER_APPLIED }

  static List<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      for (Tear tear : Tear.values()) {
        out.add(Arguments.of(suite, tear));
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void theOnlinePartIsAppliedOnceAndValueConserved(AlgorithmSuite suite, Tear tear, @TempDir Path dir) {
    try (WalletNetwork network = new WalletNetwork(dir, 17, suite)) {
      WalletNetwork.Pos pos = network.openPos("canteen", suite, WalletIds.pos(1));
      WalletNetwork.Cardholder card = network.issueCard(suite, WalletIds.card(1), LIMITS, 10_000);
      network.load(pos, card, LOADED).orElseThrow();

      if (tear == Tear.DEBIT_ANSWER_LOST) {
        CardChannel torn = new TornChannel(card.card().tap(), 0x54);
        try {
          pos.kernel().purchase(torn, PRICE);
          throw new AssertionError("the lost DEBIT answer must reach the kernel");
        } catch (CardGoneException expected) {
          assertThat(pos.journal().records()).isEmpty(); // debited on the card, nothing stored yet
        }
      }
      WalletKernel.Outcome outcome = pos.kernel().purchase(card.card().tap(), PRICE);
      assertThat(outcome).isInstanceOf(WalletKernel.Outcome.Approved.class);
      PurchaseRecord record = ((WalletKernel.Outcome.Approved) outcome).record();
      assertThat(record.debit().onlineMinor()).isEqualTo(1_500);
      assertThat(((WalletKernel.Outcome.Approved) outcome).receipt().onlineMinor()).isEqualTo(1_500);
      assertThat(record.recovered()).isEqualTo(tear == Tear.DEBIT_ANSWER_LOST);

      switch (tear) {
        case KILL_BEFORE_PUSH -> pos.restart();
        case LINK_DOWN -> {
          pos.link().fault(IssuerLink.Fault.LINK_DOWN);
          assertThat(pos.agent().pushPending().stillPending()).isEqualTo(1);
          pos.link().fault(IssuerLink.Fault.NONE);
        }
        case ISSUER_ANSWER_LOST, KILL_AFTER_ISSUER_APPLIED -> {
          pos.link().fault(IssuerLink.Fault.LOSE_ANSWER);
          assertThat(pos.agent().pushPending().stillPending()).isEqualTo(1);
          assertThat(network.onlineParts().outcome(card.idHex(), record.debit().counter()))
              .contains(OnlinePartOutcome.COMPLETED);
          pos.link().fault(IssuerLink.Fault.NONE);
          if (tear == Tear.KILL_AFTER_ISSUER_APPLIED) {
            pos.restart();
          }
        }
        default -> { }
      }
      assertThat(pos.agent().pending()).hasSize(1);
      assertThat(pos.agent().pushPending().stillPending()).isZero();
      assertThat(pos.agent().pushPending().pushed()).isZero(); // settled: never pushed again

      assertThat(pos.agent().outbox().answer(card.cardId(), record.debit().counter()))
          .contains(OnlinePartGateway.Answer.COMPLETED);
      assertThat(network.onlineParts().count(OnlinePartOutcome.COMPLETED)).isEqualTo(1);
      assertThat(network.balance(card.onlineAccount())).isEqualTo(10_000 - LOADED - 1_500);
      assertThat(network.balance(pos.merchantAccount())).isEqualTo(1_500);
      long wallet = WalletKernel.readState(card.card().tap()).balanceMinor();
      long journalledOffline = pos.journal().records().stream().mapToLong(r -> r.debit().offlineMinor()).sum();
      assertThat(wallet + journalledOffline).isEqualTo(LOADED);
      assertThat(wallet + journalledOffline + network.balance(card.onlineAccount()) + network.balance(pos.merchantAccount()))
          .isEqualTo(10_000);
      assertThat(network.balance(card.shadowAccount())).isEqualTo(LOADED); // offline not cleared before day end
      assertThat(network.books().balanced()).isTrue();
    }
  }
}

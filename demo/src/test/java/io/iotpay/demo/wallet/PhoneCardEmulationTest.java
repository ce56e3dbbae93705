package io.iotpay.demo.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.bench.wallet.WalletIssuance;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.phone.pos.SecureElement;
import io.iotpay.phone.wallet.IssuerApp;
import io.iotpay.phone.wallet.NfcController;
import io.iotpay.terminal.wallet.CardDebit;
import io.iotpay.terminal.wallet.CardState;
import io.iotpay.terminal.wallet.OnlinePartGateway;
import io.iotpay.terminal.wallet.PurchaseRecord;
import io.iotpay.terminal.wallet.WalletApdus;
import io.iotpay.terminal.wallet.WalletKernel;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The phone as a wallet card (card emulation, docs/wallet.md "The phone both ways"), both suites: the
 * wallet applet installed in the phone's SE through ISD → SSD → wallet ({@link PhoneCard}), reached
 * by a counter-top POS through the phone's NFC controller model exactly as a plastic card.
 */
class PhoneCardEmulationTest {
  private static final WalletIssuance.Limits LIMITS = new WalletIssuance.Limits(5_000, 20_000, 3_000, 5, 3);
  private static final long FUNDED = 10_000;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void thePhonePaysAtAPos_offline_split_writeBackAtALaterTap_andLoads_booksBalance(AlgorithmSuite suite,
      @TempDir Path dir) {
    try (WalletNetwork network = new WalletNetwork(dir, 31, suite, false)) {
      WalletNetwork.Pos pos = network.openPos("kiosk", suite, WalletIds.pos(3));
      PhoneCard phone = PhoneCard.issue(network, suite, WalletIds.card(3), LIMITS, FUNDED);
      WalletNetwork.Cardholder holder = phone.holder;

      network.load(pos, holder, 2_000).orElseThrow();
      assertThat(phone.app.state().balanceMinor()).isEqualTo(2_000);

      WalletKernel.Outcome.Approved offline = approved(pos.kernel().purchase(phone.tap(), 500));
      assertThat(offline.walletApdus()).isLessThanOrEqualTo(WalletKernel.WALLET_APDUS_MAX);
      assertThat(offline.record().debit().onlineMinor()).isZero();

      WalletKernel.Outcome.Approved split = approved(pos.kernel().purchase(phone.tap(), 3_000));
      assertThat(split.walletApdus()).isLessThanOrEqualTo(WalletKernel.WALLET_APDUS_MAX);
      assertThat(split.receipt().offlineMinor()).isEqualTo(1_500);
      assertThat(split.receipt().onlineMinor()).isEqualTo(1_500);

      // The phone's own wallet app, over the SE's contact side: the card's balance and log.
      CardState shown = phone.app.state();
      assertThat(shown.balanceMinor()).isZero();
      assertThat(shown.pending()).isTrue();
      List<CardDebit> log = phone.app.purchases();
      assertThat(log).extracting(CardDebit::offlineMinor).containsExactly(1_500L, 500L);
      assertThat(log).extracting(CardDebit::onlineMinor).containsExactly(1_500L, 0L);
      assertThat(log.get(0).signatureInput()).isEqualTo(split.record().debit().signatureInput());

      assertThat(pos.agent().pushPending().stillPending()).isZero();
      assertThat(pos.agent().outbox().answer(holder.cardId(), split.record().debit().counter()))
          .contains(OnlinePartGateway.Answer.COMPLETED);
      network.endDay(Set.of());

      network.load(pos, holder, 1_000).orElseThrow();
      WalletKernel.Outcome.Approved later = approved(pos.kernel().purchase(phone.tap(), 200));
      assertThat(later.walletApdus()).isLessThanOrEqualTo(WalletKernel.WALLET_APDUS_MAX);
      assertThat(pos.kernel().writeBacksApplied()).isEqualTo(1);
      assertThat(phone.app.state().pending()).isFalse();
      assertThat(phone.app.state().balanceMinor()).isEqualTo(800);

      // Value conserved: loaded 3,000; the day end cleared 2,000 offline; 200 offline not yet cleared.
      assertThat(network.balance(holder.shadowAccount())).isEqualTo(3_000 - 2_000);
      assertThat(phone.app.state().balanceMinor() + 200).isEqualTo(network.balance(holder.shadowAccount()));
      assertThat(network.balance(holder.onlineAccount())).isEqualTo(FUNDED - 3_000 - 1_500);
      assertThat(network.balance(pos.merchantAccount())).isEqualTo(500 + 1_500 + 1_500);
      assertThat(network.balance(holder.onlineAccount()) + network.balance(holder.shadowAccount())
          + network.balance(pos.merchantAccount())).isEqualTo(FUNDED);
      assertThat(network.books().balanced()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void routing_anAidNotRoutedIs6A82_theSesOtherAppletsAreReachableOnlyOverContactOrWhenRouted(AlgorithmSuite suite,
      @TempDir Path dir) {
    try (WalletNetwork network = new WalletNetwork(dir, 32, suite, false)) {
      PhoneCard phone = PhoneCard.issue(network, suite, WalletIds.card(4), LIMITS, FUNDED);
      CardChannel field = phone.tap();

      assertThat(field.transmit(WalletApdus.select(Hex.decode("A0000000031010"))).sw()).isEqualTo(0x6A82);
      assertThat(field.transmit(WalletApdus.select(IssuerApp.TOKEN_APPLET_AID)).sw()).isEqualTo(0x6A82);
      assertThat(field.transmit(WalletApdus.select(SecureElement.AID)).sw()).isEqualTo(0x6A82);
      assertThat(field.transmit(WalletApdus.select(PhoneCard.ISD_AID)).sw()).isEqualTo(0x6A82);
      assertThat(field.transmit(new CommandApdu(0x80, 0x4A, 0, 0, new byte[0], 256)).sw())
          .isEqualTo(NfcController.SW_NOTHING_SELECTED); // nothing routed is selected: the SE never sees it
      // The same applets are there, over the SE's contact side.
      assertThat(phone.se.transmit(WalletApdus.select(IssuerApp.TOKEN_APPLET_AID)).sw()).isEqualTo(0x9000);
      assertThat(phone.se.transmit(WalletApdus.select(SecureElement.AID)).sw()).isEqualTo(0x9000);
      assertThat(field.transmit(WalletApdus.select(WalletApdus.WALLET_AID)).sw()).isEqualTo(0x9000);

      phone.nfc.route(IssuerApp.TOKEN_APPLET_AID, false); // routed: reachable from the field
      assertThat(phone.tap().transmit(WalletApdus.select(IssuerApp.TOKEN_APPLET_AID)).sw()).isEqualTo(0x9000);

      byte[] tooShort = {1, 2, 3, 4};
      int routes = phone.nfc.routes().size();
      assertThatThrownBy(() -> phone.nfc.route(tooShort, false)).isInstanceOf(IllegalArgumentException.class);
      for (int i = routes; i < NfcController.ROUTES_MAX; i++) {
        phone.nfc.route(new byte[] {(byte) 0xA0, 0, 0, 0, (byte) i}, false);
      }
      assertThatThrownBy(() -> phone.nfc.route(Hex.decode("A0000000041010"), false))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(phone.nfc.routes()).hasSize(NfcController.ROUTES_MAX);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void theWalletPaysOnlyWithTheScreenUnlockedAndTheAppEnabled_aRefusedTapMovesNothing(AlgorithmSuite suite,
      @TempDir Path dir) {
    try (WalletNetwork network = new WalletNetwork(dir, 33, suite, false)) {
      WalletNetwork.Pos pos = network.openPos("kiosk", suite, WalletIds.pos(5));
      PhoneCard phone = PhoneCard.issue(network, suite, WalletIds.card(5), LIMITS, FUNDED);
      network.load(pos, phone.holder, 1_000).orElseThrow();

      phone.nfc.screenUnlocked(false);
      WalletKernel.Outcome locked = pos.kernel().purchase(phone.tap(), 300);
      assertThat(locked).isInstanceOf(WalletKernel.Outcome.Declined.class);
      assertThat(((WalletKernel.Outcome.Declined) locked).sw()).isEqualTo(0x6A82);

      phone.nfc.screenUnlocked(true);
      phone.nfc.unroute(WalletApdus.WALLET_AID); // the user turned contactless payment off in the wallet app
      WalletKernel.Outcome disabled = pos.kernel().purchase(phone.tap(), 300);
      assertThat(((WalletKernel.Outcome.Declined) disabled).sw()).isEqualTo(0x6A82);
      assertThat(phone.app.state().balanceMinor()).isEqualTo(1_000); // the app still reads it over contact
      assertThat(pos.journal().records()).isEmpty();

      phone.nfc.route(WalletApdus.WALLET_AID, true);
      PurchaseRecord paid = approved(pos.kernel().purchase(phone.tap(), 300)).record();
      assertThat(paid.debit().balanceAfterMinor()).isEqualTo(700);
      assertThat(network.books().balanced()).isTrue();
    }
  }

  private static WalletKernel.Outcome.Approved approved(WalletKernel.Outcome outcome) {
    assertThat(outcome).isInstanceOf(WalletKernel.Outcome.Approved.class);
    return (WalletKernel.Outcome.Approved) outcome;
  }
}

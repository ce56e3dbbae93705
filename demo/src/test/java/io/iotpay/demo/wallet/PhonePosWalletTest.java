package io.iotpay.demo.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.bench.wallet.WalletIssuance;
import io.iotpay.demo.pos.WalletPartChain;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.issuer.wallet.OnlinePartOutcome;
import io.iotpay.phone.pos.WalletAcceptance;
import io.iotpay.terminal.wallet.OnlinePartGateway;
import io.iotpay.terminal.wallet.PurchaseRecord;
import io.iotpay.terminal.wallet.Receipt;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A merchant's phone accepting wallet cards (reader mode of the acquiring SDK, docs/phone-sdk.md
 * "Wallet cards"), both suites, on the real chain: the SDK enrolled at the acquirer over HTTP, each
 * purchase and each push attested to the acquirer's risk sensing, the online part an ISO 8583 0200
 * over the SDK's link through acquirer → switch → wallet issuer (loopback TCP, MACs), the day file
 * cleared by the issuer's day end.
 */
class PhonePosWalletTest {
  private static final WalletIssuance.Limits LIMITS = new WalletIssuance.Limits(5_000, 20_000, 3_000, 5, 3);
  private static final long FUNDED = 10_000;
  private static final long LOADED = 1_000;

  /** The network pushing through the scheme, a counter-top POS that loads cards, and the merchant's phone. */
  private record Shop(WalletNetwork network, WalletPartChain chain, WalletNetwork.Pos loader,
      WalletNetwork.PhonePos phonePos) {
    static Shop open(AlgorithmSuite suite, Path dir, long seed) {
      WalletNetwork network = new WalletNetwork(dir, seed, suite);
      WalletPartChain chain = network.pushThroughScheme(1);
      WalletNetwork.Pos loader = network.openPos("loader", suite, WalletIds.pos(1));
      return new Shop(network, chain, loader, network.openPhonePos("phone-pos", suite, WalletIds.pos(2)));
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aPlasticCardAndAPhoneCardPayAtThePhonePos_theSplitCompletesAtTheIssuer_theDayEndClears(AlgorithmSuite suite,
      @TempDir Path dir) {
    Shop shop = Shop.open(suite, dir, 41);
    try (WalletNetwork network = shop.network()) {
      WalletNetwork.Pos loader = shop.loader();
      WalletNetwork.PhonePos phonePos = shop.phonePos();
      WalletNetwork.Cardholder plastic = network.issueCard(suite, WalletIds.card(1), LIMITS, FUNDED);
      PhoneCard phone = PhoneCard.issue(network, suite, WalletIds.card(2), LIMITS, FUNDED);
      network.load(loader, plastic, LOADED).orElseThrow();
      network.load(loader, phone.holder, LOADED).orElseThrow();
      WalletAcceptance wallet = phonePos.wallet();

      WalletAcceptance.Payment offline = wallet.purchase(400, plastic.card().tap());
      assertThat(offline.approved()).isTrue();
      assertThat(offline.attestation().approved()).isTrue();
      assertThat(offline.receipt().orElseThrow().onlineMinor()).isZero();

      WalletAcceptance.Payment split = wallet.purchase(2_500, phone.tap());
      Receipt receipt = split.receipt().orElseThrow(); // at once, before any push
      assertThat(receipt.offlineMinor()).isEqualTo(LOADED);
      assertThat(receipt.onlineMinor()).isEqualTo(1_500);
      assertThat(wallet.pending()).hasSize(1);
      assertThat(network.onlineParts().count(OnlinePartOutcome.COMPLETED)).isZero();

      assertThat(wallet.pushPending().stillPending()).isZero();
      PurchaseRecord part = wallet.journal().records().get(1);
      assertThat(wallet.outbox().answer(phone.holder.cardId(), part.debit().counter()))
          .contains(OnlinePartGateway.Answer.COMPLETED);
      assertThat(network.onlineParts().outcome(phone.holder.idHex(), part.debit().counter()))
          .contains(OnlinePartOutcome.COMPLETED);
      assertThat(shop.chain().requestsAdmitted(phonePos.terminal())).isEqualTo(1);
      assertThat(network.balance(phone.holder.onlineAccount())).isEqualTo(FUNDED - LOADED - 1_500);
      assertThat(network.balance(phonePos.merchantAccount())).isEqualTo(1_500);

      network.endDay(Set.of()); // the phone POS's signed day file is cleared with the others
      assertThat(network.balance(phonePos.merchantAccount())).isEqualTo(400 + LOADED + 1_500);
      assertThat(network.balance(plastic.shadowAccount())).isEqualTo(LOADED - 400);
      assertThat(network.balance(phone.holder.shadowAccount())).isZero();
      assertThat(phone.app.state().balanceMinor()).isEqualTo(network.balance(phone.holder.shadowAccount()));
      long total = network.balance(plastic.onlineAccount()) + network.balance(plastic.shadowAccount())
          + network.balance(phone.holder.onlineAccount()) + network.balance(phone.holder.shadowAccount())
          + network.balance(phonePos.merchantAccount()) + network.balance(loader.merchantAccount());
      assertThat(total).isEqualTo(2 * FUNDED);
      assertThat(network.books().balanced()).isTrue();
      network.books().closeLedger();
      assertThat(network.books().verifyAudit().verified()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void theAppKilledBetweenStoringAndPushing_thePartIsPushedOnceOnReopen_neverTwice(AlgorithmSuite suite,
      @TempDir Path dir) {
    Shop shop = Shop.open(suite, dir, 42);
    try (WalletNetwork network = shop.network()) {
      WalletNetwork.Pos loader = shop.loader();
      WalletNetwork.PhonePos phonePos = shop.phonePos();
      WalletNetwork.Cardholder card = network.issueCard(suite, WalletIds.card(1), LIMITS, FUNDED);
      network.load(loader, card, LOADED).orElseThrow();
      assertThat(phonePos.wallet().purchase(2_500, card.card().tap()).approved()).isTrue();

      assertThat(shop.chain().attestationsApproved(phonePos.terminal())).isEqualTo(1); // before the tap

      phonePos.restart(); // killed after the journal's fsync, before any push
      assertThat(phonePos.wallet().pending()).hasSize(1);
      assertThat(shop.chain().requestsAdmitted(phonePos.terminal())).isZero();
      assertThat(phonePos.wallet().pushPending().stillPending()).isZero();
      assertThat(shop.chain().requestsAdmitted(phonePos.terminal())).isEqualTo(1);
      assertThat(shop.chain().attestationsApproved(phonePos.terminal())).isEqualTo(2); // and before the push

      phonePos.restart();
      assertThat(phonePos.wallet().pending()).isEmpty();
      assertThat(phonePos.wallet().pushPending().pushed()).isZero();
      assertThat(shop.chain().requestsAdmitted(phonePos.terminal())).isEqualTo(1);
      assertThat(network.onlineParts().count(OnlinePartOutcome.COMPLETED)).isEqualTo(1);
      assertThat(network.balance(card.onlineAccount())).isEqualTo(FUNDED - LOADED - 1_500);
      assertThat(network.balance(phonePos.merchantAccount())).isEqualTo(1_500);
      assertThat(network.books().balanced()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void anAttestationRefused_neverTouchesTheCard_andNoOnlinePartIsPushed(AlgorithmSuite suite, @TempDir Path dir) {
    Shop shop = Shop.open(suite, dir, 43);
    try (WalletNetwork network = shop.network()) {
      WalletNetwork.PhonePos phonePos = shop.phonePos();
      WalletNetwork.Cardholder card = network.issueCard(suite, WalletIds.card(1), LIMITS, FUNDED);
      network.load(shop.loader(), card, LOADED).orElseThrow();
      assertThat(phonePos.wallet().purchase(2_500, card.card().tap()).approved()).isTrue(); // stored, not pushed
      io.iotpay.terminal.wallet.CardState before = io.iotpay.terminal.wallet.WalletKernel.readState(card.card().tap());

      shop.chain().suspendPhoneMerchant(phonePos.terminal(), "documents expired");
      WalletAcceptance.Payment refused = phonePos.wallet().purchase(300, card.card().tap());
      assertThat(refused.attestation().approved()).isFalse();
      assertThat(refused.outcome()).isEmpty();
      io.iotpay.terminal.wallet.CardState after = io.iotpay.terminal.wallet.WalletKernel.readState(card.card().tap());
      assertThat(after.counter()).isEqualTo(before.counter());
      assertThat(after.balanceMinor()).isEqualTo(before.balanceMinor());
      assertThat(phonePos.wallet().journal().records()).hasSize(1);

      var pass = phonePos.wallet().pushPending();
      assertThat(pass.answered()).isZero();
      assertThat(pass.stillPending()).isEqualTo(1);
      assertThat(shop.chain().requestsAdmitted(phonePos.terminal())).isZero();
      assertThat(network.onlineParts().count(OnlinePartOutcome.COMPLETED)).isZero();
      assertThat(network.balance(card.onlineAccount())).isEqualTo(FUNDED - LOADED);
      assertThat(network.books().balanced()).isTrue();
    }
  }
}

package io.iotpay.demo.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.bench.wallet.WalletIssuance;
import io.iotpay.demo.pos.WalletPartChain;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.issuer.wallet.OnlinePartOutcome;
import io.iotpay.terminal.wallet.CardDebit;
import io.iotpay.terminal.wallet.OnlinePartGateway;
import io.iotpay.terminal.wallet.PurchaseRecord;
import io.iotpay.terminal.wallet.WalletKernel;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The online part of a split purchase pushed as an ISO 8583 0200 (field 62) from the POS through
 * the acquirer and the switch to the wallet issuer, over loopback TCP with MACs, both suites.
 */
class OnlinePartIso8583Test {
  private static final WalletIssuance.Limits LIMITS = new WalletIssuance.Limits(5_000, 20_000, 3_000, 5, 3);
  private static final long FUNDED = 10_000;
  private static final long LOADED = 1_000;
  private static final long PRICE = 2_500;
  private static final long ONLINE = PRICE - LOADED;

  private record Split(WalletNetwork network, WalletPartChain chain, WalletNetwork.Pos pos,
      WalletNetwork.Cardholder card, PurchaseRecord record) {}

  private static Split split(AlgorithmSuite suite, Path dir) {
    WalletNetwork network = new WalletNetwork(dir, 21, suite);
    WalletPartChain chain = network.pushThroughScheme(1);
    WalletNetwork.Pos pos = network.openPos("kiosk", suite, WalletIds.pos(7));
    WalletNetwork.Cardholder card = network.issueCard(suite, WalletIds.card(7), LIMITS, FUNDED);
    network.load(pos, card, LOADED).orElseThrow();
    WalletKernel.Outcome outcome = pos.kernel().purchase(card.card().tap(), PRICE);
    PurchaseRecord record = ((WalletKernel.Outcome.Approved) outcome).record();
    assertThat(record.debit().onlineMinor()).isEqualTo(ONLINE);
    return new Split(network, chain, pos, card, record);
  }

  private static void assertCompletedOnce(Split s) {
    assertThat(s.pos().agent().outbox().answer(s.card().cardId(), s.record().debit().counter()))
        .contains(OnlinePartGateway.Answer.COMPLETED);
    assertThat(s.network().onlineParts().count(OnlinePartOutcome.COMPLETED)).isEqualTo(1);
    assertThat(s.network().balance(s.card().onlineAccount())).isEqualTo(FUNDED - LOADED - ONLINE);
    assertThat(s.network().balance(s.pos().merchantAccount())).isEqualTo(ONLINE);
    assertThat(s.network().books().balanced()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void splitPurchase_onlinePartCompletesThroughAcquirerAndSwitch_debitedOnce_merchantPaidAtClearing(
      AlgorithmSuite suite, @TempDir Path dir) {
    Split s = split(suite, dir);
    try (WalletNetwork network = s.network()) {
      assertThat(s.pos().agent().pushPending().stillPending()).isZero();
      assertCompletedOnce(s);

      network.endDay(java.util.Set.of()); // the offline part is cleared from the day file
      assertThat(network.balance(s.pos().merchantAccount())).isEqualTo(PRICE);
      assertThat(network.balance(s.card().onlineAccount())).isEqualTo(FUNDED - LOADED - ONLINE);
      assertThat(network.books().balanced()).isTrue();
    }
  }

  /**
   * Two cards whose online accounts hold nothing after their load, each with a linked bank account at
   * the issuer funded with 5,000: card 8's is open, card 9's blocked. Card 8's part completes from its
   * linked account through the three parties (its first 0210 lost, the repeat moves nothing), card
   * 9's fails 51 with its linked account untouched; the list written back clears card 8's pending part.
   */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void onlineAccountShort_theLinkedAccountPaysThroughTheChainOnce_aBlockedOneIsNotUsed(AlgorithmSuite suite,
      @TempDir Path dir) {
    try (WalletNetwork network = new WalletNetwork(dir, 22, suite)) {
      WalletPartChain chain = network.pushThroughScheme(1);
      WalletNetwork.Pos pos = network.openPos("kiosk", suite, WalletIds.pos(8));
      WalletNetwork.Cardholder open = network.issueCard(suite, WalletIds.card(8), LIMITS, LOADED);
      WalletNetwork.Cardholder blocked = network.issueCard(suite, WalletIds.card(9), LIMITS, LOADED);
      long openLinked = network.linkBankAccount(open, 5_000);
      long blockedLinked = network.linkBankAccount(blocked, 5_000);
      network.deposits().put(WalletNetwork.linkedAccountNumber(blockedLinked),
          io.iotpay.issuer.deposit.DepositAccounts.State.BLOCKED);
      PurchaseRecord openPart = splitAt(network, pos, open);
      PurchaseRecord blockedPart = splitAt(network, pos, blocked);

      chain.loseNextAnswer(0);
      assertThat(pos.agent().pushPending().stillPending()).isPositive();
      assertThat(pos.agent().pushPending().stillPending()).isZero();
      assertThat(chain.answersLost(0)).isEqualTo(1);
      assertThat(pos.agent().outbox().answer(open.cardId(), openPart.debit().counter()))
          .contains(OnlinePartGateway.Answer.COMPLETED);
      assertThat(pos.agent().outbox().answer(blocked.cardId(), blockedPart.debit().counter()))
          .contains(OnlinePartGateway.Answer.FAILED);
      assertThat(network.onlineParts().paidFrom(open.idHex(), openPart.debit().counter()))
          .contains(io.iotpay.issuer.wallet.OnlinePartSource.LINKED_ACCOUNT);
      assertThat(network.onlineParts().completedFrom(io.iotpay.issuer.wallet.OnlinePartSource.LINKED_ACCOUNT))
          .isEqualTo(1);
      assertThat(network.balance(open.onlineAccount())).isZero();
      assertThat(network.balance(openLinked)).isEqualTo(5_000 - ONLINE);
      assertThat(network.balance(blocked.onlineAccount())).isZero();
      assertThat(network.balance(blockedLinked)).isEqualTo(5_000);
      assertThat(network.balance(pos.merchantAccount())).isEqualTo(ONLINE);

      network.endDay(java.util.Set.of());
      assertThat(network.balance(pos.merchantAccount())).isEqualTo(2 * LOADED + ONLINE); // the offline parts cleared
      long writtenBack = pos.kernel().writeBacksApplied();
      WalletKernel.Outcome next = pos.kernel().purchase(open.card().tap(), 100); // the next tap writes the outcome back
      assertThat(pos.kernel().writeBacksApplied()).as(next.toString()).isEqualTo(writtenBack + 1);
      assertThat(network.books().balanced()).isTrue();
      network.books().closeLedger();
      assertThat(network.books().verifyAudit().verified()).isTrue();
    }
  }

  private static PurchaseRecord splitAt(WalletNetwork network, WalletNetwork.Pos pos, WalletNetwork.Cardholder card) {
    network.load(pos, card, LOADED).orElseThrow();
    WalletKernel.Outcome outcome = pos.kernel().purchase(card.card().tap(), PRICE);
    PurchaseRecord record = ((WalletKernel.Outcome.Approved) outcome).record();
    assertThat(record.debit().onlineMinor()).isEqualTo(ONLINE);
    return record;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void lost0210_thePosPushesAgain_andTheIssuerAnswersTheRepeatWithoutASecondDebit(AlgorithmSuite suite,
      @TempDir Path dir) {
    Split s = split(suite, dir);
    try (WalletNetwork network = s.network()) {
      s.chain().loseNextAnswer(0);
      assertThat(s.pos().agent().pushPending().stillPending()).isEqualTo(1);
      assertThat(s.chain().answersLost(0)).isEqualTo(1);
      assertThat(network.onlineParts().outcome(s.card().idHex(), s.record().debit().counter()))
          .contains(OnlinePartOutcome.COMPLETED); // the issuer applied it; the POS never heard

      assertThat(s.pos().agent().pushPending().stillPending()).isZero();
      assertCompletedOnce(s);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void inflatedOrForgedPart_isRefused63_andNothingMoves(AlgorithmSuite suite, @TempDir Path dir) {
    Split s = split(suite, dir);
    try (WalletNetwork network = s.network()) {
      CardDebit genuine = s.record().debit();
      CardDebit inflated = new CardDebit(genuine.cardId(), genuine.counter(), genuine.offlineMinor(),
          genuine.onlineMinor() + 500, genuine.balanceAfterMinor(), genuine.currencyNumeric(), genuine.posId(),
          genuine.posChallenge(), genuine.tac(), genuine.cardSignature());
      byte[] signature = genuine.cardSignature();
      signature[signature.length - 1] ^= 0x01;
      CardDebit forged = new CardDebit(genuine.cardId(), genuine.counter(), genuine.offlineMinor(),
          genuine.onlineMinor(), genuine.balanceAfterMinor(), genuine.currencyNumeric(), genuine.posId(),
          genuine.posChallenge(), genuine.tac(), signature);

      assertThat(s.chain().gateway(0).push(inflated)).contains(OnlinePartGateway.Answer.REFUSED);
      assertThat(s.chain().gateway(0).push(forged)).contains(OnlinePartGateway.Answer.REFUSED);
      assertThat(network.balance(s.card().onlineAccount())).isEqualTo(FUNDED - LOADED);
      assertThat(network.balance(s.pos().merchantAccount())).isZero();
      assertThat(network.onlineParts().outcome(s.card().idHex(), genuine.counter())).isEmpty();
      assertThat(network.books().balanced()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void issuerFront_a0200WhosePanOrCurrencyIsNotThePartsCard_isRefused63_andA0200WithoutAPart12(AlgorithmSuite suite,
      @TempDir Path dir) {
    Split s = split(suite, dir);
    try (WalletNetwork network = s.network();
        io.iotpay.foundation.store.Database bank =
            io.iotpay.foundation.store.Database.open("jdbc:sqlite:" + dir.resolve("bank.db"), 1)) {
      CardDebit part = s.record().debit();
      byte[] signed = java.nio.ByteBuffer.allocate(CardDebit.INPUT_LENGTH + part.cardSignature().length)
          .put(part.signatureInput()).put(part.cardSignature()).array();
      io.iotpay.protocol.Pan otherCard = io.iotpay.protocol.iso8583.WalletPartData.panOf(WalletIds.card(8));
      io.iotpay.protocol.Pan ownCard = io.iotpay.protocol.iso8583.WalletPartData.panOf(part.cardId());
      io.iotpay.issuer.wallet.WalletPartIsoIssuer front = new io.iotpay.issuer.wallet.WalletPartIsoIssuer(
          network.onlineParts(), new io.iotpay.issuer.deposit.DepositAccounts(bank, java.time.Clock.systemUTC()));

      assertThat(code(front, request(otherCard, io.iotpay.foundation.money.CurrencyUnit.CNY, signed))).isEqualTo("63");
      assertThat(code(front, request(ownCard, io.iotpay.foundation.money.CurrencyUnit.EUR, signed))).isEqualTo("63");
      assertThat(code(front, new io.iotpay.protocol.iso8583.FinancialRequest(
          request(ownCard, io.iotpay.foundation.money.CurrencyUnit.CNY, signed).transaction()))).isEqualTo("12");
      assertThat(network.onlineParts().outcome(s.card().idHex(), part.counter())).isEmpty();
      assertThat(network.balance(s.card().onlineAccount())).isEqualTo(FUNDED - LOADED);

      assertThat(code(front, request(ownCard, io.iotpay.foundation.money.CurrencyUnit.CNY, signed))).isEqualTo("00");
      assertThat(code(front, request(ownCard, io.iotpay.foundation.money.CurrencyUnit.CNY, signed))).isEqualTo("00");
      assertCompletedOnceAtTheIssuer(s);
    }
  }

  private static io.iotpay.protocol.iso8583.FinancialRequest request(io.iotpay.protocol.Pan pan,
      io.iotpay.foundation.money.CurrencyUnit currency, byte[] signed) {
    var at = io.iotpay.protocol.iso8583.MonthDayTime.utc(java.time.Instant.parse("2026-03-02T08:00:00Z"));
    return new io.iotpay.protocol.iso8583.FinancialRequest(new io.iotpay.protocol.iso8583.CardTransaction(pan,
        "000000", io.iotpay.foundation.money.Money.ofMinor(ONLINE, currency), at, 1, at,
        java.time.YearMonth.of(2099, 12), "071", null, "48020000", "WP0000000001", "WPOS0001", "WALLETPOS000000",
        null, null), new io.iotpay.protocol.iso8583.WalletPartData(signed));
  }

  private static String code(io.iotpay.issuer.wallet.WalletPartIsoIssuer front,
      io.iotpay.protocol.iso8583.Iso8583Message request) {
    return ((io.iotpay.protocol.iso8583.CardResponse) front.handle(request)).responseCode().code();
  }

  private static void assertCompletedOnceAtTheIssuer(Split s) {
    assertThat(s.network().onlineParts().count(OnlinePartOutcome.COMPLETED)).isEqualTo(1);
    assertThat(s.network().balance(s.card().onlineAccount())).isEqualTo(FUNDED - LOADED - ONLINE);
    assertThat(s.network().balance(s.pos().merchantAccount())).isEqualTo(ONLINE);
    assertThat(s.network().books().balanced()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void issuerDown_thePartStaysPendingOnThePos_noStandIn_andCompletesWhenTheIssuerIsBack(AlgorithmSuite suite,
      @TempDir Path dir) {
    Split s = split(suite, dir);
    try (WalletNetwork network = s.network()) {
      s.chain().stopIssuer();
      assertThat(s.pos().agent().pushPending().stillPending()).isEqualTo(1);
      assertThat(s.pos().agent().pushPending().stillPending()).isEqualTo(1);
      assertThat(network.onlineParts().outcome(s.card().idHex(), s.record().debit().counter())).isEmpty();
      assertThat(network.balance(s.card().onlineAccount())).isEqualTo(FUNDED - LOADED);
      s.pos().restart(); // the part is durable on the POS while it waits

      s.chain().startIssuer();
      assertThat(s.pos().agent().pushPending().stillPending()).isZero();
      assertCompletedOnce(s);
    }
  }
}

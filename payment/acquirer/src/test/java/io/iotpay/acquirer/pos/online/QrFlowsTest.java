package io.iotpay.acquirer.pos.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.acquirer.pos.qr.QrCreditHost;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.issuer.authorisation.card.QrTokenAuthorisation;
import io.iotpay.phone.pos.QrCheckout;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.qr.CpmCodec;
import io.iotpay.protocol.qr.MerchantPresentedCode;
import io.iotpay.protocol.qr.MpmCodec;
import io.iotpay.protocol.qr.MpmObject;
import io.iotpay.protocol.qr.PushCreditOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both QR flows end to end on real parts ({@link QrWorld}: jCardSim secure element, SQLite
 * stores, ledgers, ISO 8583 over loopback TCP with MACs), under both suites, with the attacks of
 * issue 16 each refused with a reason and no money moved. docs/qr.md.
 */
class QrFlowsTest {
  @TempDir Path dir;

  private static Money cny(long minor) {
    return Money.ofMinor(minor, CurrencyUnit.CNY);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void consumerCode_paysOnce_andReplayedAlteredAndExpiredCodesAreRefused(AlgorithmSuite suite) throws Exception {
    try (QrWorld qr = new QrWorld(suite, dir)) {
      OnlineWorld w = qr.world;
      String code = qr.app.paymentCode();
      assertThat(Hex.encode(Base64.getDecoder().decode(code))).doesNotContain(OnlineWorld.PAN.digits());

      QrCheckout.Outcome paid = qr.checkout.chargeConsumerCode(code, cny(1_234));
      assertThat(paid.result()).isEqualTo(QrCheckout.Result.APPROVED);
      assertThat(w.card().debitsPendingMinor()).isEqualTo(1_234);

      QrCheckout.Outcome replayed = qr.checkout.chargeConsumerCode(code, cny(1_234));
      assertRefused(qr, replayed, "05", "code used before", 1_234);

      String fresh = qr.app.paymentCode();
      QrCheckout.Outcome altered = qr.checkout.chargeConsumerCode(withCryptogramBitFlipped(fresh), cny(500));
      assertRefused(qr, altered, "05", "cryptogram does not verify", 1_234);
      // The forgery consumed nothing: the genuine code it was made from still pays.
      assertThat(qr.checkout.chargeConsumerCode(fresh, cny(500)).result()).isEqualTo(QrCheckout.Result.APPROVED);
      assertThat(w.card().debitsPendingMinor()).isEqualTo(1_734);

      String late = qr.app.paymentCode();
      w.issuerClock.advance(QrWorld.CODE_LIFETIME.plusSeconds(1));
      QrCheckout.Outcome expired = qr.checkout.chargeConsumerCode(late, cny(700));
      assertRefused(qr, expired, "54", "code expired", 1_734);

      assertThat(qr.checkout.chargeConsumerCode("not a code", cny(100)).result())
          .isEqualTo(QrCheckout.Result.REFUSED);
      assertThat(qr.tokens.decisions()).extracting(QrTokenAuthorisation.Decision::responseCode)
          .containsExactly("00", "05", "05", "00", "54");
      w.assertBooksBalance();
    }
  }

  private static void assertRefused(QrWorld qr, QrCheckout.Outcome outcome, String code, String reason,
      long pendingBefore) {
    assertThat(outcome.result()).isEqualTo(QrCheckout.Result.DECLINED);
    assertThat(outcome.responseCode()).isEqualTo(code);
    List<QrTokenAuthorisation.Decision> decisions = qr.tokens.decisions();
    assertThat(decisions.get(decisions.size() - 1).reason()).isEqualTo(reason);
    assertThat(qr.world.card().debitsPendingMinor()).isEqualTo(pendingBefore);
    assertThat(qr.world.card().debitsPostedMinor()).isZero();
  }

  /** The code with one bit of its application cryptogram (9F26) flipped, re-encoded canonically. */
  private static String withCryptogramBitFlipped(String text) {
    return CpmCodec.encode(flip(CpmCodec.decode(text).objects())).text();
  }

  private static List<Tlv> flip(List<Tlv> objects) {
    List<Tlv> out = new ArrayList<>();
    for (Tlv object : objects) {
      switch (object) {
        case Tlv.Constructed c -> out.add(new Tlv.Constructed(c.tag(), flip(c.children())));
        case Tlv.Primitive p when p.tag().equals(Tag.of(0x9F26)) -> {
          byte[] value = p.value();
          value[7] ^= 0x01;
          out.add(Tlv.primitive(p.tag(), value));
        }
        case Tlv.Primitive p -> out.add(p);
      }
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void merchantCode_pushCreditPaysOnce_andForgedCodesMoveNothing(AlgorithmSuite suite) throws Exception {
    try (QrWorld qr = new QrWorld(suite, dir)) {
      merchantCodeScenario(qr);
    }
  }

  /** The same scenario with the acquirer's tables (its QR accounts, orders and credits) on PostgreSQL. */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void merchantCode_onPostgres(AlgorithmSuite suite) throws Exception {
    try (QrWorld qr = new QrWorld(OnlineWorld.onPostgres(suite, dir), suite, dir)) {
      merchantCodeScenario(qr);
    }
  }

  private static void merchantCodeScenario(QrWorld qr) {
    OnlineWorld w = qr.world;
    Pan account = qr.qrHost.openAccount(w.merchant);
    long payable = w.host.merchantPayableAccount(w.merchant);
    MerchantPresentedCode staticCode = QrCheckout.showCode("Noodle Stall", "Shanghai", "5812", account, null, null);

    PushCreditOutcome paid = qr.app.payMerchantCode(staticCode.text(), cny(800), "pay-static-1");
    assertThat(paid.paid()).isTrue();
    PushCreditOutcome retried = qr.app.payMerchantCode(staticCode.text(), cny(800), "pay-static-1");
    assertThat(retried).isEqualTo(paid);
    assertMoved(qr, payable, 800);

    String reference = qr.qrHost.issueOrder(w.merchant, cny(2_500));
    MerchantPresentedCode order = QrCheckout.showCode("Noodle Stall", "Shanghai", "5812", account, cny(2_500),
        reference);
    String text = order.text();
    String forgedCrc = text.substring(0, text.length() - 4) + (text.endsWith("0000") ? "0001" : "0000");
    PushCreditOutcome crc = qr.app.payMerchantCode(forgedCrc, null, "pay-forged-crc");
    assertThat(crc.paid()).isFalse();
    assertThat(crc.reason()).contains("CRC").contains("tag 63");
    assertMoved(qr, payable, 800);

    PushCreditOutcome cheaper = qr.app.payMerchantCode(withAmount(order, "2.50"), null, "pay-forged-amount");
    assertThat(cheaper.paid()).isFalse();
    assertThat(cheaper.responseCode()).isEqualTo("13");
    assertThat(qr.qrHost.credits()).extracting(QrCreditHost.Credit::reason).contains("amount is not the order's");
    assertThat(qr.qrHost.orderState(reference)).contains("OPEN");
    assertMoved(qr, payable, 800);

    PushCreditOutcome changed = qr.app.payMerchantCode(text, cny(100), "pay-changed");
    assertThat(changed.responseCode()).isEqualTo("13");
    assertThat(changed.reason()).contains("cannot be changed");

    PushCreditOutcome orderPaid = qr.app.payMerchantCode(text, null, "pay-order-1");
    assertThat(orderPaid.paid()).isTrue();
    assertThat(qr.qrHost.orderState(reference)).contains("PAID");
    assertMoved(qr, payable, 3_300);

    PushCreditOutcome twice = qr.app.payMerchantCode(text, null, "pay-order-2");
    assertThat(twice.paid()).isFalse();
    assertThat(twice.responseCode()).isEqualTo("12");
    assertMoved(qr, payable, 3_300);
    w.registry.service().suspend(w.merchant, "alice", "documents to check");
    PushCreditOutcome suspended = qr.app.payMerchantCode(staticCode.text(), cny(300), "pay-suspended");
    assertThat(suspended.paid()).isFalse();
    assertThat(suspended.responseCode()).isEqualTo("58");
    assertThat(qr.qrHost.credits()).extracting(QrCreditHost.Credit::reason).contains("merchant may not take payments");
    assertMoved(qr, payable, 3_300);
    assertThat(qr.pushCredits.count("PAID")).isEqualTo(2);
    w.assertBooksBalance();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void merchantCode_acquirerUnreachable_switchDeclinesInStandIn_andThePayerGetsItBack(AlgorithmSuite suite)
      throws Exception {
    try (QrWorld qr = new QrWorld(suite, dir)) {
      Pan account = qr.qrHost.openAccount(qr.world.merchant);
      long payable = qr.world.host.merchantPayableAccount(qr.world.merchant);
      qr.qrServer.close();
      MerchantPresentedCode code = QrCheckout.showCode("Noodle Stall", "Shanghai", "5812", account, null, null);
      PushCreditOutcome outcome = qr.app.payMerchantCode(code.text(), cny(900), "pay-while-down");
      assertThat(outcome.paid()).isFalse();
      assertThat(outcome.responseCode()).isEqualTo("91");
      assertThat(qr.pushCredits.count("DECLINED")).isEqualTo(1);
      assertMoved(qr, payable, 0);
      assertThat(qr.app.payMerchantCode(code.text(), cny(900), "pay-while-down")).isEqualTo(outcome);
      assertMoved(qr, payable, 0);
      qr.world.assertBooksBalance();
    }
  }

  /**
   * The cardholder's account lost exactly {@code minor} (posted), and the acquirer owes the merchant
   * exactly that in CREDITED push credits, to be paid with the next payout (QrSettlementTest): its
   * payable account has nothing yet.
   */
  private static void assertMoved(QrWorld qr, long payable, long minor) {
    long givenBack = qr.world.card().creditsPostedMinor() - OnlineWorld.CARD_FUNDS;
    assertThat(qr.world.card().debitsPostedMinor() - givenBack).isEqualTo(minor);
    assertThat(qr.qrHost.credits().stream().filter(c -> c.state().equals("CREDITED"))
        .mapToLong(QrCreditHost.Credit::amountMinor).sum()).isEqualTo(minor);
    assertThat(qr.world.acquirerAccount(payable).creditBalanceMinor()).isZero();
  }

  /** An attacker's copy of a dynamic code with another amount and the CRC recomputed (MpmCodec.encode does). */
  private static String withAmount(MerchantPresentedCode code, String amount) {
    List<MpmObject> objects = new ArrayList<>();
    for (MpmObject object : code.objects()) {
      if (object.id().equals("63")) {
        continue;
      }
      objects.add(object.id().equals("54") ? new MpmObject.Primitive("54", amount) : object);
    }
    return MpmCodec.encode(objects).text();
  }
}

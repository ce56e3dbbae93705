package io.iotpay.demo.pos;

import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.qr.QrCreditHost;
import io.iotpay.bench.pos.QrTokenChip;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.issuer.authorisation.card.QrTokenAuthorisation;
import io.iotpay.issuer.qr.PushCreditService;
import io.iotpay.phone.pos.PosSdk;
import io.iotpay.phone.pos.QrCheckout;
import io.iotpay.phone.wallet.IssuerApp;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.ZoneKeys;
import io.iotpay.protocol.qr.MerchantPresentedCode;
import io.iotpay.protocol.qr.PushCreditOutcome;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.switching.online.AcquirerEndpoint;
import io.iotpay.switching.online.IssuerEndpoint;
import io.iotpay.switching.online.OnlineSwitch;
import io.iotpay.switching.online.OnlineSwitchConfig;
import io.iotpay.switching.online.StandInLimits;
import io.iotpay.switching.online.StoreKeys;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * QR payments in the POS demo (docs/qr.md): per issuer one cardholder's issuer app with a payment
 * token in a jCardSim secure element and the issuer's push-credit service; the acquirer's QR credit
 * host behind its own ISO 8583 server; the switch's push-credit node (an {@link OnlineSwitch} on its
 * own database file in the switch's directory) that routes credits from the issuers to the acquirer
 * by the merchants' QR account range; consumer-presented codes are scanned by the phone merchants'
 * acquiring SDKs ({@link PosSdk#chargeConsumerCode}: attested, journaled, on the phone's durable link).
 */
final class QrNode implements AutoCloseable {
  static final String ACCOUNT_PREFIX = "629999";
  static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
  private static final long PUSH_LOG_WAIT_MS = 20_000;
  private static final String SWITCH_INSTITUTION = "49990000";

  /** A merchant that shows merchant-presented codes: its id at the acquirer and its name. */
  record Shop(MerchantId merchant, String name) {}

  private record Wallet(IssuerApp app, Iso8583Client link) {}

  final QrCreditHost credits;
  private final Iso8583Server creditServer;
  private final OnlineSwitch pushSwitch;
  private final List<Wallet> wallets = new ArrayList<>();
  private final ManualBusinessClock clock;

  /** @param cardholders one card per issuer, in the issuers' order, whose holder gets the issuer app */
  QrNode(SwitchNode scheme, List<IssuerNode> issuers, List<Pan> cardholders, AcquirerNode acquirer,
      ManualBusinessClock clock, Iso8583Wire wire) throws IOException {
    this.clock = clock;
    credits = new QrCreditHost(new QrCreditHost.Config(ACCOUNT_PREFIX, CurrencyUnit.CNY), acquirer.books.database,
        QrCreditHost.activatedIn(acquirer.registry.service()));
    ZoneKeys creditLink = Links.zoneKeys(AlgorithmSuite.NATIONAL);
    creditServer = new Iso8583Server(Links.settings(AcquirerNode.INSTITUTION, "ACQQR001",
        Links.SWITCH_TO_ISSUER_TIMEOUT_MS), creditLink, credits, wire).start(Links.loopback(0));
    List<AcquirerEndpoint> originators = new ArrayList<>();
    List<ZoneKeys> issuerLinks = new ArrayList<>();
    for (IssuerNode issuer : issuers) {
      issuerLinks.add(Links.zoneKeys(issuer.suite));
      originators.add(new AcquirerEndpoint(issuer.id, Links.loopback(0), Links.settings(SWITCH_INSTITUTION, "SWITCH02",
          Links.TERMINAL_TO_ACQUIRER_TIMEOUT_MS), issuerLinks.get(issuerLinks.size() - 1)));
    }
    // The acquirer's QR host is the node's receiving endpoint under the acquirer's own id: it settles as one.
    pushSwitch = new OnlineSwitch(OnlineSwitchConfig.defaults(originators, List.of(new IssuerEndpoint(AcquirerNode.ID,
        Links.loopback(creditServer.port()), Links.settings(SWITCH_INSTITUTION, "SWITCH02",
            Links.SWITCH_TO_ISSUER_TIMEOUT_MS), creditLink, Links.STAND_IN_AFTER_MS, StandInLimits.none(CurrencyUnit.CNY))),
        List.of(new CardRange(ACCOUNT_PREFIX, AcquirerNode.ID)), new StoreKeys(AlgorithmSuite.NATIONAL,
            Links.randomKey(), Links.randomKey(), Links.randomKey())), scheme.pushDb, wire).start();
    for (int i = 0; i < issuers.size(); i++) {
      IssuerNode issuer = issuers.get(i);
      String prefix = issuer.rangePrefix + "99";
      QrTokenAuthorisation tokens = issuer.service.enableQrTokens(prefix, CODE_LIFETIME);
      Pan token = Pan.withCheckDigit(prefix + "0".repeat(14 - prefix.length()) + "1");
      tokens.register(token, cardholders.get(i), IssuerNode.IMK_LABEL, IssuerNode.CARD_EXPIRY);
      Iso8583Client link = new Iso8583Client(Links.loopback(pushSwitch.port(issuer.id)), Links.settings(
          "4999100" + i, "ISSQR00" + i, Links.TERMINAL_TO_ACQUIRER_TIMEOUT_MS), issuerLinks.get(i), wire);
      PushCreditService push = new PushCreditService(issuer.books.database, issuer.books.ledger, tokens, link,
          "4999100" + i, IssuerNode.SETTLEMENT, clock.asJavaClock());
      QrTokenChip se = new QrTokenChip(issuer.suite, issuer.tokenKey(token));
      wallets.add(new Wallet(new IssuerApp(se.channel(), token, IssuerNode.CARD_EXPIRY, push::pay, clock.asJavaClock()),
          link));
    }
  }

  /**
   * One day's QR payments: per shop one consumer-presented payment (a phone merchant's SDK, the
   * phones in turn, scans a cardholder's one-time code) and one merchant-presented one at the shop (a
   * static code on odd days, a dynamic code for an order on even days). On day 1 a scanned code is
   * scanned again (replay) and a code is scanned after its lifetime (expired): both must be declined.
   * What did not go as expected is a note.
   */
  void runDay(int day, List<Shop> shops, List<PosSdk> phones, Random random, List<String> notes) {
    for (int m = 0; m < shops.size(); m++) {
      Shop shop = shops.get(m);
      IssuerApp app = wallets.get((m + day) % wallets.size()).app();
      PosSdk phone = phones.get(m % phones.size());
      Money amount = Money.ofMinor(300 + random.nextInt(50) * 100L, CurrencyUnit.CNY);
      String code = app.paymentCode();
      expect(phone.chargeConsumerCode(code, amount), "00", "a consumer-presented payment", notes);
      if (day == 1 && m == 0) {
        expect(phone.chargeConsumerCode(code, amount), "05", "a replayed consumer-presented code", notes);
        String late = app.paymentCode();
        clock.advance(CODE_LIFETIME.plusSeconds(1));
        expect(phone.chargeConsumerCode(late, amount), "54", "an expired consumer-presented code", notes);
      }
      Pan account = credits.openAccount(shop.merchant());
      boolean dynamic = day % 2 == 0;
      String reference = dynamic ? credits.issueOrder(shop.merchant(), amount) : null;
      MerchantPresentedCode shown = QrCheckout.showCode(shop.name(), "Shanghai", "5812", account,
          dynamic ? amount : null, reference);
      PushCreditOutcome paid = app.payMerchantCode(shown.text(), dynamic ? null : amount, "d" + day + "-m" + m);
      if (!paid.paid()) {
        notes.add("a merchant-presented payment was not paid: " + paid.responseCode() + " " + paid.reason());
      }
    }
  }

  private static void expect(PosSdk.QrPayment payment, String code, String what, List<String> notes) {
    QrCheckout.Outcome outcome = payment.outcome();
    if (!outcome.responseCode().equals(code)) {
      notes.add(what + " ended " + outcome.responseCode() + " (" + outcome.reason() + "), expected " + code);
    }
  }

  /** Writes the push-credit node's message log out, so the settlement run reads every credit answered so far. */
  void flushLog() throws InterruptedException {
    if (!pushSwitch.flushLog(PUSH_LOG_WAIT_MS)) {
      throw new IllegalStateException("the push-credit node's message log was not written in time");
    }
  }

  @Override
  public void close() {
    wallets.forEach(w -> w.link().close());
    pushSwitch.close();
    creditServer.close();
  }
}

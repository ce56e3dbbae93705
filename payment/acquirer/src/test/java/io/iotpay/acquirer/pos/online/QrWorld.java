package io.iotpay.acquirer.pos.online;

import static io.iotpay.acquirer.pos.online.OnlineWorld.WIRE;
import static io.iotpay.acquirer.pos.online.OnlineWorld.loopback;

import io.iotpay.acquirer.pos.qr.QrCreditHost;
import io.iotpay.card.se.QrTokenApplet;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.authorisation.card.QrTokenAuthorisation;
import io.iotpay.issuer.qr.PushCreditService;
import io.iotpay.phone.pos.QrCheckout;
import io.iotpay.phone.wallet.IssuerApp;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.switching.online.AcquirerEndpoint;
import io.iotpay.switching.online.IssuerEndpoint;
import io.iotpay.switching.online.OnlineSwitch;
import io.iotpay.switching.online.OnlineSwitchConfig;
import io.iotpay.switching.online.StandInLimits;
import io.iotpay.switching.online.StoreKeys;
import io.iotpay.terminal.pos.Iso8583OnlineAuthoriser;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;

/**
 * {@link OnlineWorld} with QR payments on real parts: the issuer's token vault and push-credit
 * service, the acquirer's QR credit host behind its own ISO 8583 server, a switch node that routes
 * push credits from the issuer to the acquirer by the merchant's QR account range, the cardholder's
 * issuer app with the payment-token applet in a jCardSim secure element, and the merchant SDK's
 * QR checkout on the world's terminal link.
 */
final class QrWorld implements AutoCloseable {
  static final String TOKEN_PREFIX = "62123499";
  static final Pan TOKEN = Pan.withCheckDigit("621234990000001");
  static final String QR_ACCOUNT_PREFIX = "629999";
  static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
  /** The acquirer's QR credit host as the push-credit node's receiving endpoint: the acquirer itself, so it settles as one. */
  static final PartyId ACQUIRER_QR = OnlineWorld.ACQUIRER;
  static final String ISSUER_INSTITUTION = "99990000";

  final OnlineWorld world;
  final QrTokenAuthorisation tokens;
  final QrCreditHost qrHost;
  final Iso8583Server qrServer;
  final Database pushSwitchDb;
  final OnlineSwitch pushSwitch;
  final Iso8583Client issuerPushLink;
  final PushCreditService pushCredits;
  final PhoneParts.Chip se = new PhoneParts.Chip();
  final IssuerApp app;
  final QrCheckout checkout;

  QrWorld(AlgorithmSuite suite, Path dir) throws Exception {
    this(OnlineWorld.onSqlite(suite, dir), suite, dir);
  }

  /** On {@code world}, e.g. {@link OnlineWorld#onPostgres} (the acquirer's tables, QR ones included, on PostgreSQL). */
  QrWorld(OnlineWorld world, AlgorithmSuite suite, Path dir) throws Exception {
    this.world = world;
    tokens = world.issuer.enableQrTokens(TOKEN_PREFIX, CODE_LIFETIME);
    tokens.register(TOKEN, OnlineWorld.PAN, "imk-ac", YearMonth.of(2029, 12));
    qrHost = new QrCreditHost(new QrCreditHost.Config(QR_ACCOUNT_PREFIX, CurrencyUnit.CNY), world.acquirerDb,
        QrCreditHost.activatedIn(world.registry.service()));
    qrServer = new Iso8583Server(LinkSettings.defaults(OnlineWorld.INSTITUTION, "ACQQR001").withEchoIntervalMs(0),
        world.zoneKeys(5), qrHost, WIRE).start(loopback(0));
    pushSwitchDb = Database.open("jdbc:sqlite:" + dir.resolve("switch-push.db"), 4);
    StoreKeys storeKeys = new StoreKeys(suite, SecretKeyBytes.fromHex("A1A1A2A3A4A5A6A7A8A9AAABACADAEAF"),
        SecretKeyBytes.fromHex("B1B1B2B3B4B5B6B7B8B9BABBBCBDBEBF"),
        SecretKeyBytes.fromHex("C1C1C2C3C4C5C6C7C8C9CACBCCCDCECF"));
    IssuerEndpoint toAcquirer = new IssuerEndpoint(ACQUIRER_QR, loopback(qrServer.port()),
        LinkSettings.defaults(ISSUER_INSTITUTION, "SWITCH02").withRequestTimeoutMs(10_000).withEchoIntervalMs(0),
        world.zoneKeys(5), 2_000, StandInLimits.none(CurrencyUnit.CNY));
    AcquirerEndpoint fromIssuer = new AcquirerEndpoint(OnlineWorld.ISSUER, loopback(0),
        LinkSettings.defaults(ISSUER_INSTITUTION, "SWITCH02"), world.zoneKeys(4));
    pushSwitch = new OnlineSwitch(OnlineSwitchConfig.defaults(List.of(fromIssuer), List.of(toAcquirer),
        List.of(new CardRange(QR_ACCOUNT_PREFIX, ACQUIRER_QR)), storeKeys), pushSwitchDb, WIRE).start();
    issuerPushLink = new Iso8583Client(loopback(pushSwitch.port(OnlineWorld.ISSUER)),
        LinkSettings.defaults(ISSUER_INSTITUTION, "ISSQR001").withRequestTimeoutMs(5_000).withEchoIntervalMs(0),
        world.zoneKeys(4), WIRE);
    pushCredits = new PushCreditService(world.issuerDb, world.issuerLedger, tokens, issuerPushLink, ISSUER_INSTITUTION,
        OnlineWorld.ISSUER_SETTLEMENT, world.issuerClock.asJavaClock());
    SecretKeyBytes tokenKey = EmvKeyDerivation.cardMasterKey(suite, world.imk, TOKEN.digits(), "00");
    se.install(IssuerApp.TOKEN_APPLET_AID, QrTokenApplet.class,
        PhoneParts.concat(new byte[] {suite == AlgorithmSuite.INTERNATIONAL ? (byte) 1 : (byte) 2}, tokenKey.value()));
    app = new IssuerApp(se.channel(), TOKEN, YearMonth.of(2029, 12), pushCredits::pay, world.issuerClock.asJavaClock());
    checkout = new QrCheckout(new Iso8583OnlineAuthoriser(world.terminal, OnlineWorld.INSTITUTION, world.acquirerClock),
        world.terminalId, "MERCHANT0000001", 900_000);
  }

  @Override
  public void close() {
    closeQrParts();
    world.close();
  }

  /** Closes what this adds to the world, not the world (for a world another harness owns, e.g. {@link PhoneWorld}). */
  void closeQrParts() {
    issuerPushLink.close();
    pushSwitch.close();
    pushSwitchDb.close();
    qrServer.close();
  }
}

package io.iotpay.bench.pos;

import io.iotpay.acquirer.pos.AcquirerPosServer;
import io.iotpay.bench.auth.AuthBench;
import io.iotpay.acquirer.pos.merchant.InMemorySettlementAccountCheck;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.merchant.Registration;
import io.iotpay.acquirer.pos.merchant.SettlementAccount;
import io.iotpay.acquirer.pos.online.AcquirerHost;
import io.iotpay.acquirer.pos.online.AcquirerHostConfig;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.RecordSeal;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyUsage;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.authorisation.card.CardAuthorisationService;
import io.iotpay.issuer.authorisation.card.QrTokenAuthorisation;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.phone.pos.QrCheckout;
import io.iotpay.phone.wallet.IssuerApp;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.ZoneKeys;
import io.iotpay.protocol.qr.PushCreditOutcome;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.switching.online.AcquirerEndpoint;
import io.iotpay.switching.online.IssuerEndpoint;
import io.iotpay.switching.online.OnlineSwitch;
import io.iotpay.switching.online.OnlineSwitchConfig;
import io.iotpay.switching.online.StandInLimits;
import io.iotpay.switching.online.StoreKeys;
import io.iotpay.terminal.pos.Iso8583OnlineAuthoriser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The consumer-presented QR chain of {@link QrBench}, in one JVM on loopback TCP: the issuer's card
 * host with its QR token path (SQLite, ledger, software key custody), the online switch, the
 * acquirer's merchant registry and online host (SQLite, ledger), and the merchant SDK's
 * {@link QrCheckout} on a terminal link; the cardholders' issuer apps hold tokens in jCardSim
 * secure elements ({@link QrTokenChip}). Every ISO 8583 link is MACed under its own zone keys.
 */
final class QrChain implements AutoCloseable {
  static final String TOKEN_PREFIX = "62123499";
  static final long CARD_ACCOUNT = 100;
  private static final long FUNDING = 10;
  private static final long SETTLEMENT = 20;
  private static final long STAND_IN = 30;
  private static final PartyId ISSUER = PartyId.of("ISS1");
  private static final PartyId ACQUIRER = PartyId.of("ACQ1");
  private static final String INSTITUTION = "48020000";
  private static final String IMK = "imk-ac";
  private static final YearMonth EXPIRY = YearMonth.of(2030, 12);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final List<AutoCloseable> open = new ArrayList<>();
  final Ledger issuerLedger;
  final Ledger acquirerLedger;
  final List<IssuerApp> apps = new ArrayList<>();
  final QrCheckout checkout;

  QrChain(AlgorithmSuite suite, Path dir, int tokens) throws Exception {
    Iso8583Wire wire = Iso8583Wire.load();
    SecretKeyBytes imk = key();
    Database issuerDb = keep(Database.open("jdbc:sqlite:" + dir.resolve("issuer.db"), 4));
    issuerLedger = keep(Ledger.open(issuerDb, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none()));
    List<Account> accounts = new ArrayList<>(List.of(Account.of(FUNDING, 1, CurrencyUnit.CNY),
        Account.of(SETTLEMENT, 1, CurrencyUnit.CNY), Account.of(STAND_IN, 1, CurrencyUnit.CNY)));
    for (int i = 1; i <= tokens; i++) {
      accounts.add(new Account(CARD_ACCOUNT + i, 1, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
    }
    issuerLedger.createAccounts(accounts).join();
    SoftwareKeyCustody custody = keep(SoftwareKeyCustody.open(dir.resolve("custody"), suite,
        new SecretKeyBytes(new byte[suite == AlgorithmSuite.INTERNATIONAL ? 32 : 16])));
    custody.importClear(IMK, suite, KeyUsage.ISSUER_MASTER, imk);
    CardAuthorisationService issuer = new CardAuthorisationService(issuerDb, issuerLedger, custody,
        new CardAuthorisationService.Config(SETTLEMENT, STAND_IN, 7 * 86_400_000L, key().value(), null),
        Clock.systemUTC());
    QrTokenAuthorisation vault = issuer.enableQrTokens(TOKEN_PREFIX, Duration.ofSeconds(60));
    // One cardholder per token, each with a card and a funded account (the card's day totals are per card).
    for (int i = 1; i <= tokens; i++) {
      issuerLedger.submit(List.of(Transfer.single(i, FUNDING, CARD_ACCOUNT + i, 1_000_000_000_000L))).join();
      Pan card = Pan.withCheckDigit(String.format("621234567%06d", i));
      issuer.registerCard(card, 1, EXPIRY, IMK, CARD_ACCOUNT + i, Integer.MAX_VALUE, Long.MAX_VALUE / 4);
      Pan token = Pan.withCheckDigit(TOKEN_PREFIX + String.format("%07d", i));
      vault.register(token, card, IMK, EXPIRY);
      QrTokenChip se = new QrTokenChip(suite, EmvKeyDerivation.cardMasterKey(suite, imk, token.digits(), "00"));
      apps.add(new IssuerApp(se.channel(), token, EXPIRY,
          order -> new PushCreditOutcome(false, "12", "no push credits in this bench"), Clock.systemUTC()));
    }
    ZoneKeys issuerLink = zoneKeys(suite);
    ZoneKeys acquirerLink = zoneKeys(suite);
    Iso8583Server issuerServer = keep(new Iso8583Server(link("11110000", "ISSUER01", 10_000), issuerLink, issuer, wire)
        .start(loopback(0)));
    Database switchDb = keep(Database.open("jdbc:sqlite:" + dir.resolve("switch.db"), 4));
    OnlineSwitch online = keep(new OnlineSwitch(OnlineSwitchConfig.defaults(
        List.of(new AcquirerEndpoint(ACQUIRER, loopback(0), link("99990000", "SWITCH01", 10_000), acquirerLink)),
        List.of(new IssuerEndpoint(ISSUER, loopback(issuerServer.port()), link("99990000", "SWITCH01", 10_000),
            issuerLink, IssuerEndpoint.STAND_IN_AFTER_MS_DEFAULT, StandInLimits.none(CurrencyUnit.CNY))),
        List.of(new CardRange("621234", ISSUER)), new StoreKeys(suite, key(), key(), key())), switchDb, wire).start());
    AcquirerPosServer registry = keep(AcquirerPosServer.start(new AcquirerPosServer.Settings("jdbc:sqlite:"
        + dir.resolve("registry.db"), "127.0.0.1", 0, suite, dir.resolve("registry-keys"), null, Set.of("5812"),
        Map.of("bench", "bench-operator-token-0123456789abcdef"),
        new InMemorySettlementAccountCheck().open("10200000", "6222000011112222"))));
    OnboardingService onboarding = registry.service();
    MerchantId merchant = onboarding.register("bench-qr-1", new Registration("Bench Stall", "91310000MA1K000001",
        "110105194912310021", "5812", "1 Bench Road", new SettlementAccount("10200000", "6222000011112222")))
        .merchant().id();
    String terminalId = onboarding.enrol(merchant, suite, csr(suite)).terminal().id().value();
    Database acquirerDb = keep(Database.open("jdbc:sqlite:" + dir.resolve("acquirer.db"), 4));
    acquirerLedger = keep(Ledger.open(acquirerDb, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none()));
    ZoneKeys terminalLink = zoneKeys(suite);
    AcquirerHost host = keep(new AcquirerHost(new AcquirerHostConfig(ACQUIRER, INSTITUTION,
        loopback(online.port(ACQUIRER)), link(INSTITUTION, "ACQNODE1", 10_000), acquirerLink, loopback(0),
        link(INSTITUTION, "ACQTERM0", 15_000), terminalLink, new RecordSeal(suite, key(), key()), CurrencyUnit.CNY, 7,
        1, 2, 1_000, 1_000_000, 60, 50, 400), acquirerDb, acquirerLedger, onboarding, Clock.systemUTC()).start());
    Iso8583Client terminal = keep(new Iso8583Client(loopback(host.terminalPort()), link(INSTITUTION, terminalId,
        15_000), terminalLink, wire));
    terminal.connect();
    checkout = new QrCheckout(new Iso8583OnlineAuthoriser(terminal, INSTITUTION, Clock.systemUTC()), terminalId,
        "MERCHANT0000001", 1);
  }

  /** What the issuer holds on the cardholders' accounts now. */
  long heldMinor() {
    long held = 0;
    for (int i = 1; i <= apps.size(); i++) {
      held += issuerLedger.balance(CARD_ACCOUNT + i).orElseThrow().debitsPendingMinor();
    }
    return held;
  }

  /** Both ledgers: debits equal credits, pending and posted. */
  boolean booksBalance() {
    return AuthBench.booksBalance(issuerLedger) && AuthBench.booksBalance(acquirerLedger);
  }

  static Money cny(long minor) {
    return Money.ofMinor(minor, CurrencyUnit.CNY);
  }

  private <T extends AutoCloseable> T keep(T closeable) {
    open.add(0, closeable);
    return closeable;
  }

  private static SecretKeyBytes key() {
    byte[] k = new byte[16];
    RANDOM.nextBytes(k);
    return new SecretKeyBytes(k);
  }

  private static ZoneKeys zoneKeys(AlgorithmSuite suite) {
    return new ZoneKeys(suite, key(), key(), 30_000);
  }

  private static LinkSettings link(String institution, String node, long timeoutMs) {
    return LinkSettings.defaults(institution, node).withEchoIntervalMs(0).withRequestTimeoutMs(timeoutMs);
  }

  private static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  private static byte[] csr(AlgorithmSuite suite) throws Exception {
    var keys = suite.signature().generateKeyPair(RANDOM);
    String algorithm = suite == AlgorithmSuite.NATIONAL ? "SM3withSM2" : "SHA256withECDSA";
    return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=pos"), keys.getPublic())
        .build(new JcaContentSignerBuilder(algorithm).setProvider(new BouncyCastleProvider()).build(keys.getPrivate()))
        .getEncoded();
  }

  @Override
  public void close() {
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        // Tearing down a bench chain: the first failure must not keep the rest open.
        System.getLogger(QrChain.class.getName()).log(System.Logger.Level.WARNING, "close failed: " + e.getMessage());
      }
    }
  }
}

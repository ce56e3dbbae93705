package io.iotpay.demo.pos;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.issuer.wallet.WalletPartIsoIssuer;
import io.iotpay.phone.pos.DeviceSensors;
import io.iotpay.phone.pos.HttpAcquirerClient;
import io.iotpay.phone.pos.PosSdk;
import io.iotpay.phone.pos.SecureElement;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.WalletPartData;
import io.iotpay.protocol.iso8583.ZoneKeys;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.switching.online.AcquirerEndpoint;
import io.iotpay.switching.online.IssuerEndpoint;
import io.iotpay.switching.online.OnlineSwitch;
import io.iotpay.switching.online.OnlineSwitchConfig;
import io.iotpay.switching.online.StandInLimits;
import io.iotpay.switching.online.StoreKeys;
import io.iotpay.terminal.wallet.Iso8583OnlinePartGateway;
import io.iotpay.terminal.wallet.OnlinePartGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The wallet's online parts through the card scheme's online parties, in one process over loopback
 * TCP with MACs: each wallet POS is an enrolled terminal of the {@link AcquirerNode} (a
 * {@link DropProxy} between them to lose answers), the {@link OnlineSwitch} routes the wallet range
 * ({@link WalletPartData#RANGE_PREFIX}) to the wallet issuer, whose {@link Iso8583Server} answers with
 * {@link WalletPartIsoIssuer}. The issuer can be stopped and started again on its port.
 */
public final class WalletPartChain implements AutoCloseable {
  /** The wallet issuer's party id at the switch. */
  public static final PartyId ISSUER = PartyId.of("WISS");
  /** The wallet issuer's institution id as a bank (the merchants' bank, and the cardholders' linked accounts'). */
  public static final String ISSUER_BANK = MerchantDesk.BANK;
  /** Stand-in limits the switch's config requires; a wallet part is never stood in for, whatever they are. */
  private static final StandInLimits LIMITS = new StandInLimits(Money.ofMinor(0, CurrencyUnit.CNY),
      Money.ofMinor(0, CurrencyUnit.CNY), Money.ofMinor(0, CurrencyUnit.CNY));

  /**
   * A wallet POS's wait on the acquirer: longer than the acquirer's own wait on the switch
   * ({@link Links#ACQUIRER_TO_SWITCH_TIMEOUT_MS}), so an unanswered part comes back as 91 rather than
   * a timeout; shorter than a card terminal's, since a part that gets no answer simply waits for the
   * next push.
   */
  static final long TERMINAL_TIMEOUT_MS = 5_000;

  private final Iso8583Wire wire = Iso8583Wire.load();
  private final WalletPartIsoIssuer issuer;
  private final ZoneKeys issuerLink;
  private final Database switchDb;
  private final OnlineSwitch online;
  private final AcquirerNode acquirer;
  private final List<DropProxy> proxies = new ArrayList<>();
  private final List<Iso8583Client> clients = new ArrayList<>();
  private final List<OnlinePartGateway> gateways = new ArrayList<>();
  private Iso8583Server issuerServer;
  private int issuerPort;

  /**
   * @param terminals how many POSes: one enrolled terminal (and merchant) each
   * @param issuerSuite the suite of the switch–issuer link's MACs
   */
  public WalletPartChain(Path dir, BusinessClock clock, int terminals, WalletPartIsoIssuer issuer,
      AlgorithmSuite issuerSuite) {
    this.issuer = issuer;
    this.issuerLink = Links.zoneKeys(issuerSuite);
    startIssuer();
    ZoneKeys acquirerLink = Links.zoneKeys(AlgorithmSuite.NATIONAL);
    OnlineSwitchConfig config = OnlineSwitchConfig.defaults(
        List.of(new AcquirerEndpoint(AcquirerNode.ID, Links.loopback(0),
            Links.settings("49990000", "SWITCH01", Links.TERMINAL_TO_ACQUIRER_TIMEOUT_MS), acquirerLink)),
        List.of(new IssuerEndpoint(ISSUER, Links.loopback(issuerPort),
            Links.settings("49990000", "SWITCH01", Links.SWITCH_TO_ISSUER_TIMEOUT_MS), issuerLink,
            Links.STAND_IN_AFTER_MS, LIMITS)),
        List.of(new CardRange(WalletPartData.RANGE_PREFIX, ISSUER)),
        new StoreKeys(AlgorithmSuite.NATIONAL, Links.randomKey(), Links.randomKey(), Links.randomKey()))
        .withInstitutions(Map.of(MerchantDesk.BANK, ISSUER)); // the wallet issuer is the merchants' bank: the penny test
    MerchantDesk.openAccounts(issuer.deposits(), terminals);
    try {
      java.nio.file.Files.createDirectories(dir.resolve("acquirer"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    this.switchDb = Database.open("jdbc:sqlite:" + dir.resolve("switch.db"), 4);
    try {
      this.online = new OnlineSwitch(config, switchDb, wire).start();
    } catch (IOException e) {
      throw new UncheckedIOException("switch cannot listen", e);
    }
    this.acquirer = new AcquirerNode(dir.resolve("acquirer"), clock, online.port(AcquirerNode.ID), acquirerLink,
        terminals, new PinKeys(AlgorithmSuite.NATIONAL));
    for (AcquirerNode.Merchant merchant : acquirer.merchants) {
      openTerminal(merchant.terminalId(), clock);
    }
  }

  private void openTerminal(String terminalId, BusinessClock clock) {
    try {
      DropProxy proxy = new DropProxy(acquirer.terminalPort());
      proxies.add(proxy);
      Iso8583Client client = new Iso8583Client(Links.loopback(proxy.port()),
          Links.settings(AcquirerNode.INSTITUTION, terminalId, TERMINAL_TIMEOUT_MS),
          acquirer.terminalLink, wire);
      clients.add(client);
      gateways.add(new Iso8583OnlinePartGateway(client, AcquirerNode.INSTITUTION, terminalId, "WALLETPOS000000",
          clock.asJavaClock()));
    } catch (IOException e) {
      throw new UncheckedIOException("terminal link cannot open", e);
    }
  }

  /** A wallet merchant's phone enrolled as a terminal of the acquirer through the acquiring SDK (over HTTP). */
  public record PhoneTerminal(String terminalId, String merchantId, HttpAcquirerClient acquirer) {}

  private static final int PHONE_LAT = 31_230_400;
  private static final int PHONE_LON = 121_473_700;
  private int phones;

  /**
   * The next wallet merchant (in the order of the POSes' terminals) enrols its phone with {@code se}
   * as a second terminal ({@link PosSdk#enrol} over the acquirer's HTTP API: key
   * pair made in the SE, certificate from the acquirer). The phone's requests pass the acquirer's
   * terminal risk sensing: each needs a fresh attestation.
   *
   * @throws IllegalStateException when every merchant has its phone already
   */
  public PhoneTerminal enrolPhone(Path sdkDir, SecureElement se, AlgorithmSuite suite) {
    if (phones >= acquirer.merchants.size()) {
      throw new IllegalStateException("the chain's " + acquirer.merchants.size() + " merchants have their phones");
    }
    AcquirerNode.Merchant merchant = acquirer.merchants.get(phones++);
    HttpAcquirerClient client = acquirer.desk.client(merchant.signed(), suite);
    String terminalId = PosSdk.enrol(sdkDir, suite, se, client).terminalId();
    acquirer.phoneTerminals.add(terminalId);
    return new PhoneTerminal(terminalId, merchant.id().value(), client);
  }

  /**
   * Opens (or, after the app was killed, opens again) the enrolled phone's SDK on its directory, with
   * a new ISO 8583 link to the acquirer's terminal port; its sensors read the genuine SDK build.
   */
  public PosSdk openPhone(PhoneTerminal phone, Path sdkDir, SecureElement se,
      java.time.Clock clock) {
    Iso8583Client link = new Iso8583Client(Links.loopback(acquirer.terminalPort()),
        Links.settings(AcquirerNode.INSTITUTION, phone.terminalId(), TERMINAL_TIMEOUT_MS), acquirer.terminalLink, wire);
    return PosSdk.open(new PosSdk.Options(sdkDir, AcquirerNode.INSTITUTION,
        "WALLETPHONE0000", 1, 0, config -> config), se, link, phone.acquirer(),
        DeviceSensors.fixed(PhoneTills.GENUINE_BUILD, 0, PHONE_LAT, PHONE_LON), clock);
  }

  /**
   * The requests of {@code phone} the acquirer's risk sensing admitted ({@code risk_admission}): each
   * 0200 that reached the acquirer with a fresh attestation, a repeat of the same STAN counted once.
   */
  public long requestsAdmitted(PhoneTerminal phone) {
    Assert.that(phone.terminalId().matches("[0-9]{8}"), "terminal id of 8 digits");
    return acquirer.riskCount("SELECT COUNT(*) FROM risk_admission WHERE terminal_id = '" + phone.terminalId() + "'");
  }

  /** The attestations of {@code phone} the acquirer's risk sensing approved ({@code risk_event}). */
  public long attestationsApproved(PhoneTerminal phone) {
    Assert.that(phone.terminalId().matches("[0-9]{8}"), "terminal id of 8 digits");
    return acquirer.riskCount("SELECT COUNT(*) FROM risk_event WHERE stage = 'ATTESTATION' AND outcome = 'APPROVE'"
        + " AND terminal_id = '" + phone.terminalId() + "'");
  }

  /**
   * The acquirer's operator suspends the phone's merchant over the API: its attestations are refused
   * from now on (and its counter-top terminal may not transact either).
   */
  public void suspendPhoneMerchant(PhoneTerminal phone, String reason) {
    acquirer.desk.operator("/v1/pos/merchants/" + phone.merchantId() + "/suspend", reason);
  }

  /** The gateway of terminal {@code index} (0-based, in the order the POSes were opened). */
  public OnlinePartGateway gateway(int index) {
    return gateways.get(index);
  }

  public int terminals() {
    return gateways.size();
  }

  /**
   * The next answer the acquirer sends terminal {@code index} is lost on the way (the terminal signs
   * on first, so the lost frame is an answer to a wallet part, not the sign-on's).
   */
  public void loseNextAnswer(int index) {
    try {
      clients.get(index).connect();
    } catch (IOException e) {
      throw new UncheckedIOException("terminal " + index + " cannot sign on", e);
    }
    proxies.get(index).dropNextResponse();
  }

  /** Answers lost on the way to terminal {@code index}. */
  public long answersLost(int index) {
    return proxies.get(index).dropped();
  }

  /** Answers lost on the way to every terminal. */
  public long answersLost() {
    return proxies.stream().mapToLong(DropProxy::dropped).sum();
  }

  /** The wallet issuer's process goes away: the switch declines wallet parts 91 until {@link #startIssuer()}. */
  public void stopIssuer() {
    issuerServer.close();
  }

  /** The wallet issuer listens (again, on its port). */
  public void startIssuer() {
    Links.listenRestartable(issuerPort, this::listen);
  }

  private Iso8583Server listen(int port) {
    try {
      issuerServer = new Iso8583Server(Links.settings("49990000", "WISS0001", Links.SWITCH_TO_ISSUER_TIMEOUT_MS),
          issuerLink, issuer::handle, wire).start(Links.loopback(port));
      issuerPort = issuerServer.port();
      return issuerServer;
    } catch (IOException e) {
      throw new UncheckedIOException("wallet issuer cannot listen on port " + port, e);
    }
  }

  @Override
  public void close() {
    clients.forEach(Iso8583Client::close);
    for (DropProxy proxy : proxies) {
      proxy.close();
    }
    acquirer.close();
    online.close();
    if (issuerServer != null) {
      issuerServer.close();
    }
    switchDb.close();
  }
}

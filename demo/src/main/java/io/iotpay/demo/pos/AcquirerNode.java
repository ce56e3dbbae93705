package io.iotpay.demo.pos;

import io.iotpay.acquirer.pos.AcquirerPosServer;
import io.iotpay.acquirer.pos.merchant.InMemorySettlementAccountCheck;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.merchant.MerchantState;
import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.merchant.Registration;
import io.iotpay.acquirer.pos.merchant.SettlementAccount;
import io.iotpay.acquirer.pos.online.AcquirerHost;
import io.iotpay.acquirer.pos.online.AcquirerHostConfig;
import io.iotpay.acquirer.pos.online.PinTranslation;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.RecordSeal;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.Transfer;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.ZoneKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The acquirer: its merchant and terminal registry ({@link AcquirerPosServer}: onboarding with its
 * own database and audit log, the authority the authorisation path asks), and its online host
 * ({@link AcquirerHost}: the terminals' ISO 8583 port, forwarding to the switch, the durable
 * reversal queue, refunds, day end and payout net of MDR) on its own database and ledger.
 */
final class AcquirerNode implements AutoCloseable {
  static final PartyId ID = PartyId.of("ACQ1");
  static final String INSTITUTION = "48020000";
  static final long SETTLEMENT = 1;
  static final long REVENUE = 2;
  /** The acquirer's account at the settlement bank: T+1 receipts from the scheme are posted from it. */
  static final long SCHEME_IN = 3;
  static final long MERCHANT_ACCOUNT_BASE = 1_000;
  static final int MDR_BASIS_POINTS = 60;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** An onboarded merchant with one enrolled terminal. */
  record Merchant(MerchantId id, String terminalId) {}

  final PartyBooks books;
  final AcquirerPosServer registry;
  final AcquirerHost host;
  final ZoneKeys terminalLink = Links.zoneKeys(AlgorithmSuite.NATIONAL);
  final List<Merchant> merchants = new ArrayList<>();
  private SoftwareKeyCustody custody;

  AcquirerNode(Path dir, BusinessClock clock, int switchPort, ZoneKeys switchLink, int merchantCount, PinKeys pinKeys) {
    this.books = new PartyBooks(ID.value(), AlgorithmSuite.NATIONAL, dir.resolve("acquirer.db"), clock);
    books.createAccounts(List.of(Account.of(SCHEME_IN, 1, CurrencyUnit.CNY)));
    InMemorySettlementAccountCheck accounts = new InMemorySettlementAccountCheck();
    for (int m = 1; m <= merchantCount; m++) {
      accounts.open("10200000", String.format("62220000%08d", m));
    }
    try {
      this.registry = AcquirerPosServer.start(new AcquirerPosServer.Settings("jdbc:sqlite:" + dir.resolve("registry.db"),
          "127.0.0.1", 0, AlgorithmSuite.NATIONAL, dir.resolve("registry-keys"), null, Set.of("5812"),
          Map.of("demo", operatorToken()), accounts));
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("acquirer registry cannot start: " + e.getMessage(), e);
    }
    for (int m = 1; m <= merchantCount; m++) {
      onboard(m);
    }
    AcquirerHostConfig config = new AcquirerHostConfig(ID, INSTITUTION, Links.loopback(switchPort),
        Links.settings(INSTITUTION, "ACQNODE1", Links.ACQUIRER_TO_SWITCH_TIMEOUT_MS), switchLink, Links.loopback(0),
        Links.settings(INSTITUTION, "ACQTERM0", Links.TERMINAL_TO_ACQUIRER_TIMEOUT_MS), terminalLink,
        new RecordSeal(AlgorithmSuite.NATIONAL, Links.randomKey(), Links.randomKey()), CurrencyUnit.CNY,
        1, SETTLEMENT, REVENUE, MERCHANT_ACCOUNT_BASE, 1_000_000, MDR_BASIS_POINTS, 100, 1_000);
    try {
      this.custody = PinKeys.custody(dir.resolve("custody"), AlgorithmSuite.NATIONAL);
      PinTranslation pins = new PinTranslation(custody, pinKeys.loadAcquirer(custody), PinKeys.ACQUIRER_ZONE_PIN,
          books.database);
      this.host = new AcquirerHost(config, books.database, books.ledger, registry.service(), clock.asJavaClock(), pins)
          .start();
      registry.serveStatements(host.statements());
    } catch (IOException e) {
      throw new UncheckedIOException("acquirer host cannot listen", e);
    }
  }

  /** Registers merchant {@code n} (the automatic review activates it) and enrols one terminal from a CSR. */
  private void onboard(int n) {
    OnboardingService service = registry.service();
    OnboardingService.Registered registered = service.register(String.format("demo-pos-merchant-%04d", n),
        new Registration(String.format("Demo Shop %d", n), String.format("91310000MA1K%06d", n), "110105194912310021",
            "5812", n + " Demo Road", new SettlementAccount("10200000", String.format("62220000%08d", n))));
    if (registered.merchant().state() != MerchantState.ACTIVATED) {
      throw new IllegalStateException("demo merchant " + n + " was not activated: " + registered.merchant().state());
    }
    MerchantId id = registered.merchant().id();
    String terminal = service.enrol(id, AlgorithmSuite.NATIONAL, csr()).terminal().id().value();
    merchants.add(new Merchant(id, terminal));
  }

  /** The registry's operator token; the demo onboards through the service, so no one uses it. */
  private static String operatorToken() {
    byte[] token = new byte[24];
    RANDOM.nextBytes(token);
    return io.iotpay.foundation.codec.Hex.encode(token);
  }

  private static byte[] csr() {
    var keys = AlgorithmSuite.NATIONAL.signature().generateKeyPair(RANDOM);
    try {
      return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=pos"), keys.getPublic())
          .build(new JcaContentSignerBuilder("SM3withSM2").setProvider(new BouncyCastleProvider())
              .build(keys.getPrivate())).getEncoded();
    } catch (OperatorCreationException | IOException e) {
      throw new IllegalStateException("terminal CSR cannot be made", e);
    }
  }

  int terminalPort() {
    return host.terminalPort();
  }

  /** T+1: the settlement bank pays the acquirer its net position (negative: the acquirer pays). */
  void receiveSettlement(LocalDate day, long netMinor) {
    long id = 1 + day.toEpochDay() % 100_000;
    if (netMinor > 0) {
      books.post(Transfer.single(id, SCHEME_IN, SETTLEMENT, netMinor));
    } else if (netMinor < 0) {
      books.post(Transfer.single(id, SETTLEMENT, SCHEME_IN, -netMinor));
    }
  }

  @Override
  public void close() {
    host.close();
    books.close();
    registry.close();
    if (custody != null) {
      custody.close();
    }
  }
}

package io.iotpay.demo.pos;

import io.iotpay.acquirer.pos.AcquirerPosServer;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.online.AcquirerHost;
import io.iotpay.acquirer.pos.online.AcquirerHostConfig;
import io.iotpay.acquirer.pos.online.IsoSettlementAccountCheck;
import io.iotpay.acquirer.pos.online.TerminalRiskCheck;
import io.iotpay.acquirer.pos.risk.RiskConfig;
import io.iotpay.acquirer.pos.risk.TerminalRiskService;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.acquirer.pos.store.OnboardingAuditCheck;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.ledger.audit.VerificationReport;
import io.iotpay.acquirer.pos.online.PinTranslation;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.RecordSeal;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.Transfer;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.Iso8583Wire;
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
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The acquirer: its merchant and terminal registry ({@link AcquirerPosServer}: onboarding with its
 * own database and audit log, the authority the authorisation path asks; merchants register over
 * its HTTP API through the {@link MerchantDesk}; the penny test of each settlement account is an
 * account verification through the switch to the merchants' bank, {@link IsoSettlementAccountCheck}), terminal risk sensing for the phones
 * ({@link TerminalRiskService} on its own database, served on the same API), and its online host
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

  /** An onboarded merchant with one enrolled terminal, and its app's credentials (it may enrol more, e.g. a phone). */
  record Merchant(MerchantId id, String terminalId, MerchantDesk.Signed signed) {}

  final PartyBooks books;
  final AcquirerPosServer registry;
  final AcquirerHost host;
  final ZoneKeys terminalLink = Links.zoneKeys(AlgorithmSuite.NATIONAL);
  final List<Merchant> merchants = new ArrayList<>();
  /** Merchant numbers of the applicants the review refuses (four from here). */
  static final int APPLICANT_BASE = 201;
  final String operatorToken = newOperatorToken();
  /** Sends of one penny test at most (the first and two repeats with the same keys). */
  static final int PENNY_TEST_ATTEMPTS = 3;
  /** The penny test over ISO 8583 (acquirer → switch → the merchants' bank), the registry's settlement account check. */
  final IsoSettlementAccountCheck accounts;
  final MerchantDesk desk;
  private final String registryUrl;
  final Database riskDatabase;
  final TerminalRiskService risk;
  /** The merchants whose terminals are phones ({@link PhoneTills}). */
  final List<MerchantId> phoneMerchants = new ArrayList<>();
  /** The terminals that are phones: the host asks risk sensing about their payments. */
  final Set<String> phoneTerminals = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private SoftwareKeyCustody custody;

  AcquirerNode(Path dir, BusinessClock clock, int switchPort, ZoneKeys switchLink, int merchantCount, PinKeys pinKeys) {
    this.books = new PartyBooks(ID.value(), AlgorithmSuite.NATIONAL, dir.resolve("acquirer.db"), clock);
    this.registryUrl = "jdbc:sqlite:" + dir.resolve("registry.db");
    books.createAccounts(List.of(Account.of(SCHEME_IN, 1, CurrencyUnit.CNY)));
    // The penny test asks the merchants' bank through the switch, on a link of its own (field 41 ACQPENNY).
    this.accounts = IsoSettlementAccountCheck.connect(Links.loopback(switchPort),
        Links.settings(INSTITUTION, "ACQPENNY", Links.ACQUIRER_TO_SWITCH_TIMEOUT_MS), switchLink, Iso8583Wire.load(),
        CurrencyUnit.CNY, PENNY_TEST_ATTEMPTS, clock.asJavaClock());
    try {
      Path sanctions = java.nio.file.Files.writeString(dir.resolve("sanctions.txt"),
          "# the acquirer's deny list\n" + MerchantDesk.SANCTIONED_OWNER + "\n");
      this.registry = AcquirerPosServer.start(new AcquirerPosServer.Settings(registryUrl,
          "127.0.0.1", 0, AlgorithmSuite.NATIONAL, dir.resolve("registry-keys"), sanctions, Set.of(MerchantDesk.SERVED_MCC),
          Map.of("demo", operatorToken), accounts));
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("acquirer registry cannot start: " + e.getMessage(), e);
    }
    this.desk = new MerchantDesk(java.net.URI.create("http://127.0.0.1:" + registry.port()), operatorToken);
    for (int m = 1; m <= merchantCount; m++) {
      onboard(m);
    }
    desk.applicantsToRefuse(APPLICANT_BASE, 1);
    this.riskDatabase = Database.open("jdbc:sqlite:" + dir.resolve("risk.db"), 2);
    this.risk = new TerminalRiskService(new RiskConfig(Set.of(Hex.encode(PhoneTills.GENUINE_BUILD)), 60_000, 60_000,
        1_000, 3_600_000, 900, 50), riskDatabase, registry.service(), clock.asJavaClock());
    registry.serveMonitoring(risk);
    // Phones attest before each payment; the counter-top terminals of the card demo do not.
    TerminalRiskCheck phonesOnly = request -> phoneTerminals.contains(request.terminalId().value())
        ? risk.refusal(request) : Optional.empty();
    AcquirerHostConfig config = new AcquirerHostConfig(ID, INSTITUTION, Links.loopback(switchPort),
        Links.settings(INSTITUTION, "ACQNODE1", Links.ACQUIRER_TO_SWITCH_TIMEOUT_MS), switchLink, Links.loopback(0),
        Links.settings(INSTITUTION, "ACQTERM0", Links.TERMINAL_TO_ACQUIRER_TIMEOUT_MS), terminalLink,
        new RecordSeal(AlgorithmSuite.NATIONAL, Links.randomKey(), Links.randomKey()), CurrencyUnit.CNY,
        1, SETTLEMENT, REVENUE, MERCHANT_ACCOUNT_BASE, 1_000_000, MDR_BASIS_POINTS, 100, 1_000).withRiskCheck(phonesOnly);
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

  /** Merchant {@code n} registers over HTTP (the automatic review activates it) and enrols one terminal from a CSR. */
  private void onboard(int n) {
    MerchantDesk.Signed signed = desk.registerActive(n, String.format("Demo Shop %d", n));
    String terminal = desk.client(signed, AlgorithmSuite.NATIONAL).enrol(csr()).terminalId();
    merchants.add(new Merchant(new MerchantId(signed.merchantId()), terminal, signed));
  }

  /** Every merchant with a terminal: the counter-top ones and the phones'. */
  List<MerchantId> transactingMerchants() {
    List<MerchantId> all = new ArrayList<>(phoneMerchants);
    merchants.forEach(m -> all.add(m.id()));
    return all;
  }

  /** The acquirer's count from its registry's records ({@code pos_merchant}, {@code pos_terminal}, {@code pos_event}). */
  long registryCount(String sql) {
    try (Database database = Database.open(registryUrl, 1)) {
      return count(database, sql);
    }
  }

  /** The registry's audit log (merchant and terminal state changes), verified from its database. */
  VerificationReport verifyRegistryAudit() {
    AuditLog log = registry.auditLog();
    try (Database database = Database.open(registryUrl, 1)) {
      return AuditVerifier.verify(DatabaseAuditSource.of(database), Map.of(log.keyId(),
          AlgorithmSuite.NATIONAL.signature().publicKeyFromDer(log.publicKeyDer())), OnboardingAuditCheck.of(database));
    } catch (Exception e) {
      throw new IllegalStateException("the acquirer registry's audit log cannot be read: " + e.getMessage(), e);
    }
  }

  /** The acquirer's count from terminal risk sensing's records ({@code risk_event}). */
  long riskCount(String sql) {
    return count(riskDatabase, sql);
  }

  private static long count(Database database, String sql) {
    try (java.sql.Connection c = database.connection(); java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("acquirer count failed: " + sql, e);
    }
  }

  /** The registry's operator token: the demo's operator rejects and suspends over the API with it. */
  private static String newOperatorToken() {
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
    accounts.close();
    riskDatabase.close();
    if (custody != null) {
      custody.close();
    }
  }
}

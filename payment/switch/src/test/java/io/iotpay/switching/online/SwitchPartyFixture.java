package io.iotpay.switching.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.crypto.TlsIdentity;
import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileHeaders;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.PresentmentFile;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.online.Presentment;
import io.iotpay.protocol.party.LinkKeys;
import io.iotpay.protocol.party.PartyInbox;
import io.iotpay.protocol.pki.FileSigner;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.switching.party.SwitchParty;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A switch party process's day for the console tests, made of real parts: {@link SwitchParty} set up
 * by {@code init} and started on its directory, two fake issuers over loopback TCP (ISSA, ISSB), the
 * acquirer ACQ1 as an ISO 8583 client sending three authorisations that are approved and logged, then
 * a presentment file of the day, signed by ACQ1 (its file-signing key in a custody of its own, certified
 * by the scheme CA the switch's {@code init} made), dropped into the switch's {@code clearing/in/} and taken
 * by its inbox: three captures accepted, a refund accepted, two presentments rejected (no authorisation,
 * unknown card range).
 */
public final class SwitchPartyFixture implements AutoCloseable {
  /** The business date presented: yesterday, so it can be closed. */
  public static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(1);
  /** Every full PAN the day uses (none may appear on a page). */
  public static final List<Pan> PANS = List.of(OnlineFixture.CARD_A, OnlineFixture.CARD_A2, OnlineFixture.CARD_B,
      OnlineFixture.CARD_UNKNOWN);
  private static final StandInLimits LIMITS = new StandInLimits(OnlineFixture.cny(5_000), OnlineFixture.cny(8_000),
      OnlineFixture.cny(100_000));

  public final Path dataDir;
  public final SwitchParty party;
  /** ACQ1's custody (its file-signing key) and signer. */
  private final KeyCustody acquirerCustody;
  private final FileSigner acquirer;
  private final OnlineFixture.FakeIssuer issuerA;
  private final OnlineFixture.FakeIssuer issuerB;

  private SwitchPartyFixture(Path dataDir, SwitchParty party, KeyCustody acquirerCustody, FileSigner acquirer,
      OnlineFixture.FakeIssuer a, OnlineFixture.FakeIssuer b) {
    this.acquirerCustody = acquirerCustody;
    this.acquirer = acquirer;
    this.dataDir = dataDir;
    this.party = party;
    this.issuerA = a;
    this.issuerB = b;
  }

  /** Sets up and starts the switch on {@code directory}, its links and store under {@code suite}, its HTTP plain. */
  public static SwitchPartyFixture start(Path directory, AlgorithmSuite suite) throws Exception {
    return start(directory, suite, null);
  }

  /** As {@link #start(Path, AlgorithmSuite)}, its HTTP listener over TLS with {@code tls} (plain for null). */
  public static SwitchPartyFixture start(Path directory, AlgorithmSuite suite, TlsIdentity tls) throws Exception {
    OnlineFixture.FakeIssuer a = new OnlineFixture.FakeIssuer(suite, 2, 0, "A");
    OnlineFixture.FakeIssuer b = new OnlineFixture.FakeIssuer(suite, 3, 0, "B");
    try {
      Path dataDir = directory.resolve("switch");
      SwitchParty.init(dataDir, new SwitchParty.Setup("SWITCH", "99990000", "SWITCH01", CurrencyUnit.CNY, suite, 1_000,
          List.of(new SwitchParty.AcquirerLink("ACQ1", OnlineFixture.loopback(0), link(suite, 1))),
          List.of(issuer(suite, "ISSA", a.port(), 2, "621234"), issuer(suite, "ISSB", b.port(), 3, "622")), null),
          new SecureRandom());
      byte[] master = new byte[suite == AlgorithmSuite.INTERNATIONAL ? 32 : 16];
      new SecureRandom().nextBytes(master);
      KeyCustody custody = SoftwareKeyCustody.open(directory.resolve("acq1-custody"), suite, new SecretKeyBytes(master));
      FileSigner[] signer = new FileSigner[1];
      SwitchParty.issueCertificates(dataDir, ca -> signer[0] = ca.enrol(custody, "file-signing", PartyId.of("ACQ1"),
          PartyRole.OPERATOR, ca.certificate().getNotBefore().toInstant(), ca.certificate().getNotAfter().toInstant()));
      return new SwitchPartyFixture(dataDir, SwitchParty.start(dataDir,
          new SwitchParty.Options(null, null, java.util.Map.of(), tls)), custody, signer[0], a, b);
    } catch (Exception | Error e) {
      a.close();
      b.close();
      throw e;
    }
  }

  /** The link keys OnlineFixture's zone keys are made of, so the fake ends match the party's. */
  private static LinkKeys link(AlgorithmSuite suite, int n) {
    String hex = Integer.toHexString(n);
    return new LinkKeys(suite, SecretKeyBytes.fromHex("0123456789ABCDEFFEDCBA987654321" + hex),
        SecretKeyBytes.fromHex("00112233445566778899AABBCCDDEEF" + hex));
  }

  private static SwitchParty.IssuerLink issuer(AlgorithmSuite suite, String id, int port, int link, String range) {
    return new SwitchParty.IssuerLink(id, OnlineFixture.loopback(port), link(suite, link), List.of(range), 2_000, 10_000,
        LIMITS.perTransactionMax().amountMinor(), LIMITS.perCardDayMax().amountMinor(), LIMITS.issuerDayMax().amountMinor());
  }

  /**
   * Three approved authorisations (10.00 and 15.00 on ISSA's cards, 20.00 on ISSB's), presented with a
   * 5.00 refund and two presentments the switch rejects; waits until the switch's inbox took the file.
   *
   * @return the presentment file's name
   */
  public String presentDay(AlgorithmSuite suite) throws Exception {
    CardResponse toA;
    CardResponse toB;
    CardResponse toA2;
    try (Iso8583Client acquirer = OnlineFixture.acquirerClient(suite, party.port())) {
      toA = approved(acquirer, OnlineFixture.CARD_A, 1, 1_000);
      toB = approved(acquirer, OnlineFixture.CARD_B, 2, 2_000);
      toA2 = approved(acquirer, OnlineFixture.CARD_A2, 3, 1_500);
    }
    CardTransaction t1 = OnlineFixture.transaction(OnlineFixture.CARD_A, 1, OnlineFixture.cny(1_000));
    CardTransaction t2 = OnlineFixture.transaction(OnlineFixture.CARD_B, 2, OnlineFixture.cny(2_000));
    CardTransaction t3 = OnlineFixture.transaction(OnlineFixture.CARD_A2, 3, OnlineFixture.cny(1_500));
    List<Presentment> day = List.of(
        presentment("C1", Presentment.Kind.CAPTURE, t1, OnlineFixture.CARD_A, 1_000, toA.approvalCode()),
        presentment("C2", Presentment.Kind.CAPTURE, t2, OnlineFixture.CARD_B, 2_000, toB.approvalCode()),
        presentment("C3", Presentment.Kind.CAPTURE, t3, OnlineFixture.CARD_A2, 1_500, toA2.approvalCode()),
        presentment("C-CODE", Presentment.Kind.CAPTURE, t3, OnlineFixture.CARD_A2, 1_500, "999999"),
        presentment("C-RANGE", Presentment.Kind.CAPTURE, t1, OnlineFixture.CARD_UNKNOWN, 1_000, toA.approvalCode()),
        presentment("R2", Presentment.Kind.REFUND, t2, OnlineFixture.CARD_B, 500, "000000"));
    return drop(1, day, PartyInbox.DONE);
  }

  /** A second file of the day with one more refund, once the day is closed: refused whole (DAY_SETTLED). */
  public String presentLate() throws Exception {
    CardTransaction t2 = OnlineFixture.transaction(OnlineFixture.CARD_B, 2, OnlineFixture.cny(2_000));
    return drop(2, List.of(presentment("R2-LATE", Presentment.Kind.REFUND, t2, OnlineFixture.CARD_B, 100, "000000")),
        PartyInbox.REFUSED);
  }

  /** Writes ACQ1's presentment file {@code sequence} into the switch's inbox; waits until it is in {@code outcome}/. */
  private String drop(long sequence, List<Presentment> presentments, String outcome) throws Exception {
    String name = "presentment-ACQ1-" + DAY + "-" + sequence + ".txt";
    Path in = PartyInbox.in(dataDir);
    Files.createDirectories(in);
    Path temp = in.resolve(name + ".tmp");
    try (OutputStream out = Files.newOutputStream(temp)) {
      PresentmentFile.write(out, PartyId.of("ACQ1"), PartyId.of("SWITCH"), DAY, sequence, CurrencyUnit.CNY, presentments);
    }
    // The signature first, then the file: the inbox takes a file only with its signature.
    Files.write(in.resolve(name + ".sig"), acquirer.signature(temp, FileHeaders.read(temp, FileKind.PRESENTMENT,
        FileLimits.defaults())));
    Files.move(temp, in.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    OnlineFixture.await(() -> Files.exists(in.resolve(outcome).resolve(name)), "the switch's inbox moved " + name + " to " + outcome);
    return name;
  }

  private static CardResponse approved(Iso8583Client acquirer, Pan pan, int stan, long minor) {
    Outcome outcome = acquirer.send(OnlineFixture.authorisation(pan, stan, OnlineFixture.cny(minor)));
    assertThat(outcome).isInstanceOf(Outcome.Answered.class);
    CardResponse response = (CardResponse) ((Outcome.Answered) outcome).response();
    assertThat(response.responseCode()).isEqualTo(ResponseCode.APPROVED);
    return response;
  }

  private static Presentment presentment(String id, Presentment.Kind kind, CardTransaction t, Pan pan, long amountMinor,
      String approvalCode) {
    return new Presentment(id, kind, OnlineFixture.ACQUIRER, OriginalData.of(Mti.AUTHORISATION_REQUEST, t), t.rrn(),
        t.terminalId(), t.merchantId(), pan, amountMinor, CurrencyUnit.CNY, approvalCode, DAY);
  }

  /** The switch's HTTP base, e.g. {@code http://127.0.0.1:PORT} ({@code https} over TLS). */
  public String base() {
    return (party.httpTls() ? "https" : "http") + "://127.0.0.1:" + party.metricsPort();
  }

  @Override
  public void close() {
    try {
      party.close();
    } finally {
      acquirerCustody.close();
      issuerA.close();
      issuerB.close();
    }
  }
}

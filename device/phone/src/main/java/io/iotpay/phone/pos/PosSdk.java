package io.iotpay.phone.pos;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.RecordSeal;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.SystemBusinessClock;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.FinancialRequest;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.terminal.pos.Iso8583OnlineAuthoriser;
import io.iotpay.terminal.pos.Iso8583OnlineAuthoriser.ReversalResult;
import io.iotpay.terminal.pos.OnlineAuthoriser;
import io.iotpay.terminal.pos.PinPad;
import io.iotpay.terminal.pos.PosConfig;
import io.iotpay.terminal.pos.PosJournal;
import io.iotpay.terminal.pos.PosKernel;
import io.iotpay.terminal.pos.PosOutcome;
import io.iotpay.terminal.wallet.OutcomeList;
import io.iotpay.terminal.wallet.SplitPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acquiring SDK (docs/phone-sdk.md). {@link #enrol} once: the key pair is made in the phone's
 * secure element, the CSR it signs goes to the acquirer, the terminal id is bound in the SE. Then
 * {@link #open} on the SDK's directory and {@link #charge} per card: a nonce from the acquirer's
 * monitoring service, the SE's attestation token over it, and only on an approval the POS kernel
 * (journal, ARQC, 0100 over the ISO 8583 link, second GENERATE AC); a reversal the kernel asks for
 * is sent at once. Every 0100 is on disk (sealed) before it leaves, so {@link #open} after the app
 * was killed lets the kernel's journal decide: a transaction with a FINAL approval is complete,
 * every other one that may have reached the acquirer is reversed. Not thread-safe: one SDK per phone.
 */
public final class PosSdk implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PosSdk.class);
  static final String ENROLMENT_FILE = "enrolment";
  static final String KEYS_FILE = "keys";
  /** The POS kernel's journal in the SDK's directory (what the app's bookkeeping and the demo read back). */
  public static final String JOURNAL_FILE = "journal.log";
  static final String SENT_DIR = "sent";
  private static final int KEYS_BYTES = 48;
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * How the app configures the SDK.
   *
   * @param directory the SDK's private directory (owner-only)
   * @param acquirerId field 32, 1..11 digits
   * @param merchantId 9F16 / field 42 as the terminal knows it (the acquirer replaces it), 1..15 of A-Z, 0-9
   * @param sdkMajor SDK version put in each attestation token, 0..255
   * @param kernel adjusts the kernel's {@link PosConfig} (limits, CVMs); identity for the defaults
   */
  public record Options(Path directory, String acquirerId, String merchantId, int sdkMajor, int sdkMinor,
      UnaryOperator<PosConfig> kernel) {
    public Options {
      Assert.notNull(directory, "directory");
      Assert.that(sdkMajor >= 0 && sdkMajor <= 255 && sdkMinor >= 0 && sdkMinor <= 255, "SDK version bytes");
      Assert.notNull(kernel, "kernel");
    }
  }

  /** What {@link #open} did about one journaled transaction left unfinished. */
  public record Recovered(long sequence, String action) {}

  private final Options options;
  private final String terminalId;
  private final SecureElement se;
  private final Iso8583Client link;
  private final MonitoringService monitoring;
  private final DeviceSensors sensors;
  private final Clock clock;
  private final PosJournal journal;
  private final DurableSentRequests sent;
  private final Iso8583OnlineAuthoriser authoriser;
  private final PosKernel kernel;
  private final QrCheckout qr;
  private final List<Consumer<SdkOutcome>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<QrPayment>> qrListeners = new CopyOnWriteArrayList<>();
  private final List<Recovered> recovered;
  /** Reader mode for wallet cards, once {@link #acceptWallet} opened it. */
  private WalletAcceptance wallet;

  private PosSdk(Options options, AlgorithmSuite suite, String terminalId, SecureElement se, Iso8583Client link, MonitoringService monitoring,
      DeviceSensors sensors, Clock clock, OnlineAuthoriserWrap wrap, PinPad pinPad) throws IOException {
    this.options = options;
    this.terminalId = terminalId;
    this.se = se;
    this.link = link;
    this.monitoring = monitoring;
    this.sensors = sensors;
    this.clock = clock;
    byte[] keys = keys(options.directory());
    this.sent = new DurableSentRequests(options.directory().resolve(SENT_DIR), new RecordSeal(suite,
        new SecretKeyBytes(Arrays.copyOfRange(keys, 0, 16)), new SecretKeyBytes(Arrays.copyOfRange(keys, 16, 32))));
    // A restarted link starts its STANs again at 1; continue above the last one sent, so that no new
    // request repeats one the acquirer has (terminal, STAN and field 7 identify a request).
    for (int stan = sent.highestStan(); stan > 0; stan--) {
      link.nextStan();
    }
    this.journal = PosJournal.open(options.directory().resolve(JOURNAL_FILE));
    this.authoriser = new Iso8583OnlineAuthoriser(link, options.acquirerId(), clock, sent);
    PosConfig config = options.kernel().apply(PosConfig.defaults(terminalId, options.merchantId(),
        new SecretKeyBytes(Arrays.copyOfRange(keys, 32, 48))));
    this.kernel = new PosKernel(config, wrap.wrap(authoriser), pinPad, journal,
        new SystemBusinessClock(clock, BusinessDayRule.UTC_MIDNIGHT));
    this.qr = new QrCheckout(authoriser, wrap.wrap(authoriser), terminalId, options.merchantId(), journal, clock);
    this.recovered = recover();
  }

  /** A hook around the kernel's link (instrumentation; the tests stop the "process" there at a chosen step). */
  @FunctionalInterface
  public interface OnlineAuthoriserWrap {
    OnlineAuthoriser wrap(OnlineAuthoriser link);
  }

  // ---- enrolment -------------------------------------------------------------------------------

  /**
   * Enrols this phone: key pair made in the SE, CSR signed by the SE, sent through {@code enroller},
   * terminal id bound in the SE, enrolment written to the directory.
   *
   * @throws SdkException when the SE refuses (e.g. already enrolled) or the directory is enrolled already
   */
  public static Enroller.Enrolled enrol(Path directory, AlgorithmSuite suite, SecureElement se, Enroller enroller) {
    try {
      SdkFiles.directory(directory);
      if (Files.exists(directory.resolve(ENROLMENT_FILE))) {
        throw new SdkException("this SDK directory is enrolled already");
      }
      byte[] point = se.generateKeyPair();
      byte[] csr = csr(suite, point, se);
      Enroller.Enrolled enrolled = enroller.enrol(csr);
      Assert.that(enrolled.terminalId() != null && enrolled.terminalId().matches("[0-9]{8}"), "terminal id of 8 digits");
      se.endEnrolment(enrolled.terminalId());
      SdkFiles.write(directory.resolve(ENROLMENT_FILE), (suite.name() + "\n" + enrolled.terminalId() + "\n"
          + Hex.encode(enrolled.certificateDer()) + "\n").getBytes(StandardCharsets.US_ASCII));
      LOG.info("Phone enrolled as a terminal [terminal={}, suite={}]", enrolled.terminalId(), suite);
      return enrolled;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the enrolment", e);
    }
  }

  /** A PKCS#10 request for the SE's key: the SE signs the CertificationRequestInfo (RFC 2986 §4). */
  static byte[] csr(AlgorithmSuite suite, byte[] point, SecureElement se) throws IOException {
    boolean sm2 = suite == AlgorithmSuite.NATIONAL;
    SubjectPublicKeyInfo key = new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
        sm2 ? GMObjectIdentifiers.sm2p256v1 : SECObjectIdentifiers.secp256r1), point);
    CertificationRequestInfo info = new CertificationRequestInfo(new X500Name("CN=iotpay phone POS"), key, new DERSet());
    byte[] signature = se.signEnrolment(info.getEncoded(ASN1Encoding.DER));
    AlgorithmIdentifier algorithm = new AlgorithmIdentifier(sm2 ? GMObjectIdentifiers.sm2sign_with_sm3
        : X9ObjectIdentifiers.ecdsa_with_SHA256);
    return new CertificationRequest(info, algorithm, new DERBitString(signature)).getEncoded(ASN1Encoding.DER);
  }

  // ---- open and recovery ---------------------------------------------------------------------

  /**
   * Opens the enrolled SDK on its directory and recovers what a killed app left (see {@link #recovered()}).
   *
   * @param link the ISO 8583 link to the acquirer's terminal port; the SDK closes it
   * @throws SdkException when the directory holds no enrolment
   */
  public static PosSdk open(Options options, SecureElement se, Iso8583Client link, MonitoringService monitoring,
      DeviceSensors sensors, Clock clock) {
    return open(options, se, link, monitoring, sensors, clock, l -> l);
  }

  /** As above, with {@code wrap} around the kernel's link. */
  public static PosSdk open(Options options, SecureElement se, Iso8583Client link, MonitoringService monitoring,
      DeviceSensors sensors, Clock clock, OnlineAuthoriserWrap wrap) {
    return open(options, se, link, monitoring, sensors, clock, wrap, PinPad.NONE);
  }

  /**
   * As above, with a PIN pad for online PIN above the CVM limit ({@link PhonePinPad}); without one
   * ({@link PinPad#NONE}) the kernel falls back to the card's next CVM.
   */
  public static PosSdk open(Options options, SecureElement se, Iso8583Client link, MonitoringService monitoring,
      DeviceSensors sensors, Clock clock, OnlineAuthoriserWrap wrap, PinPad pinPad) {
    Assert.notNull(options, "options");
    try {
      Path file = options.directory().resolve(ENROLMENT_FILE);
      if (!Files.exists(file)) {
        throw new SdkException("not enrolled: no " + ENROLMENT_FILE + " in the SDK directory");
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
      if (lines.size() < 2 || !lines.get(1).matches("[0-9]{8}")) {
        throw new SdkException("the enrolment file is damaged");
      }
      return new PosSdk(options, AlgorithmSuite.byName(lines.get(0)), lines.get(1), Assert.notNull(se, "se"), Assert.notNull(link, "link"),
          Assert.notNull(monitoring, "monitoring"), Assert.notNull(sensors, "sensors"), Assert.notNull(clock, "clock"),
          wrap, Assert.notNull(pinPad, "pinPad"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the SDK directory", e);
    }
  }

  private static byte[] keys(Path dir) throws IOException {
    SdkFiles.directory(dir);
    Path file = dir.resolve(KEYS_FILE);
    if (!Files.exists(file)) {
      byte[] keys = new byte[KEYS_BYTES];
      RANDOM.nextBytes(keys);
      SdkFiles.write(file, keys);
    }
    byte[] keys = Files.readAllBytes(file);
    if (keys.length != KEYS_BYTES) {
      throw new SdkException("the SDK key file is damaged");
    }
    return keys;
  }

  /**
   * The journal decides: every transaction it lists as due for reversal (a FINAL marked for reversal,
   * or an online request without a FINAL) whose 0100 is on disk and not yet reversed is reversed now;
   * one whose 0100 never reached the disk was never sent. A FINAL approval is complete as it is.
   */
  private List<Recovered> recover() {
    List<Recovered> done = new ArrayList<>();
    for (PosJournal.Entry due : journal.reversalsDue()) {
      long sequence = due.sequence();
      if (sent.resolved(sequence)) {
        continue;
      }
      if (sent.get(sequence).isEmpty()) {
        sent.markNotSent(sequence);
        done.add(new Recovered(sequence, "NOT_SENT"));
        continue;
      }
      ResponseCode reason = due.stage() == PosJournal.Stage.FINAL && due.authorisation() == PosJournal.Authorisation.APPROVED
          ? ResponseCode.DO_NOT_HONOUR : ResponseCode.ISSUER_UNAVAILABLE;
      ReversalResult result = authoriser.reverse(sequence, reason);
      LOG.info("Recovered an unfinished transaction [terminal={}, sequence={}, reversal={}]", terminalId, sequence,
          result);
      done.add(new Recovered(sequence, result == ReversalResult.ACKNOWLEDGED ? "REVERSED" : "REVERSAL_PENDING"));
    }
    return List.copyOf(done);
  }

  /**
   * What {@link #open} did about transactions a killed app left unfinished: REVERSED, REVERSAL_PENDING
   * (sent again at the next open), or NOT_SENT; each transaction is reported by the one open that dealt with it.
   */
  public List<Recovered> recovered() {
    return recovered;
  }

  public String terminalId() {
    return terminalId;
  }

  /** Registers an outcome callback (called after each charge and refund, outcome already on disk). */
  public void onOutcome(Consumer<SdkOutcome> listener) {
    listeners.add(Assert.notNull(listener, "listener"));
  }

  // ---- payments --------------------------------------------------------------------------------

  /**
   * Attests, then charges the card on {@code card}. A refusal of the attestation never touches the card.
   *
   * @throws io.iotpay.terminal.pos.PosException for an amount the terminal cannot charge (nothing sent)
   */
  public SdkOutcome charge(Money amount, CardChannel card) {
    Assert.notNull(card, "card");
    MonitoringService.Verdict verdict = attest();
    if (!verdict.approved()) {
      return deliver(new SdkOutcome(false, verdict, null, "NONE", refusedReceipt("PURCHASE", amount, verdict)));
    }
    PosOutcome outcome = kernel.charge(card, amount);
    PosJournal.Entry entry = outcome.entry();
    String reversal = "NONE";
    if (entry.reversal()) {
      ReversalResult r = sent.get(entry.sequence()).isEmpty() ? ReversalResult.UNKNOWN
          : authoriser.reverse(entry.sequence(), entry.authorisation() == PosJournal.Authorisation.APPROVED
              ? ResponseCode.DO_NOT_HONOUR : ResponseCode.ISSUER_UNAVAILABLE);
      reversal = r == ReversalResult.ACKNOWLEDGED ? "ACKNOWLEDGED" : r == ReversalResult.UNKNOWN ? "NOT_SENT" : "PENDING";
    }
    Receipt receipt = new Receipt("PURCHASE", terminalId, entry.sequence(), rrn(entry.sequence()), entry.maskedPan(),
        entry.amountMinor(), entry.currency(), entry.time(), outcome.result().name(), outcome.reason().name(),
        entry.aid(), entry.atc());
    return deliver(new SdkOutcome(outcome.approved(), verdict, outcome, reversal, receipt));
  }

  /**
   * Charges {@code amount} on a scanned consumer-presented QR code (docs/qr.md): the code is decoded
   * (a bad one is REFUSED, nothing asked or sent), then the SDK attests exactly as for a tap, and only
   * on an approval journals the charge and sends the 0100 through the same durable link as the taps.
   * A refused attestation sends nothing to the scheme.
   */
  public QrPayment chargeConsumerCode(String scanned, Money amount) {
    Assert.notNull(scanned, "scanned");
    Assert.notNull(amount, "amount");
    QrCheckout.Scanned code = QrCheckout.scan(scanned);
    if (code.refused()) {
      return deliverQr(new QrPayment(null, new QrCheckout.Outcome(QrCheckout.Result.REFUSED, "30", code.refusal(), -1),
          refusedReceipt("PURCHASE", amount, "QR " + code.refusal())));
    }
    MonitoringService.Verdict verdict = attest();
    if (!verdict.approved()) {
      return deliverQr(new QrPayment(verdict, new QrCheckout.Outcome(QrCheckout.Result.REFUSED, "",
          "attestation refused: " + verdict.outcome() + " " + verdict.reason(), -1), refusedReceipt("PURCHASE", amount,
          verdict)));
    }
    QrCheckout.Outcome outcome = qr.charge(code, amount);
    Receipt receipt = new Receipt("PURCHASE", terminalId, outcome.transactionSequence(),
        rrn(outcome.transactionSequence()), code.parts().token().masked(), amount.amountMinor(),
        amount.currency().alphaCode(), clock.instant(), outcome.result().name(), "QR " + outcome.reason(), "", -1);
    return deliverQr(new QrPayment(verdict, outcome, receipt));
  }

  /**
   * A consumer-presented QR charge's end.
   *
   * @param attestation the acquirer's verdict (null when the code was refused before attesting)
   */
  public record QrPayment(MonitoringService.Verdict attestation, QrCheckout.Outcome outcome, Receipt receipt) {
    public boolean approved() {
      return outcome.result() == QrCheckout.Result.APPROVED;
    }
  }

  /** Registers a QR outcome callback (called after each consumer-presented charge, outcome already on disk). */
  public void onQrOutcome(Consumer<QrPayment> listener) {
    qrListeners.add(Assert.notNull(listener, "listener"));
  }

  private QrPayment deliverQr(QrPayment payment) {
    notify(qrListeners, payment);
    return payment;
  }

  /**
   * Attests, then refunds {@code amount} of the purchase on {@code original} (a 0200, processing code
   * 200000, naming the purchase's field 37; the card need not be present).
   */
  public SdkOutcome refund(Receipt original, Money amount) {
    Assert.notNull(original, "original");
    Assert.notNull(amount, "amount");
    Optional<CardTransaction> purchase = sent.original(original.sequence());
    if (purchase.isEmpty()) {
      throw new SdkException("no purchase with sequence " + original.sequence() + " was sent from this phone");
    }
    MonitoringService.Verdict verdict = attest();
    if (!verdict.approved()) {
      return deliver(new SdkOutcome(false, verdict, null, "NONE", refusedReceipt("REFUND", amount, verdict)));
    }
    CardTransaction p = purchase.get();
    CardTransaction refund = new CardTransaction(p.pan(), "200000", amount, MonthDayTime.utc(clock.instant()),
        link.nextStan(), MonthDayTime.of(LocalDateTime.ofInstant(clock.instant(), clock.getZone())), p.expiry(),
        p.posEntryMode(), p.panSequence(), p.acquirerId(), p.rrn(), p.terminalId(), p.merchantId(), null, null);
    Outcome outcome = link.send(new FinancialRequest(refund));
    String code = outcome instanceof Outcome.Answered a && a.response() instanceof CardResponse r
        ? r.responseCode().code() : "no answer";
    boolean approved = "00".equals(code);
    Receipt receipt = new Receipt("REFUND", terminalId, original.sequence(), p.rrn(), p.pan().masked(),
        amount.amountMinor(), amount.currency().alphaCode(), clock.instant(), approved ? "APPROVED" : "DECLINED",
        "acquirer answered " + code, original.aid(), -1);
    return deliver(new SdkOutcome(approved, verdict, null, "NONE", receipt));
  }

  /**
   * Reader mode for offline wallet cards (docs/phone-sdk.md, "Wallet cards"): the wallet kernel on
   * {@code psam} (the PSAM applet in the phone's SE), its journal and outbox in the SDK's directory,
   * online parts pushed over this SDK's link, each purchase and push attested as a card charge is.
   * Opening it again returns the one already open.
   *
   * @param policy the split decision
   * @param outcomes the issuer's signed list the phone holds (write-backs, deny list)
   * @throws io.iotpay.terminal.wallet.WalletException when the PSAM refuses (nothing is left open)
   */
  public WalletAcceptance acceptWallet(CardChannel psam, SplitPolicy policy,
      OutcomeList outcomes) {
    if (wallet == null) {
      wallet = new WalletAcceptance(options.directory(), Assert.notNull(psam, "psam"), Assert.notNull(policy, "policy"),
          Assert.notNull(outcomes, "outcomes"), this::attest, link, options.acquirerId(), terminalId,
          options.merchantId(), clock);
    }
    return wallet;
  }

  /** Nonce, token over it signed in the SE, verdict. Any failure is a refusal (fail closed). */
  private MonitoringService.Verdict attest() {
    try {
      byte[] nonce = monitoring.nonce(terminalId);
      Assert.that(nonce != null && nonce.length == 16, "the monitoring service's nonce is 16 bytes");
      byte[] digest = sensors.integrityDigest();
      Assert.that(digest != null && digest.length == 32, "the integrity digest is 32 bytes");
      ByteBuffer fields = ByteBuffer.allocate(SecureElement.HOST_FIELDS_BYTES);
      fields.put((byte) SecureElement.TOKEN_VERSION).put(digest).put((byte) sensors.deviceFlags())
          .put((byte) options.sdkMajor()).put((byte) options.sdkMinor()).put(nonce)
          .putInt(sensors.latitudeMicro()).putInt(sensors.longitudeMicro());
      MonitoringService.Verdict verdict = monitoring.attest(terminalId, se.attest(fields.array()));
      return verdict == null ? new MonitoringService.Verdict("REFUSE", "NO_VERDICT", "the service answered nothing")
          : verdict;
    } catch (RuntimeException e) {
      LOG.warn("Attestation failed, refusing the payment [terminal={}, detail={}]", terminalId, e.getMessage());
      return new MonitoringService.Verdict("REFUSE", "ATTESTATION_FAILED", String.valueOf(e.getMessage()));
    }
  }

  private Receipt refusedReceipt(String kind, Money amount, MonitoringService.Verdict verdict) {
    return refusedReceipt(kind, amount, verdict.outcome() + " " + verdict.reason());
  }

  private Receipt refusedReceipt(String kind, Money amount, String reason) {
    return new Receipt(kind, terminalId, -1, "", "", amount.amountMinor(), amount.currency().alphaCode(),
        clock.instant(), "REFUSED", reason, "", -1);
  }

  private SdkOutcome deliver(SdkOutcome outcome) {
    notify(listeners, outcome);
    return outcome;
  }

  private <T> void notify(List<Consumer<T>> to, T outcome) {
    for (Consumer<T> listener : to) {
      try {
        listener.accept(outcome);
      } catch (RuntimeException e) {
        LOG.warn("An outcome listener failed [terminal={}, detail={}]", terminalId, e.getMessage());
      }
    }
  }

  private static String rrn(long sequence) {
    return String.format("%012d", sequence % 1_000_000_000_000L);
  }

  @Override
  public void close() {
    if (wallet != null) {
      wallet.close();
    }
    link.close();
    journal.close();
  }
}

package io.iotpay.demo.pos;

import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.bench.pos.PosCard;
import io.iotpay.bench.pos.SimulatedSecureElement;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.DigestAlgorithm;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.phone.pos.DeviceSensors;
import io.iotpay.phone.pos.HttpAcquirerClient;
import io.iotpay.phone.pos.PosSdk;
import io.iotpay.phone.pos.SdkOutcome;
import io.iotpay.phone.pos.SecureElement;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.terminal.pos.PosConfig;
import io.iotpay.terminal.pos.PosJournal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Phones as terminals (docs/demo-pos.md, "Phones"): two merchants registered over the acquirer's
 * HTTP API, each with a phone enrolled through the acquiring SDK (key pair made in a jCardSim SE,
 * certificate from the acquirer over HTTP), the first merchant's second phone running a repackaged
 * SDK and its third phone rooted. Every payment is attested to the acquirer's
 * monitoring service over HTTP first. On day 1 the tampered and the rooted phone are refused and
 * blocked by risk sensing, and the tampered one's next payment is refused before it reaches the scheme; on the last day an operator suspends the second merchant over the
 * API, and its phone's next payment is refused. What happened is read from the acquirer's records,
 * not from here.
 */
final class PhoneTills implements AutoCloseable {
  static final byte[] GENUINE_BUILD = sha256("iotpay-pos-sdk 1.0 release build");
  static final byte[] TAMPERED_BUILD = sha256("iotpay-pos-sdk 1.0 repackaged with a hook");
  static final int MERCHANT_BASE = 101;
  static final int PAYMENTS_PER_PHONE_DAY = 3;
  /** Shanghai, People's Square, in microdegrees. */
  private static final int LAT = 31_230_400;
  private static final int LON = 121_473_700;

  /** One phone: its SDK and the directory its journal is in. */
  private record Phone(String name, PosSdk sdk, Path dir, MerchantDesk.Signed merchant) {}

  private final AcquirerNode acquirer;
  private final ManualBusinessClock clock;
  private final List<Phone> genuine = new ArrayList<>();
  private final Phone tampered;
  private final Phone rooted;
  private final List<String> notes;
  /** The phones' own choices, so that the counter-top terminals' seeded faults stay where they were. */
  private final Random random;

  PhoneTills(Path dir, AcquirerNode acquirer, Iso8583Wire wire, ManualBusinessClock clock, long seed, List<String> notes) {
    this.acquirer = acquirer;
    this.random = new Random(seed);
    this.clock = clock;
    this.notes = notes;
    MerchantDesk.Signed first = acquirer.desk.registerActive(MERCHANT_BASE, "Phone Noodle Stall");
    MerchantDesk.Signed second = acquirer.desk.registerActive(MERCHANT_BASE + 1, "Phone Fruit Stall");
    acquirer.phoneMerchants.add(new MerchantId(first.merchantId()));
    acquirer.phoneMerchants.add(new MerchantId(second.merchantId()));
    genuine.add(phone(dir, wire, "phone-a", first, DeviceSensors.fixed(GENUINE_BUILD, 0, LAT, LON)));
    genuine.add(phone(dir, wire, "phone-b", second, DeviceSensors.fixed(GENUINE_BUILD, 0, LAT, LON)));
    tampered = phone(dir, wire, "phone-t", first, DeviceSensors.fixed(TAMPERED_BUILD, 0, LAT, LON));
    rooted = phone(dir, wire, "phone-r", first, DeviceSensors.fixed(GENUINE_BUILD, DeviceSensors.ROOTED, LAT, LON));
  }

  /** Enrols a phone over HTTP and opens its SDK on an ISO 8583 link to the acquirer's terminal port. */
  private Phone phone(Path dir, Iso8583Wire wire, String name, MerchantDesk.Signed merchant, DeviceSensors sensors) {
    Path phoneDir = dir.resolve(name);
    SecureElement se = SimulatedSecureElement.create(AlgorithmSuite.NATIONAL);
    HttpAcquirerClient client = acquirer.desk.client(merchant, AlgorithmSuite.NATIONAL);
    String terminalId = PosSdk.enrol(phoneDir, AlgorithmSuite.NATIONAL, se, client).terminalId();
    acquirer.phoneTerminals.add(terminalId);
    Iso8583Client link = new Iso8583Client(Links.loopback(acquirer.terminalPort()),
        Links.settings(AcquirerNode.INSTITUTION, terminalId, Links.TERMINAL_TO_ACQUIRER_TIMEOUT_MS),
        acquirer.terminalLink, wire);
    PosSdk sdk = PosSdk.open(new PosSdk.Options(phoneDir, AcquirerNode.INSTITUTION, name.toUpperCase(Locale.ROOT).replace("-", ""), 1, 0,
            config -> config.withLimits(0, 30_000, PosConfig.RandomSelection.OFF)), se, link, client,
        sensors, clock.asJavaClock());
    return new Phone(name, sdk, phoneDir, merchant);
  }

  /**
   * The phones' payments of one business day: each genuine phone charges {@link
   * #PAYMENTS_PER_PHONE_DAY} cards and refunds a quarter of its first approved sale; day 1 adds the
   * tampered phone's two attempts, the last day the suspended merchant's.
   */
  void payDay(int day, int lastDay, List<PosCard> cards) {
    if (day == lastDay) {
      Phone suspended = genuine.get(1);
      acquirer.desk.operator("/v1/pos/merchants/" + suspended.merchant().merchantId() + "/suspend",
          "documents expired");
      expectRefused(charge(suspended, cards), suspended, "TERMINAL_NOT_ALLOWED");
    }
    for (Phone phone : genuine.subList(0, day == lastDay ? 1 : 2)) {
      SdkOutcome firstSale = null;
      for (int i = 0; i < PAYMENTS_PER_PHONE_DAY; i++) {
        SdkOutcome outcome = charge(phone, cards);
        if (outcome.approved() && firstSale == null) {
          firstSale = outcome;
        }
        if (!"NONE".equals(outcome.reversal()) && !"ACKNOWLEDGED".equals(outcome.reversal())) {
          notes.add(phone.name() + ": a reversal is " + outcome.reversal());
        }
      }
      if (firstSale != null) {
        SdkOutcome refund = phone.sdk().refund(firstSale.receipt(),
            Money.ofMinor(Math.max(1, firstSale.receipt().amountMinor() / 4), CurrencyUnit.CNY));
        if (!refund.approved()) {
          notes.add(phone.name() + ": a refund was not approved: " + refund.receipt().reason());
        }
      }
    }
    if (day == 1) {
      expectRefused(charge(tampered, cards), tampered, "UNKNOWN_SDK_BUILD");
      expectRefused(charge(tampered, cards), tampered, "TERMINAL_NOT_ALLOWED");
      expectRefused(charge(rooted, cards), rooted, "DEVICE_COMPROMISED");
    }
  }

  private SdkOutcome charge(Phone phone, List<PosCard> cards) {
    PosCard card = cards.get(random.nextInt(cards.size()));
    long amount = 500 + random.nextInt(150) * 100L;
    card.reinsert();
    SdkOutcome outcome = phone.sdk().charge(Money.ofMinor(amount, CurrencyUnit.CNY), card.channel());
    clock.advance(Duration.ofMinutes(1));
    return outcome;
  }

  private void expectRefused(SdkOutcome outcome, Phone phone, String reason) {
    if (outcome.approved() || outcome.attestation() == null || !reason.equals(outcome.attestation().reason())) {
      notes.add(phone.name() + ": expected a refusal " + reason + ", got " + outcome);
    }
  }

  /** Every phone's journal entries with a FINAL stage (read once the SDKs are closed). */
  List<PosJournal.Entry> finals() {
    List<PosJournal.Entry> finals = new ArrayList<>();
    for (Phone phone : all()) {
      try (PosJournal journal = PosJournal.open(phone.dir().resolve(PosSdk.JOURNAL_FILE))) {
        journal.entries().stream().filter(e -> e.stage() == PosJournal.Stage.FINAL).forEach(finals::add);
      }
    }
    return finals;
  }

  /** The genuine phones' SDKs (phones A and B), in order: they also scan consumer-presented QR codes ({@link QrNode}). */
  List<PosSdk> genuineSdks() {
    return genuine.stream().map(Phone::sdk).toList();
  }

  private List<Phone> all() {
    List<Phone> all = new ArrayList<>(genuine);
    all.add(tampered);
    all.add(rooted);
    return all;
  }

  @Override
  public void close() {
    for (Phone phone : all()) {
      phone.sdk().close();
    }
  }

  private static byte[] sha256(String text) {
    return DigestAlgorithm.SHA_256.digest(text.getBytes(StandardCharsets.US_ASCII));
  }
}

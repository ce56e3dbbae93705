package io.iotpay.app.iot;

import io.iotpay.agent.sdk.ChipDeviceSigner;
import io.iotpay.agent.sdk.DeviceCsr;
import io.iotpay.agent.sdk.DeviceSigner;
import io.iotpay.agent.sdk.EnvelopeClient;
import io.iotpay.agent.sdk.InMemoryMessageCounter;
import io.iotpay.agent.sdk.PlatformTrust;
import io.iotpay.agent.sdk.SealedMessage;
import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.agent.transport.DeviceTransport;
import io.iotpay.agent.transport.TransportException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Certificates;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.AccountResult;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.platform.decision.DecisionOutcome;
import io.iotpay.platform.decision.DecisionStats;
import io.iotpay.platform.decision.IdempotencyKey;
import io.iotpay.platform.decision.PaymentDecision;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.IdentityException;
import io.iotpay.platform.mandate.MandateTerms;
import io.iotpay.platform.mandate.Merchant;
import io.iotpay.platform.risk.RiskConfig;
import io.iotpay.platform.rules.Bill;
import io.iotpay.platform.rules.Biller;
import io.iotpay.platform.rules.BuiltInRules;
import io.iotpay.platform.state.GeoPoint;
import io.iotpay.protocol.device.DeviceMessageCodec;
import io.iotpay.protocol.device.DeviceRequest;
import io.iotpay.protocol.device.PlatformAnswer;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code iotpay demo iot}: the seed's three scenarios with simulated devices of both suites on one
 * platform node. Washing machines re-order detergent when low and confirm the delivery; car head
 * units pay fuel (at the pump, confirmed by the driver) and parking; smart speakers pay utility bills
 * (the user confirms large ones in their app). Some messages are delivered twice, and attacks are
 * injected — unknown and revoked devices, a certificate from an unregistered manufacturer CA, the
 * wrong suite, a replayed counter, a message signed by another device, a message pushed through
 * another device's channel, tampered, oversized and malformed envelopes, and a clone racing the real
 * device — each must be refused with a recorded reason while no balance moves. At the end every book
 * must balance and the audit log must verify.
 */
public final class IotDemo {
  static final CurrencyUnit CNY = CurrencyUnit.CNY;
  static final long BOOK = 1;
  static final long FUNDING_ACCOUNT = 100;
  static final long SHOP_ACCOUNT = 200;
  static final long PARKING_ACCOUNT = 210;
  static final long POWER_ACCOUNT = 220;
  static final long PUMP_ACCOUNT_BASE = 300;
  static final int PUMPS = 3;
  static final String POWER_BILLER = "power-co";
  static final Instant START = Instant.parse("2026-11-23T06:00:00Z");

  /** Opens the transport a simulated device talks through ({@code signer} null for an attacker's line). */
  @FunctionalInterface
  interface TransportFactory {
    DeviceTransport open(DeviceId device, String type, DeviceSigner signer, String session);
  }

  /** The attacks, injected in turn. */
  enum Attack {
    UNKNOWN_DEVICE, REVOKED_DEVICE, UNREGISTERED_MANUFACTURER_CA, WRONG_SUITE, REPLAYED_COUNTER, SIGNED_BY_ANOTHER_DEVICE,
    ANOTHER_DEVICES_CHANNEL, TAMPERED, OVERSIZED, MALFORMED, CLONE_RACING,
    /** Over MQTT only: a registered device publishes on another device's topic. */
    ANOTHER_DEVICES_TOPIC
  }

  private final IotSettings settings;
  private TransportFactory transports;
  private String transportName;
  private final PrintStream progress;
  private final Random random;
  private final SecureRandom secureRandom = new SecureRandom();
  private final ManualBusinessClock clock = new ManualBusinessClock(START, BusinessDayRule.UTC_MIDNIGHT);
  private IotNode node;
  private final List<SimDevice> devices = new ArrayList<>();
  private SimDevice stolen;
  private IotServer server;
  private AttackRecords records;
  /** The chip of a genuine device whose owner turns it against its neighbours' topics. */
  private ChipDeviceSigner rogue;
  private long nextAccount = 1_000;
  private long nextFundingId = 1;
  private int hour;
  private long captured;
  private long voided;
  private long attacksInjected;
  private long attacksBlocked;
  /** Envelopes the demo's devices (and the clone, which holds a device's chip) sealed through their SDK. */
  private long deviceMessages;
  private final Map<String, Long> attacksByKind = new TreeMap<>();

  private IotDemo(IotSettings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
    this.random = new Random(settings.seed());
  }

  /**
   * Runs the scenario: over real MQTT, CoAP/DTLS and HTTP on loopback to the platform's doors when
   * {@link IotSettings#network()}, else with devices wired straight to the platform's inbox.
   */
  public static IotReport run(IotSettings settings, PrintStream progress) throws Exception {
    return new IotDemo(settings, progress).run();
  }

  private IotReport run() throws Exception {
    Path dir = settings.dataDir();
    Files.createDirectories(dir);
    Path database = dir.resolve("iotpay-iot.db");
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Files.deleteIfExists(Path.of(database + suffix));
    }
    KeyPair auditKey = settings.auditSuite().signature().generateKeyPair(secureRandom);
    Files.writeString(dir.resolve("iot-audit-public-key.pem"), io.iotpay.foundation.crypto.Pem.write(auditKey.getPublic()));
    RiskConfig risk = RiskConfig.defaults().withVelocity(3_600_000, 20, 200_000);
    try (IotNode opened = new IotNode(database, clock, settings.auditSuite(), auditKey, risk, secureRandom);
        IotServer server = settings.network() ? IotServer.start(opened, serverOptions(dir), secureRandom) : null;
        NetworkTransports network = server == null ? null : new NetworkTransports(server)) {
      node = opened;
      this.server = server;
      records = new AttackRecords(opened, server);
      if (network != null) {
        transports = (device, type, signer, session) -> network.open(device, type, signer);
        transportName = NetworkTransports.names();
      } else {
        transports = (device, type, signer, session) -> new InProcessTransport(opened.inbox,
            io.iotpay.platform.inbox.Transport.MQTT, device, session);
        transportName = "in-process";
      }
      openMerchants();
      enrolDevices();
      for (hour = 1; hour <= settings.hours(); hour++) {
        clock.advance(Duration.ofHours(1));
        for (SimDevice device : devices) {
          act(device);
        }
        if (random.nextDouble() < settings.attackRate()) {
          List<Attack> kinds = settings.network() ? List.of(Attack.values())
              : Arrays.stream(Attack.values()).filter(a -> a != Attack.ANOTHER_DEVICES_TOPIC).toList();
          attack(kinds.get((int) (attacksInjected % kinds.size())));
        }
        if (hour % 6 == 0 || hour == settings.hours()) {
          progress.printf("demo iot: hour %d/%d, %d decisions, %d attacks blocked%n", hour, settings.hours(),
              node.decisions.stats().approved() + node.decisions.stats().declined(), attacksBlocked);
        }
      }
      return report(dir, auditKey);
    } finally {
      for (SimDevice device : devices) {
        device.transport.close();
      }
    }
  }

  /** Every door on a free loopback port; no users or operator token are handed out (the demo acts for them in process). */
  private IotServer.Options serverOptions(Path dir) {
    byte[] psk = new byte[32];
    secureRandom.nextBytes(psk);
    byte[] operator = new byte[24];
    secureRandom.nextBytes(operator);
    return new IotServer.Options("127.0.0.1", 0, 0, 0, dir.resolve("iot-server"), HexFormat.of().formatHex(operator),
        io.iotpay.platform.operator.UserTokens.inMemory(Map.of()), (user, account) -> false, psk, 2, 256);
  }

  // ---------------------------------------------------------------- set-up

  private void openMerchants() throws Exception {
    createAccount(FUNDING_ACCOUNT, AccountFlags.NONE);
    merchant(new Merchant(BuiltInRules.DETERGENT_SHOP, "Detergent Shop", "5399", SHOP_ACCOUNT, null));
    merchant(new Merchant("city-parking", "City Parking", "7523", PARKING_ACCOUNT, null));
    merchant(new Merchant(POWER_BILLER, "Power Company", "4900", POWER_ACCOUNT, null));
    for (int p = 0; p < PUMPS; p++) {
      merchant(new Merchant("pump-" + p, "Fuel Station " + p, "5542", PUMP_ACCOUNT_BASE + p, pumpPlace(p)));
    }
    node.billers.addBiller(new Biller(POWER_BILLER, POWER_BILLER));
  }

  private static GeoPoint pumpPlace(int p) {
    return new GeoPoint(31.20 + 0.05 * p, 121.40 + 0.05 * p);
  }

  private void merchant(Merchant merchant) throws Exception {
    createAccount(merchant.settlementAccountId(), AccountFlags.NONE);
    node.merchants.put(merchant);
  }

  private void enrolDevices() throws Exception {
    String[] types = {BuiltInRules.WASHER, BuiltInRules.CAR, BuiltInRules.SPEAKER};
    for (int i = 0; i < settings.devices(); i++) {
      String type = types[i % 3];
      AlgorithmSuite suite = (i / 3) % 2 == 0 ? AlgorithmSuite.INTERNATIONAL : AlgorithmSuite.NATIONAL;
      SimDevice device = enrol(type + "-" + i, type, suite);
      long account = nextAccount++;
      createAccount(account, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS);
      fund(account, 300_000);
      node.mandates.bind(device.user, device.id, account, terms(type));
      devices.add(device);
    }
    stolen = enrol("stolen-washer", BuiltInRules.WASHER, AlgorithmSuite.NATIONAL, "thief");
    // A genuine, registered device (no mandate) whose owner turns it against its neighbours' topics.
    rogue = DeviceChips.install("rogue-device", AlgorithmSuite.INTERNATIONAL);
    var rogueRecord = node.identity.registerFromCsr(AlgorithmSuite.INTERNATIONAL, DeviceCsr.create(rogue), clock.now());
    rogue.personalise(rogueRecord.certificate().getEncoded(), node.answerKeys.get(AlgorithmSuite.INTERNATIONAL).keys().getPublic().getEncoded());
    node.identity.revoke(stolen.id, "reported stolen by its owner", clock.now());
    progress.printf("demo iot: %d devices enrolled from their CSRs (both suites), one more revoked as stolen%n", devices.size());
  }

  private SimDevice enrol(String id, String type, AlgorithmSuite suite) throws Exception {
    return enrol(id, type, suite, type);
  }

  /** @param line the device type whose kind of link it gets (the stolen washer talks over HTTP, from wherever the thief is) */
  /**
   * Factory and enrolment of one device: its chip generates the key, signs the CSR, receives the
   * certificate and the platform's answer key and is locked; from then on the SDK signs and counts
   * through the chip only.
   *
   * @param line the device type whose kind of link it gets (the stolen washer talks over HTTP, from wherever the thief is)
   */
  private SimDevice enrol(String id, String type, AlgorithmSuite suite, String line) throws Exception {
    ChipDeviceSigner chip = DeviceChips.install(id, suite);
    var record = node.identity.registerFromCsr(suite, DeviceCsr.create(chip), clock.now());
    chip.personalise(record.certificate().getEncoded(), node.answerKeys.get(suite).keys().getPublic().getEncoded());
    byte[] key = new byte[16];
    secureRandom.nextBytes(key);
    SecretKeyBytes payloadKey = new SecretKeyBytes(key);
    DeviceId deviceId = DeviceId.of(id);
    node.payloadKey(deviceId, payloadKey);
    SimDevice device = new SimDevice(deviceId, type, suite, chip, chipClient(chip, payloadKey), "user-" + id, payloadKey);
    device.transport = transports.open(deviceId, line, chip, "session-" + id);
    return device;
  }

  /** The SDK of a device whose key and counter are on {@code chip}. */
  private EnvelopeClient chipClient(ChipDeviceSigner chip, SecretKeyBytes payloadKey) {
    return new EnvelopeClient(chip, chip, trust(chip.suite()), payloadKey, secureRandom);
  }

  /** An attacker's sender: a key in memory, not a device's chip. */
  private EnvelopeClient attackerClient(DeviceSigner signer, long counter) {
    return new EnvelopeClient(signer, new InMemoryMessageCounter(counter), trust(signer.suite()), null, secureRandom);
  }

  private PlatformTrust trust(AlgorithmSuite suite) {
    var answerKey = node.answerKeys.get(suite);
    return new PlatformTrust(suite, answerKey.keyId(), answerKey.keys().getPublic());
  }

  private static MandateTerms terms(String type) {
    return switch (type) {
      case BuiltInRules.WASHER -> new MandateTerms(cny(5_000), cny(10_000), cny(30_000), cny(5_000), Set.of(BuiltInRules.DETERGENT_SHOP), Set.of());
      case BuiltInRules.CAR -> new MandateTerms(cny(60_000), cny(150_000), cny(1_000_000), cny(50_000), Set.of(), Set.of("5542", "7523"));
      default -> new MandateTerms(cny(50_000), cny(100_000), cny(300_000), cny(20_000), Set.of(POWER_BILLER), Set.of());
    };
  }

  // ---------------------------------------------------------------- the devices' hour

  private void act(SimDevice device) throws Exception {
    switch (device.type) {
      case BuiltInRules.WASHER -> washer(device);
      case BuiltInRules.CAR -> car(device);
      default -> speaker(device);
    }
  }

  private void washer(SimDevice d) throws Exception {
    if (d.heldCounter >= 0 && hour >= d.deliverAtHour) {
      boolean delivered = random.nextDouble() < 0.9;
      exchange(d, new DeviceRequest.Delivery(d.heldCounter, delivered), false);
      if (delivered) {
        captured++;
        d.level = 100;
      } else {
        voided++;
      }
      d.heldCounter = -1;
    }
    d.level = Math.max(0, d.level - 2 - random.nextInt(7));
    PlatformAnswer answer = exchange(d, event(BuiltInRules.WASHER, Map.of("detergentLevelPercent", Integer.toString(d.level))), false);
    for (PlatformAnswer.Decision decision : settle(d, answer)) {
      d.heldCounter = decision.counter();
      d.deliverAtHour = hour + 2 + random.nextInt(5);
    }
  }

  private void car(SimDevice d) throws Exception {
    if (random.nextDouble() < 0.12) {
      int pump = random.nextInt(PUMPS);
      GeoPoint at = pumpPlace(pump);
      exchange(d, new DeviceRequest.Status("hu-7.1", false, Math.round(at.latitudeDeg() * 1e6), Math.round(at.longitudeDeg() * 1e6)), false);
      PlatformAnswer answer = exchange(d, event(BuiltInRules.CAR, Map.of("event", "fuel-dispensed", "merchantId", "pump-" + pump,
          "amountMinor", Long.toString(20_000 + random.nextInt(25_000)), "currency", "CNY", "driverConfirmed", "true",
          "pumpSession", "ps-" + d.id.value() + "-" + hour)), false);
      captureAll(d, settle(d, answer));
    } else if (random.nextDouble() < 0.15) {
      PlatformAnswer answer = exchange(d, event(BuiltInRules.CAR, Map.of("event", "parking-ended", "merchantId", "city-parking",
          "amountMinor", Long.toString(500 + random.nextInt(3_500)), "currency", "CNY", "driverConfirmed", "true",
          "parkingTicket", "t-" + d.id.value() + "-" + hour)), false);
      captureAll(d, settle(d, answer));
    } else {
      exchange(d, new DeviceRequest.Status("hu-7.1", false, null, null), false);
    }
  }

  private void speaker(SimDevice d) throws Exception {
    if (random.nextDouble() < 0.06) {
      String customer = "cust-" + d.id.value();
      node.billers.issue(new Bill("bill-" + d.id.value() + "-" + hour, POWER_BILLER, customer,
          cny(5_000 + random.nextInt(35_000)), clock.businessDate().plusDays(14)));
      // The user's account details are sensitive: the speaker encrypts this request.
      PlatformAnswer answer = exchange(d, event(BuiltInRules.SPEAKER, Map.of("intent", "pay-bill", "biller", POWER_BILLER,
          "customerRef", customer)), true);
      captureAll(d, settle(d, answer));
    } else {
      exchange(d, new DeviceRequest.Status("sp-3.0", false, null, null), false);
    }
  }

  private static DeviceRequest event(String type, Map<String, String> fields) {
    return new DeviceRequest.Event(type, fields);
  }

  /**
   * The user's part of each decision: a payment that asks for confirmation is answered in the app
   * (approved nine times in ten). Returns the decisions that hold money now.
   */
  private List<PlatformAnswer.Decision> settle(SimDevice d, PlatformAnswer answer) {
    List<PlatformAnswer.Decision> held = new ArrayList<>();
    for (PlatformAnswer.Decision decision : answer.decisions()) {
      if (decision.outcome().equals(DecisionOutcome.APPROVED.name())) {
        held.add(decision);
      } else if (decision.outcome().equals(DecisionOutcome.ASK_USER.name())) {
        PaymentDecision answered = node.decisions.answer(new IdempotencyKey(d.id, decision.counter()), d.user, random.nextDouble() < 0.9);
        if (answered.outcome() == DecisionOutcome.APPROVED) {
          held.add(decision);
        }
      }
    }
    return held;
  }

  private void captureAll(SimDevice d, List<PlatformAnswer.Decision> held) throws Exception {
    for (PlatformAnswer.Decision decision : held) {
      PlatformAnswer answer = exchange(d, new DeviceRequest.Delivery(decision.counter(), true), false);
      if (answer.status() == PlatformAnswer.Status.OK) {
        captured++;
      }
    }
  }

  /** Seals, sends (sometimes twice, as a QoS 1 redelivery would), and opens the signed answer. */
  private PlatformAnswer exchange(SimDevice d, DeviceRequest request, boolean encrypt) throws Exception {
    SealedMessage sealed = seal(d, DeviceMessageCodec.encode(request), encrypt);
    d.remember(sealed);
    byte[] answer = send(d, sealed);
    if (random.nextDouble() < settings.duplicateRate()) {
      byte[] again = send(d, sealed);
      if (!Arrays.equals(again, answer)) {
        throw new IllegalStateException("a duplicate of " + d.id + " #" + sealed.counter() + " got a different answer");
      }
    }
    return DeviceMessageCodec.decodeAnswer(d.client.openAnswer(sealed, answer));
  }

  /** A device's SDK seals a message: signed and counted on its chip. */
  private SealedMessage seal(SimDevice d, byte[] payload, boolean encrypt) {
    deviceMessages++;
    return d.client.seal(payload, encrypt);
  }

  private static byte[] send(SimDevice d, SealedMessage sealed) throws Exception {
    try {
      return d.transport.send(sealed.bytes()).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("device " + d.id + " message #" + sealed.counter() + " failed: " + e.getCause().getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- attacks

  private void attack(Attack kind) throws Exception {
    attacksInjected++;
    attacksByKind.merge(kind.name(), 1L, Long::sum);
    SimDevice victim = devices.get(random.nextInt(devices.size()));
    AttackRecords.Mark mark = records.mark();
    boolean refused = switch (kind) {
      case UNKNOWN_DEVICE -> {
        EnvelopeClient stranger = attackerClient(SoftwareDeviceSigner.generate("stranger-" + hour, victim.suite, secureRandom), 0);
        yield refusedOverAttackersLine(DeviceId.of("stranger-" + hour), stranger.seal(payload(victim), false).bytes());
      }
      case REVOKED_DEVICE -> refusedOver(stolen.transport, seal(stolen, payload(stolen), false).bytes());
      case UNREGISTERED_MANUFACTURER_CA -> {
        KeyPair caKeys = victim.suite.signature().generateKeyPair(secureRandom);
        X509Certificate rogueCa = Certificates.issueCa(victim.suite, caKeys, new Certificates.Profile("CN=Rogue Devices CA",
            clock.now().minus(Duration.ofDays(1)), clock.now().plus(Duration.ofDays(365)), BigInteger.valueOf(hour + 1L)));
        KeyPair chip = victim.suite.signature().generateKeyPair(secureRandom);
        X509Certificate leaf = Certificates.issueLeaf(victim.suite, rogueCa, caKeys.getPrivate(), chip.getPublic(),
            new Certificates.Profile("CN=rogue-" + hour, clock.now().minus(Duration.ofHours(1)), clock.now().plus(Duration.ofDays(30)),
                BigInteger.valueOf(hour + 2L)));
        try {
          node.identity.authenticate(victim.suite, leaf, clock.now());
          yield false;
        } catch (IdentityException e) {
          yield node.identity.deviceForMessage(DeviceId.of("rogue-" + hour)).isEmpty();
        }
      }
      case WRONG_SUITE -> {
        AlgorithmSuite other = victim.suite == AlgorithmSuite.INTERNATIONAL ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL;
        EnvelopeClient forger = attackerClient(SoftwareDeviceSigner.generate(victim.id.value(), other, secureRandom), 1_000_000);
        yield refusedOver(victim.transport, forger.seal(payload(victim), false).bytes());
      }
      case REPLAYED_COUNTER -> victim.oldest() != null && refusedOver(victim.transport, victim.oldest().bytes());
      case SIGNED_BY_ANOTHER_DEVICE -> {
        SimDevice other = devices.get((devices.indexOf(victim) + 3) % devices.size());
        // Another device's chip (its owner's attack) signing under the victim's id; a key of the suite if theirs differs.
        DeviceSigner otherKey = other.suite == victim.suite ? new ImpostorSigner(victim.id.value(), other.chip)
            : SoftwareDeviceSigner.generate(victim.id.value(), victim.suite, secureRandom);
        EnvelopeClient forger = attackerClient(otherKey, 1_000_000);
        yield refusedOver(victim.transport, forger.seal(payload(victim), false).bytes());
      }
      case ANOTHER_DEVICES_CHANNEL -> {
        SimDevice other = devices.get((devices.indexOf(victim) + 1) % devices.size());
        SealedMessage theirs = seal(other, payload(other), false);
        yield refusedOver(victim.transport, theirs.bytes());
      }
      case TAMPERED -> {
        byte[] bytes = seal(victim, payload(victim), false).bytes();
        bytes[bytes.length / 2] ^= 0x10;
        // Raw bytes at the door under the victim's id: the device's own MQTT and CoAP SDK would not send
        // a message it cannot parse, so a tampered or malformed message comes from an attacker's line.
        yield refusedOverAttackersLine(victim.id, bytes);
      }
      case OVERSIZED -> refusedOverAttackersLine(victim.id, new byte[64 * 1024]);
      case MALFORMED -> {
        byte[] junk = new byte[1 + random.nextInt(200)];
        random.nextBytes(junk);
        yield refusedOverAttackersLine(victim.id, junk);
      }
      case ANOTHER_DEVICES_TOPIC -> publishesOnAnotherTopic(victim);
      case CLONE_RACING -> {
        // A second device holding the victim's chip image: the same key and the same counter, so every
        // counter it sends is fresh — no replay gives it away. It speaks from another place (another line;
        // over the network another loopback address, 127.0.0.2) in turn with the real device. Status
        // reports only, so the demo's money is not at stake here.
        byte[] status = DeviceMessageCodec.encode(new DeviceRequest.Status(null, null, null, null));
        send(victim, seal(victim, status, false));
        EnvelopeClient clone = chipClient(victim.chip, victim.payloadKey);
        try (DeviceTransport cloneLine = transports.open(victim.id, NetworkTransports.CLONE, null, "clone-" + hour)) {
          deviceMessages++;
          cloneLine.send(clone.seal(status, false).bytes()).get(30, TimeUnit.SECONDS);
        }
        send(victim, seal(victim, status, false));
        yield true; // the verdict is the platform's clone flag, read below
      }
    };
    DeviceId subject = kind == Attack.UNREGISTERED_MANUFACTURER_CA ? DeviceId.of("rogue-" + hour) : victim.id;
    AttackRecords.Verdict verdict = records.verdict(kind, subject, mark);
    if (kind == Attack.CLONE_RACING && verdict.blocked()) {
      // The operator investigates, re-keys nothing in this demo, and clears the flag for the real device.
      node.states.clearCloneSuspicion(victim.id, "demo: the operator read the evidence and cleared the flag", null);
    }
    if (verdict.blocked()) {
      attacksBlocked++;
    } else {
      progress.printf("demo iot: attack %s on %s was NOT blocked by the platform's records (%s; the demo's own view: refused %s)%n",
          kind, victim.id, verdict.evidence(), refused);
    }
  }

  /**
   * The rogue device connects with its own valid connect token and publishes the victim's kind of
   * paying event on the victim's up topic: the broker must refuse the PUBLISH (or drop the connection),
   * record it with the platform's refusals (NOT_AUTHORISED), and no message reaches the platform.
   */
  private boolean publishesOnAnotherTopic(SimDevice victim) throws Exception {
    long messagesBefore = node.inbox.stats().messages();
    long refusedBefore = server.broker.stats().refusedPublishes();
    com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient rogue = com.hivemq.client.mqtt.MqttClient.builder().useMqttVersion5()
        .identifier("rogue-device").serverHost(server.host()).serverPort(server.broker.port()).buildAsync();
    rogue.connectWith().simpleAuth().username("rogue-device")
        .password(io.iotpay.agent.transport.ConnectTokens.create(this.rogue, Instant.now())).applySimpleAuth()
        .send().get(30, TimeUnit.SECONDS);
    boolean refused;
    try {
      rogue.publishWith().topic("devices/" + victim.id.value() + "/up").qos(com.hivemq.client.mqtt.datatypes.MqttQos.AT_LEAST_ONCE)
          .payload(seal(victim, payload(victim), false).bytes()).send().get(30, TimeUnit.SECONDS);
      refused = false;
    } catch (ExecutionException e) {
      refused = true; // PUBACK NOT_AUTHORIZED, or the broker closed the connection
    } finally {
      rogue.disconnect();
    }
    io.iotpay.foundation.Conditions.await(Duration.ofSeconds(5), () -> server.broker.stats().refusedPublishes() > refusedBefore);
    return refused && server.broker.stats().refusedPublishes() > refusedBefore
        && node.inbox.stats().messages() == messagesBefore;
  }

  /** A payload that would pay if it were accepted: the device type's paying event. */
  private static byte[] payload(SimDevice d) {
    DeviceRequest request = switch (d.type) {
      case BuiltInRules.WASHER -> event(BuiltInRules.WASHER, Map.of("detergentLevelPercent", "1"));
      case BuiltInRules.CAR -> event(BuiltInRules.CAR, Map.of("event", "parking-ended", "merchantId", "city-parking",
          "amountMinor", "3000", "currency", "CNY", "driverConfirmed", "true", "parkingTicket", "forged"));
      default -> event(BuiltInRules.SPEAKER, Map.of("intent", "pay-bill", "biller", POWER_BILLER, "customerRef", "cust-" + d.id.value()));
    };
    return DeviceMessageCodec.encode(request);
  }

  /** Sends {@code bytes} on an attacker's own line (HTTP over the network) claiming {@code device}'s channel. */
  private boolean refusedOverAttackersLine(DeviceId device, byte[] bytes) throws Exception {
    try (DeviceTransport line = transports.open(device, "attacker", null, "attacker-" + hour)) {
      return refusedOver(line, bytes);
    }
  }

  private static boolean refusedOver(DeviceTransport transport, byte[] envelope) throws Exception {
    try {
      transport.send(envelope).get(30, TimeUnit.SECONDS);
      return false;
    } catch (ExecutionException e) {
      return e.getCause() instanceof TransportException;
    }
  }

  // ---------------------------------------------------------------- books

  private void createAccount(long id, AccountFlags flags) throws Exception {
    List<AccountResult> results = node.ledger.createAccounts(List.of(new Account(id, BOOK, CNY, flags))).get(30, TimeUnit.SECONDS);
    if (results.get(0) != AccountResult.OK) {
      throw new IllegalStateException("account " + id + ": " + results.get(0));
    }
  }

  private void fund(long account, long minor) throws Exception {
    TransferResult result = node.ledger.submit(List.of(Transfer.single(nextFundingId++, FUNDING_ACCOUNT, account, minor)))
        .get(30, TimeUnit.SECONDS).get(0);
    if (result != TransferResult.OK) {
      throw new IllegalStateException("funding " + account + ": " + result);
    }
  }

  private static Money cny(long minor) {
    return Money.ofMinor(minor, CNY);
  }

  private IotReport report(Path dir, KeyPair auditKey) throws Exception {
    DecisionStats stats = node.decisions.stats();
    var inbox = node.inbox.stats();
    boolean balanced = IotBooks.balanced(node.ledger);
    long spent = 0;
    for (AccountBalance balance : node.ledger.balances().values()) {
      if (balance.account().id() >= 1_000) {
        spent += balance.debitsPostedMinor();
      }
    }
    long held = node.decisions.openDecisions().stream().filter(d -> d.outcome() == DecisionOutcome.APPROVED).count();
    node.auditLog.checkpointNow();
    IotBooks.Audit audit = IotBooks.verifyAudit(node.database, auditKey, settings.auditSuite());
    Map<String, Long> refusals = new LinkedHashMap<>();
    node.inbox.securityLog().counts().forEach((reason, count) -> refusals.put(reason.name(), count));
    return new IotReport(devices.size(), inbox.events(), stats.approved(), stats.declined(), stats.confirmationsRequested(),
        inbox.duplicates() + stats.duplicatesSuppressed(), attacksInjected, attacksBlocked, balanced, audit.verified(),
        transportName, settings.hours(), settings.seed(), inbox.messages(), captured, voided, held, spent,
        new HashMap<>(attacksByKind), refusals, audit.leaves(), audit.detail(),
        new IotReport.Chips(deviceMessages, signedOnChip()), records.blockedByRecord(), records.attackRefusals());
  }

  /**
   * Envelopes signed by a device chip under a counter the chip took (SIGN ENVELOPE after the SDK's
   * counter), over every chip of the demo: the stolen washer's too, and the victims' chips the clone used.
   */
  private long signedOnChip() {
    long signed = stolen.chip.envelopesSigned();
    for (SimDevice device : devices) {
      signed += device.chip.envelopesSigned();
    }
    return signed;
  }

  /** One simulated device and what it remembers. */
  static final class SimDevice {
    final DeviceId id;
    final String type;
    final AlgorithmSuite suite;
    final ChipDeviceSigner chip;
    final EnvelopeClient client;
    final String user;
    final SecretKeyBytes payloadKey;
    DeviceTransport transport;
    int level = 100;
    long heldCounter = -1;
    int deliverAtHour;
    long lastCounter;
    private final ArrayDeque<SealedMessage> recent = new ArrayDeque<>();

    SimDevice(DeviceId id, String type, AlgorithmSuite suite, ChipDeviceSigner chip, EnvelopeClient client, String user, SecretKeyBytes payloadKey) {
      this.id = id;
      this.type = type;
      this.suite = suite;
      this.chip = chip;
      this.client = client;
      this.user = user;
      this.payloadKey = payloadKey;
    }

    void remember(SealedMessage sealed) {
      lastCounter = sealed.counter();
      recent.addLast(sealed);
      if (recent.size() > 4) {
        recent.removeFirst();
      }
    }

    SealedMessage oldest() {
      return recent.size() < 2 ? null : recent.peekFirst();
    }
  }
}

package io.iotpay.demo.pos;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.card.se.SeApplet;
import io.iotpay.bench.pos.OdaScheme;
import io.iotpay.bench.pos.PosCard;
import io.iotpay.foundation.card.SmartcardioCardChannel;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.PinBlock.ClearPin;
import io.iotpay.foundation.crypto.oda.CaRevocationList;
import io.iotpay.foundation.crypto.oda.OdaTrustStore;
import io.iotpay.foundation.crypto.oda.OdaVerifier;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.phone.pos.DeviceSensors;
import io.iotpay.phone.pos.Enroller;
import io.iotpay.phone.pos.MonitoringService;
import io.iotpay.phone.pos.PhonePinPad;
import io.iotpay.phone.pos.PosSdk;
import io.iotpay.phone.pos.SdkOutcome;
import io.iotpay.phone.pos.SecureElement;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.PinBlock;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ZoneKeys;
import io.iotpay.switching.online.StandInLimits;
import io.iotpay.terminal.pos.Iso8583OnlineAuthoriser;
import io.iotpay.terminal.pos.PinPad;
import io.iotpay.terminal.pos.PosConfig;
import io.iotpay.terminal.pos.PosJournal;
import io.iotpay.terminal.pos.PosKernel;
import io.iotpay.terminal.pos.PosOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import javacard.framework.AID;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Online PIN end to end (docs/pin-and-dukpt.md, "The flow"), under each suite: the phone's PIN pad
 * (DUKPT) → the POS kernel → the acquirer's host (DUKPT → zone PIN key in its custody) → the
 * switch (→ the issuer's zone key) → the issuer (verify against the reference PIN under its PVK),
 * each party with its own database and key custody, real ISO 8583 over loopback TCP.
 */
class OnlinePinTest {
  private static final PartyId ISSUER = PartyId.of("ISSPIN");
  private static final String PIN = "739164825031";
  private static final long AMOUNT = 48_000;
  private static final StandInLimits LIMITS = new StandInLimits(Money.ofMinor(20_000, CurrencyUnit.CNY),
      Money.ofMinor(50_000, CurrencyUnit.CNY), Money.ofMinor(1_000_000, CurrencyUnit.CNY));

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  /** The cardholder on the phone's trusted keypad (a model): types whatever the test says. */
  private static final class Keypad implements PhonePinPad.TrustedKeypad {
    volatile String typing = PIN;

    @Override
    public Optional<char[]> readPin(Money amount) {
      return Optional.of(typing.toCharArray());
    }
  }

  /** A PIN pad that remembers its last block and can hand the same block (and KSN) out again. */
  private static final class ReplayingPinPad implements PinPad {
    final PinPad pad;
    PinBlock last;
    boolean replay;

    ReplayingPinPad(PinPad pad) {
      this.pad = pad;
    }

    @Override
    public Optional<PinBlock> enterOnlinePin(Money amount, Pan pan) {
      if (replay) {
        return Optional.of(last);
      }
      last = pad.enterOnlinePin(amount, pan).orElseThrow();
      return Optional.of(last);
    }
  }

  /** Four parties on loopback under one suite, one terminal with a PIN pad, one card with {@link #PIN}. */
  private final class World {
    final ManualBusinessClock clock = new ManualBusinessClock(Instant.parse("2026-12-07T08:00:00Z"),
        BusinessDayRule.UTC_MIDNIGHT);
    final AlgorithmSuite suite;
    final PinKeys keys;
    final IssuerNode issuer;
    final SwitchNode scheme;
    final AcquirerNode acquirer;
    final ZoneKeys acquirerLink;
    final Keypad keypad = new Keypad();
    final ReplayingPinPad pinPad;
    final PosKernel kernel;
    final Pan pan;
    final PosCard card;

    World(AlgorithmSuite suite) throws IOException {
      this.suite = suite;
      Iso8583Wire wire = Iso8583Wire.load();
      keys = new PinKeys(suite);
      issuer = keep(new IssuerNode(ISSUER, suite, "6212349", dir.resolve("issuer"), clock, wire, keys,
          null).start()); // no clearing files here: no file trust
      acquirerLink = Links.zoneKeys(suite);
      scheme = keep(new SwitchNode(dir.resolve("switch"), clock, wire, List.of(issuer), AcquirerNode.ID, acquirerLink,
          LIMITS, keys, null));
      MerchantDesk.openAccounts(issuer.service.deposits(), 1);
      acquirer = keep(new AcquirerNode(dir.resolve("acquirer"), clock, scheme.port(AcquirerNode.ID), acquirerLink, 1,
          keys));
      String terminalId = acquirer.merchants.get(0).terminalId();
      Iso8583Client client = keep(new Iso8583Client(Links.loopback(acquirer.terminalPort()),
          Links.settings(AcquirerNode.INSTITUTION, terminalId, Links.TERMINAL_TO_ACQUIRER_TIMEOUT_MS),
          acquirer.terminalLink, wire));
      PosJournal journal = keep(PosJournal.open(Files.createDirectories(dir.resolve("terminal")).resolve("journal")));
      pinPad = new ReplayingPinPad(keys.pinPad(suite, keypad));
      OdaVerifier oda = new OdaVerifier(OdaTrustStore.of(List.of(OdaScheme.of(suite).ca.publicKey())),
          CaRevocationList.empty());
      kernel = new PosKernel(PosConfig.defaults(terminalId, "MERCHANT0000001", Links.randomKey())
          .withLimits(0, 30_000, PosConfig.RandomSelection.OFF),
          new Iso8583OnlineAuthoriser(client, AcquirerNode.INSTITUTION, clock.asJavaClock()), pinPad, journal, clock,
          oda);
      pan = issuer.issueCard(500_000, 40, 1_000_000);
      issuer.enrolPin(pan, PIN);
      card = PosCard.withOda(suite, issuer.cardMasterKeys(pan), pan, PosCard.Profile.STANDARD, OdaScheme.of(suite));
    }

    PosOutcome pay(String typed) {
      keypad.typing = typed;
      card.reinsert();
      PosOutcome outcome = kernel.charge(card.channel(), Money.ofMinor(AMOUNT, CurrencyUnit.CNY));
      clock.advance(Duration.ofMinutes(1));
      return outcome;
    }

    AccountBalance cardAccount() {
      return issuer.books.balance(issuer.service.card(pan).orElseThrow().accountId());
    }

    <T extends AutoCloseable> T keep(T resource) {
      open.add(0, resource);
      return resource;
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private static String arc(ResponseCode code) {
    return Hex.encode(code.code().getBytes(StandardCharsets.US_ASCII)).toUpperCase();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void rightPin_approves_wrongPin_declines55AndMovesNoMoney_andTheTryLimitAnswers75(AlgorithmSuite suite)
      throws IOException {
    World w = new World(suite);

    PosOutcome right = w.pay(PIN);
    assertThat(right.cvm()).isEqualTo(PosOutcome.Cvm.ONLINE_PIN);
    assertThat(right.reason()).isEqualTo(PosOutcome.Reason.APPROVED_ONLINE);
    assertThat(w.cardAccount().debitsPendingMinor()).as("the hold").isEqualTo(AMOUNT);

    AccountBalance before = w.cardAccount();
    PosOutcome wrong = w.pay("739164825032");
    assertThat(wrong.reason()).isEqualTo(PosOutcome.Reason.DECLINED_BY_ISSUER);
    assertThat(wrong.entry().arc()).isEqualTo(arc(ResponseCode.INCORRECT_PIN));
    assertThat(w.cardAccount()).as("a wrong PIN moves no money").isEqualTo(before);
    assertThat(w.issuer.service.pinTriesLeft(w.pan)).isEqualTo(PinKeys.PIN_TRIES - 1);

    assertThat(w.pay("1111").entry().arc()).isEqualTo(arc(ResponseCode.INCORRECT_PIN));
    assertThat(w.pay("2222").entry().arc()).as("the last try").isEqualTo(arc(ResponseCode.PIN_TRIES_EXCEEDED));
    assertThat(w.pay(PIN).entry().arc()).as("the right PIN after the limit").isEqualTo(arc(ResponseCode.PIN_TRIES_EXCEEDED));
    assertThat(w.cardAccount()).isEqualTo(before);
    assertThat(w.issuer.service.pinTriesLeft(w.pan)).isZero();
    assertThat(w.issuer.service.pinCounts().orElseThrow().verified()).isEqualTo(1);
    assertThat(w.issuer.service.pinCounts().orElseThrow().failed()).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aReplayedPinBlock_underTheSameKsn_isRefused63AtTheAcquirer_andNeverReachesTheIssuer(AlgorithmSuite suite)
      throws IOException {
    World w = new World(suite);
    assertThat(w.pay(PIN).reason()).isEqualTo(PosOutcome.Reason.APPROVED_ONLINE);
    AccountBalance before = w.cardAccount();

    w.pinPad.replay = true; // a captured block and KSN, sent again with a fresh tap
    PosOutcome replayed = w.pay("0000");
    assertThat(replayed.reason()).isEqualTo(PosOutcome.Reason.DECLINED_BY_ISSUER);
    assertThat(replayed.entry().arc()).isEqualTo(arc(ResponseCode.SECURITY_VIOLATION));
    assertThat(w.cardAccount()).isEqualTo(before);
    assertThat(w.issuer.service.pinCounts().orElseThrow().verified()).as("the issuer saw one PIN").isEqualTo(1);
    assertThat(w.acquirer.books.count("SELECT COUNT(*) FROM pin_ksn_used")).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aBlockUnderTheWrongKey_failsTranslation_with63_andUsesNoPinTry(AlgorithmSuite suite) throws IOException {
    World w = new World(suite);
    // A phone whose initial key came from another BDK under the same BDK id: the acquirer's DUKPT key differs.
    PinKeys impostor = new PinKeys(suite);
    PinPad wrongPad = impostor.pinPad(suite, w.keypad);
    w.pinPad.replay = true;
    w.pinPad.last = wrongPad.enterOnlinePin(Money.ofMinor(AMOUNT, CurrencyUnit.CNY), w.pan).orElseThrow();
    PosOutcome atAcquirer = w.pay(PIN);
    assertThat(atAcquirer.entry().arc()).isEqualTo(arc(ResponseCode.SECURITY_VIOLATION));

    // A block under a key that is not the acquirer–switch zone PIN key, sent on the acquirer's own link.
    byte[] block;
    try (ClearPin pin = ClearPin.fromChars(PIN.toCharArray())) {
      block = io.iotpay.foundation.crypto.PinBlock.encipherFormat4(w.keys.acquirerZoneSuite, Links.randomKey(), pin,
          w.pan.digits(), new SecureRandom());
    }
    try (Iso8583Client toSwitch = new Iso8583Client(Links.loopback(w.scheme.port(AcquirerNode.ID)),
        Links.settings(AcquirerNode.INSTITUTION, "ACQNODE2", Links.ACQUIRER_TO_SWITCH_TIMEOUT_MS), w.acquirerLink,
        Iso8583Wire.load())) {
      MonthDayTime now = MonthDayTime.utc(w.clock.now());
      CardTransaction t = new CardTransaction(w.pan, "000000", Money.ofMinor(AMOUNT, CurrencyUnit.CNY), now, 777, now,
          IssuerNode.CARD_EXPIRY, "071", 1, AcquirerNode.INSTITUTION, "RRN000000777", "ACQNODE2", "MERCHANT0000001",
          new PinBlock(block), null);
      Outcome outcome = toSwitch.send(new AuthorisationRequest(t));
      assertThat(outcome).isInstanceOf(Outcome.Answered.class);
      assertThat(((CardResponse) ((Outcome.Answered) outcome).response()).responseCode())
          .isEqualTo(ResponseCode.SECURITY_VIOLATION);
    }
    assertThat(w.issuer.service.pinTriesLeft(w.pan)).as("no PIN try used").isEqualTo(PinKeys.PIN_TRIES);
    assertThat(w.cardAccount().debitsPendingMinor()).isZero();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void withTheIssuerDown_thePinPaymentIsNotStoodIn_butDeclined91_movingNoMoney(AlgorithmSuite suite)
      throws IOException, InterruptedException {
    World w = new World(suite);
    AccountBalance before = w.cardAccount();
    w.issuer.stop();
    PosOutcome down = w.pay(PIN);
    assertThat(down.entry().arc()).isEqualTo(arc(ResponseCode.ISSUER_UNAVAILABLE));
    assertThat(down.approved()).isFalse();
    w.issuer.start();
    assertThat(w.cardAccount()).isEqualTo(before);
    assertThat(w.scheme.online.flushLog(10_000)).isTrue();
    assertThat(w.scheme.count("SELECT COUNT(*) FROM online_message_log WHERE answered_by = 'STAND_IN'")).isEqualTo(1);
    assertThat(w.pay(PIN).reason()).as("once the issuer is back").isEqualTo(PosOutcome.Reason.APPROVED_ONLINE);
  }

  /** A phone's secure element: the SE applet in jCardSim, as the SDK's tests install it. */
  private static SecureElement secureElement(AlgorithmSuite suite) throws javax.smartcardio.CardException {
    CardSimulator simulator = new CardSimulator();
    byte[] aid = SecureElement.AID;
    byte[] parameters = new byte[aid.length + 4];
    parameters[0] = (byte) aid.length;
    System.arraycopy(aid, 0, parameters, 1, aid.length);
    parameters[aid.length + 2] = 1;
    parameters[aid.length + 3] = (byte) (suite == AlgorithmSuite.INTERNATIONAL ? 1 : 2);
    simulator.installApplet(new AID(aid, (short) 0, (byte) aid.length), SeApplet.class, parameters, (short) 0,
        (byte) parameters.length);
    return new SecureElement(new SmartcardioCardChannel(
        CardTerminalSimulator.terminal(simulator).connect("T=1").getBasicChannel()));
  }

  /** A monitoring service that approves every attestation token (the demo's acquirer runs no risk check). */
  private static MonitoringService approving() {
    return new MonitoringService() {
      @Override
      public byte[] nonce(String terminalId) {
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        return nonce;
      }

      @Override
      public Verdict attest(String terminalId, byte[] token) {
        return new Verdict("APPROVE", "OK", "no risk check in this world");
      }
    };
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void throughTheAcquiringSdk_thePhonesPinPadPays_andAWrongPinIsDeclined55(AlgorithmSuite suite) throws Exception {
    World w = new World(suite);
    Path sdkDir = dir.resolve("sdk");
    SecureElement se = secureElement(suite);
    PosSdk.enrol(sdkDir, suite, se, csr -> {
      var enrolment = w.acquirer.registry.service().enrol(w.acquirer.merchants.get(0).id(), suite, csr);
      try {
        return new Enroller.Enrolled(enrolment.terminal().id().value(), enrolment.certificate().getEncoded());
      } catch (java.security.cert.CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
    });
    PosSdk.Options options = new PosSdk.Options(sdkDir, AcquirerNode.INSTITUTION, "PHONESHOP1", 1, 0,
        UnaryOperator.identity());
    String terminalId = Files.readAllLines(sdkDir.resolve("enrolment")).get(1);
    try (Iso8583Client link = new Iso8583Client(Links.loopback(w.acquirer.terminalPort()),
        Links.settings(AcquirerNode.INSTITUTION, terminalId, Links.TERMINAL_TO_ACQUIRER_TIMEOUT_MS),
        w.acquirer.terminalLink, Iso8583Wire.load());
        PosSdk sdk = PosSdk.open(options, se, link, approving(), DeviceSensors.fixed(new byte[32], 0, 0, 0),
            Clock.systemUTC(), l -> l, w.keys.pinPad(suite, w.keypad))) {
      w.keypad.typing = PIN;
      w.card.reinsert();
      SdkOutcome paid = sdk.charge(Money.ofMinor(AMOUNT, CurrencyUnit.CNY), w.card.channel());
      assertThat(paid.approved()).isTrue();
      assertThat(paid.kernel().cvm()).isEqualTo(PosOutcome.Cvm.ONLINE_PIN);

      w.keypad.typing = "739164825032";
      w.card.reinsert();
      SdkOutcome wrong = sdk.charge(Money.ofMinor(AMOUNT, CurrencyUnit.CNY), w.card.channel());
      assertThat(wrong.approved()).isFalse();
      assertThat(wrong.kernel().entry().arc()).isEqualTo(arc(ResponseCode.INCORRECT_PIN));
    }
    assertThat(w.cardAccount().debitsPendingMinor()).as("one hold, for the right PIN").isEqualTo(AMOUNT);
    assertThat(w.issuer.service.pinCounts().orElseThrow()).isEqualTo(
        new io.iotpay.issuer.authorisation.card.PinVerification.Counts(1, 1));
  }

  /** Log events of every logger while the test runs (slf4j through logback, and java.util.logging). */
  private static final class CapturedLogs implements AutoCloseable {
    final ListAppender<ILoggingEvent> slf4j = new ListAppender<>();
    final ConcurrentLinkedQueue<String> jul = new ConcurrentLinkedQueue<>();
    final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    final Level rootLevel = root.getLevel();
    final java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
    final java.util.logging.Level julLevel = julRoot.getLevel();
    final Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        jul.add(new java.util.logging.SimpleFormatter().format(record));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };

    CapturedLogs() {
      slf4j.start();
      root.addAppender(slf4j);
      root.setLevel(Level.INFO);
      julRoot.addHandler(handler);
      julRoot.setLevel(java.util.logging.Level.ALL);
    }

    String text() {
      StringBuilder all = new StringBuilder();
      slf4j.list.forEach(e -> all.append(e.getFormattedMessage()).append('\n')
          .append(e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage()).append('\n'));
      jul.forEach(all::append);
      return all.toString();
    }

    int lines() {
      return slf4j.list.size() + jul.size();
    }

    @Override
    public void close() {
      root.detachAppender(slf4j);
      root.setLevel(rootLevel);
      julRoot.removeHandler(handler);
      julRoot.setLevel(julLevel);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void thePinAndThePan_appearInNoLog_noFileAndNoDatabase(AlgorithmSuite suite) throws Exception {
    String text;
    int lines;
    World w;
    try (CapturedLogs logs = new CapturedLogs()) {
      w = new World(suite);
      w.pay(PIN);
      w.pay("739164825032");
      w.pinPad.replay = true;
      w.pay(PIN);
      w.scheme.online.flushLog(10_000);
      text = logs.text();
      lines = logs.lines();
    }
    assertThat(lines).as("the parties logged the payments").isGreaterThan(0);
    // The searches can see what they search: the masked PAN is logged, stored and in the issuer's file.
    assertThat(text).contains(w.pan.masked());
    List<String> secrets = List.of(PIN, "739164825032", w.pan.digits());
    for (String secret : secrets) {
      assertThat(text).as("log output").doesNotContain(secret);
    }
    StringBuilder dumps = new StringBuilder();
    for (PartyBooks books : List.of(w.issuer.books, w.scheme.books, w.acquirer.books)) {
      dumps.append(dump(books));
    }
    assertThat(dumps.toString()).contains(w.pan.masked()).contains("pin_ksn_used");
    for (String secret : secrets) {
      assertThat(dumps.toString()).as("database dump").doesNotContain(secret);
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(files).as("the parties' databases, custody files and the terminal's journal").hasSizeGreaterThan(5);
    assertThat(files).anySatisfy(file -> assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
        .contains(w.pan.masked()));
    for (Path file : files) {
      String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      for (String secret : secrets) {
        assertThat(bytes).as(dir.relativize(file) + " (as text)").doesNotContain(secret);
        // The digits packed two to a byte, as a clear PIN field or BCD PAN would hold them.
        assertThat(bytes).as(dir.relativize(file) + " (packed)")
            .doesNotContain(new String(Hex.decode(secret.length() % 2 == 0 ? secret : secret + "F"),
                StandardCharsets.ISO_8859_1));
      }
    }
  }

  /** Every row of every table, as text (blobs as hex). */
  private static String dump(PartyBooks books) {
    StringBuilder out = new StringBuilder();
    for (List<String> table : books.rows("SELECT name FROM sqlite_master WHERE type = 'table'")) {
      for (List<String> row : books.rows("SELECT * FROM \"" + table.get(0) + "\"")) {
        out.append(table.get(0)).append(": ").append(row).append('\n');
      }
    }
    return out.toString();
  }
}

package io.iotpay.demo.pos;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyUsage;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.issuer.authorisation.card.CardAuthorisationService;
import io.iotpay.issuer.authorisation.card.CardClearing;
import io.iotpay.issuer.authorisation.card.PinVerification;
import io.iotpay.issuer.authorisation.card.ScriptSigner;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.Transfer;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.ZoneKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

/**
 * One issuer: its database (ledger, audit log, the card host's tables) in its own file, its key
 * custody holding the IMK, the real {@link CardAuthorisationService} behind an {@link Iso8583Server}
 * on loopback, and its {@link CardClearing} of the switch's presentment files. It can be stopped
 * and started again on the same port (the "issuer down" fault) and
 * can be told to answer the next 0100 late (after the switch's stand-in timer).
 */
final class IssuerNode implements AutoCloseable {
  static final long FUNDING = 1;
  static final long SETTLEMENT = 2;
  static final long STAND_IN = 3;
  /** The issuer's account at the settlement bank: T+1 net settlement pays out of SETTLEMENT into it. */
  static final long SCHEME_OUT = 4;
  static final long CARD_ACCOUNT_BASE = 100;
  static final String IMK_LABEL = "imk-ac";
  static final YearMonth CARD_EXPIRY = YearMonth.of(2030, 12);
  private static final long HOLD_TIMEOUT_MS = 7 * 86_400_000L;

  final PartyId id;
  final AlgorithmSuite suite;
  final String rangePrefix;
  final PartyBooks books;
  final ZoneKeys switchLink;
  final CardAuthorisationService service;
  final CardClearing clearing;
  private final SoftwareKeyCustody custody;
  private final PinKeys pinKeys;
  private final SecretKeyBytes imkAc = Links.randomKey();
  private final SecretKeyBytes imkSmi = Links.randomKey();
  private final SecretKeyBytes imkSmc = Links.randomKey();
  private final Iso8583Wire wire;
  private Iso8583Server server;
  private int port;
  private volatile long lateNextMs;
  private int cards;

  /** @param files the issuer's signer and verifier of the scheme's files (the switch's presentment files) */
  IssuerNode(PartyId id, AlgorithmSuite suite, String rangePrefix, Path dir, BusinessClock clock, Iso8583Wire wire,
      PinKeys pinKeys, FileTrust files) {
    this.id = id;
    this.suite = suite;
    this.rangePrefix = rangePrefix;
    this.wire = wire;
    this.books = new PartyBooks(id.value(), suite, dir.resolve("issuer.db"), clock);
    this.switchLink = Links.zoneKeys(suite);
    this.custody = PinKeys.custody(dir.resolve("custody"), suite);
    custody.importClear(IMK_LABEL, suite, KeyUsage.ISSUER_MASTER, imkAc);
    this.pinKeys = pinKeys;
    pinKeys.loadIssuer(custody, id, suite);
    this.service = new CardAuthorisationService(books.database, books.ledger, custody,
        new CardAuthorisationService.Config(SETTLEMENT, STAND_IN, HOLD_TIMEOUT_MS,
            Links.randomKey().value(), ScriptSigner.software(suite, imkSmi)), clock.asJavaClock(),
        new PinVerification.Settings(PinKeys.ISSUER_ZONE_PIN, PinKeys.PIN_VERIFICATION, PinKeys.PIN_TRIES));
    this.clearing = new CardClearing(id, service, books.database, FileLimits.defaults(), dir.resolve("clearing"),
        files);
    books.createAccounts(List.of(Account.of(FUNDING, 1, CurrencyUnit.CNY), Account.of(SETTLEMENT, 1, CurrencyUnit.CNY),
        Account.of(STAND_IN, 1, CurrencyUnit.CNY), Account.of(SCHEME_OUT, 1, CurrencyUnit.CNY)));
  }

  /** Listens: the first time on a free port, then on the same port after a {@link #stop()} ({@link Links#listenRestartable}). */
  IssuerNode start() {
    return Links.listenRestartable(port, this::listen);
  }

  private IssuerNode listen(int at) {
    try {
      server = new Iso8583Server(Links.settings("49990000", (id.value() + "0000").substring(0, 6) + "01", Links.SWITCH_TO_ISSUER_TIMEOUT_MS),
          switchLink, this::handle, wire).start(Links.loopback(at));
      port = server.port();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(id + ": cannot listen on port " + at, e);
    }
  }

  /** The issuer's process goes away: its port refuses connections until {@link #start()}. */
  void stop() {
    server.close();
  }

  int port() {
    return port;
  }

  /** The next 0100 is answered only after {@code delayMs} (the switch has answered in stand-in by then). */
  void answerNextLate(long delayMs) {
    lateNextMs = delayMs;
  }

  private Iso8583Message handle(Iso8583Message request) {
    long late = lateNextMs;
    if (late > 0 && request instanceof AuthorisationRequest) {
      lateNextMs = 0;
      try {
        Thread.sleep(late);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return service.handle(request);
  }

  /** A new cardholder: a ledger account funded with {@code balanceMinor} and a card registered on it. */
  Pan issueCard(long balanceMinor, int dailyCountMax, long dailyAmountMaxMinor) {
    int n = ++cards;
    Pan pan = Pan.withCheckDigit(rangePrefix + String.format("%0" + (15 - rangePrefix.length()) + "d", n));
    long account = CARD_ACCOUNT_BASE + n;
    books.createAccounts(List.of(new Account(account, 1, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)));
    books.post(Transfer.single(account * 1_000, FUNDING, account, balanceMinor));
    service.registerCard(pan, 1, CARD_EXPIRY, IMK_LABEL, account, dailyCountMax, dailyAmountMaxMinor);
    return pan;
  }

  /** The card key of a QR payment token (option A from the IMK-AC, PSN 00): what the phone's SE applet is given. */
  SecretKeyBytes tokenKey(Pan token) {
    return EmvKeyDerivation.cardMasterKey(suite, imkAc, token.digits(), "00");
  }

  /** The cardholder selects {@code pin} for the card: the issuer keeps it only as a reference PIN in custody. */
  void enrolPin(Pan pan, String pin) {
    service.enrolPin(pan, pinKeys.selectionBlock(id, suite, pan, pin));
  }

  /** MK_AC ‖ MK_SMI ‖ MK_SMC of a card, option A from this issuer's IMKs, PSN 01: what personalisation loads. */
  byte[] cardMasterKeys(Pan pan) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(48);
    for (SecretKeyBytes imk : List.of(imkAc, imkSmi, imkSmc)) {
      out.writeBytes(EmvKeyDerivation.cardMasterKey(suite, imk, pan.digits(), "01").value());
    }
    return out.toByteArray();
  }

  /** T+1: the issuer pays its net position to the settlement bank (a positive position: it is paid). */
  void settle(LocalDate day, long netMinor) {
    long id = 1 + day.toEpochDay() % 100_000;
    if (netMinor < 0) {
      books.post(Transfer.single(id, SETTLEMENT, SCHEME_OUT, -netMinor));
    } else if (netMinor > 0) {
      books.post(Transfer.single(id, SCHEME_OUT, SETTLEMENT, netMinor));
    }
  }

  int cardCount() {
    return cards;
  }

  /** Net of the cardholders' accounts: what they were debited (purchases) minus what they got back (refunds). */
  long cardholdersDebitedMinor() {
    long net = books.balance(FUNDING).debitsPostedMinor(); // every funding credit went to a card account
    for (int n = 1; n <= cards; n++) {
      AccountBalance b = books.balance(CARD_ACCOUNT_BASE + n);
      net += b.debitsPostedMinor() - b.creditsPostedMinor();
    }
    return net;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    books.close();
    custody.close();
  }
}

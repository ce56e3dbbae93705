package io.iotpay.demo.pos;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.Transfer;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ReversalRequest;
import io.iotpay.protocol.iso8583.ZoneKeys;
import io.iotpay.protocol.online.Presentment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The demo's own acquirer glue until {@code acquirer.pos.online.AcquirerHost} exists on main: an
 * {@link Iso8583Server} for the terminals, an {@link Iso8583Client} to the switch, and on its own
 * database (ledger, audit log, the tables of db/demo-pos-acquirer) every authorisation with its
 * answer, a durable reversal queue, refunds, the day-end presentments, T+1 settlement receipts and
 * merchant payouts net of the merchant discount rate.
 */
final class DemoAcquirer implements AutoCloseable {
  static final String INSTITUTION = "48020000";
  static final PartyId ID = PartyId.of("ACQ1");
  static final long SCHEME_IN = 1;
  static final long RECEIVABLE = 2;
  static final long MDR_REVENUE = 3;
  static final long PAYABLE_BASE = 1_000;
  static final long MERCHANT_BANK_BASE = 2_000;
  /** Merchant discount rate, basis points of the day's net sales. */
  static final int MDR_BP = 60;

  /** States of an authorisation row. */
  static final String SENT = "SENT";
  static final String ANSWERED = "ANSWERED";
  static final String REVERSAL_DUE = "REVERSAL_DUE";
  static final String REVERSED = "REVERSED";

  final PartyBooks books;
  final ZoneKeys terminalLink;
  private final Iso8583Server server;
  private final Iso8583Client toSwitch;
  private final BusinessClock clock;
  private final SecretKeySpec panKey;
  private final SecureRandom random = new SecureRandom();
  private final List<String> merchants;
  private volatile boolean duplicateNext;

  DemoAcquirer(Path dir, BusinessClock clock, Iso8583Wire wire, List<String> merchants, int switchPort,
      ZoneKeys switchLink) {
    this.clock = clock;
    this.merchants = List.copyOf(merchants);
    this.books = new PartyBooks(ID.value(), switchLink.suite(), dir.resolve("acquirer.db"), clock);
    books.database.migrate("demo-pos-acquirer");
    byte[] key = new byte[32];
    random.nextBytes(key);
    this.panKey = new SecretKeySpec(key, "AES");
    List<Account> accounts = new ArrayList<>(List.of(Account.of(SCHEME_IN, 1, CurrencyUnit.CNY),
        Account.of(RECEIVABLE, 1, CurrencyUnit.CNY), Account.of(MDR_REVENUE, 1, CurrencyUnit.CNY)));
    for (int m = 0; m < merchants.size(); m++) {
      accounts.add(Account.of(PAYABLE_BASE + m, 1, CurrencyUnit.CNY));
      accounts.add(Account.of(MERCHANT_BANK_BASE + m, 1, CurrencyUnit.CNY));
    }
    books.createAccounts(accounts);
    this.toSwitch = new Iso8583Client(Links.loopback(switchPort),
        Links.settings(INSTITUTION, "ACQNODE1", Links.ACQUIRER_TO_SWITCH_TIMEOUT_MS), switchLink, wire);
    this.terminalLink = Links.zoneKeys(AlgorithmSuite.NATIONAL);
    try {
      this.server = new Iso8583Server(Links.settings(INSTITUTION, "ACQHOST1", Links.TERMINAL_TO_ACQUIRER_TIMEOUT_MS),
          terminalLink, this::handle, wire).start(Links.loopback(0));
    } catch (IOException e) {
      throw new UncheckedIOException("acquirer cannot listen", e);
    }
  }

  int port() {
    return server.port();
  }

  /** The next authorisation goes to the switch twice (a duplicate message). */
  void duplicateNext() {
    duplicateNext = true;
  }

  private synchronized Iso8583Message handle(Iso8583Message request) {
    return switch (request) {
      case AuthorisationRequest r -> authorise(r);
      case ReversalRequest r -> reversalFromTerminal(r);
      default -> CardResponse.answering(request, ResponseCode.INVALID_TRANSACTION, null, null);
    };
  }

  private CardResponse authorise(AuthorisationRequest fromTerminal) {
    CardTransaction t = fromTerminal.transaction();
    List<List<String>> seen = books.rows("SELECT state, response_code, approval_code FROM demo_acq_auth"
        + " WHERE terminal_id = ? AND terminal_stan = ?", t.terminalId(), t.stan());
    if (!seen.isEmpty()) { // the terminal sent it again: the same answer, nothing forwarded
      List<String> row = seen.get(0);
      ResponseCode code = row.get(1) == null ? ResponseCode.ISSUER_UNAVAILABLE : ResponseCode.byCode(row.get(1)).orElseThrow();
      return CardResponse.answering(fromTerminal, code, row.get(2), null);
    }
    int stan = (int) books.count("SELECT COALESCE(MAX(stan), 0) + 1 FROM demo_acq_auth");
    MonthDayTime now = MonthDayTime.utc(clock.now());
    CardTransaction out = new CardTransaction(t.pan(), t.processingCode(), t.amount(), now, stan, t.localTime(),
        t.expiry(), t.posEntryMode(), t.panSequence(), INSTITUTION, String.format("%012d", stan), t.terminalId(),
        t.merchantId(), t.pinBlock(), t.iccData());
    books.update("INSERT INTO demo_acq_auth (stan, field7, business_day, terminal_id, terminal_stan, merchant_id,"
        + " pan_sealed, pan_masked, psn, amount_minor, state, sends) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
        stan, now.field7(), today().toString(), t.terminalId(), t.stan(), t.merchantId(), seal(t.pan()),
        t.pan().masked(), t.panSequence() == null ? 0 : t.panSequence(), t.amount().amountMinor(), SENT);
    AuthorisationRequest request = new AuthorisationRequest(out);
    Outcome outcome = send(request, stan);
    if (duplicateNext) {
      duplicateNext = false;
      Outcome again = send(request, stan); // the switch answers its remembered answer and forwards nothing
      if (!(outcome instanceof Outcome.Answered)) {
        outcome = again;
      }
    }
    if (outcome instanceof Outcome.Answered answered && answered.response() instanceof CardResponse response) {
      books.update("UPDATE demo_acq_auth SET state = ?, response_code = ?, approval_code = ? WHERE stan = ?",
          ANSWERED, response.responseCode().code(), response.approvalCode(), stan);
      return CardResponse.answering(fromTerminal, response.responseCode(), response.approvalCode(), response.iccData());
    }
    // No answer: the issuer may have approved; the acquirer reverses it (store and forward) and declines.
    books.update("UPDATE demo_acq_auth SET state = ? WHERE stan = ?", REVERSAL_DUE, stan);
    return CardResponse.answering(fromTerminal, ResponseCode.ISSUER_UNAVAILABLE, null, null);
  }

  private Outcome send(Iso8583Message request, int stan) {
    books.update("UPDATE demo_acq_auth SET sends = sends + 1 WHERE stan = ?", stan);
    return toSwitch.send(request);
  }

  /** A terminal's 0400 (the card declined after the issuer approved): queued, acknowledged at once. */
  private CardResponse reversalFromTerminal(ReversalRequest r) {
    int changed = books.update("UPDATE demo_acq_auth SET state = ? WHERE terminal_id = ? AND terminal_stan = ?"
        + " AND state = ?", REVERSAL_DUE, r.transaction().terminalId(), r.original().stan(), ANSWERED);
    if (changed == 0 && books.count("SELECT COUNT(*) FROM demo_acq_auth WHERE terminal_id = ? AND terminal_stan = ?",
        r.transaction().terminalId(), r.original().stan()) == 0) {
      return CardResponse.answering(r, ResponseCode.INVALID_TRANSACTION, null, null);
    }
    return CardResponse.answering(r, ResponseCode.APPROVED, null, null);
  }

  /** Sends every queued reversal once; those the switch acknowledges with 0410 are done. Returns how many remain. */
  synchronized long drainReversals() {
    for (List<String> row : books.rows("SELECT stan, field7, pan_sealed, psn, amount_minor, terminal_id, merchant_id"
        + " FROM demo_acq_auth WHERE state = ? ORDER BY stan", REVERSAL_DUE)) {
      int stan = Integer.parseInt(row.get(0));
      CardTransaction original = transaction(stan, MonthDayTime.parseField7(row.get(1)), open(row.get(2)),
          Integer.parseInt(row.get(3)), Long.parseLong(row.get(4)), row.get(5), row.get(6));
      CardTransaction t = transaction(900_000 + stan, MonthDayTime.utc(clock.now()), original.pan(),
          original.panSequence(), original.amount().amountMinor(), original.terminalId(), original.merchantId());
      Outcome outcome = toSwitch.send(new ReversalRequest(Mti.REVERSAL_REQUEST, t, ResponseCode.ISSUER_UNAVAILABLE,
          OriginalData.of(Mti.AUTHORISATION_REQUEST, original)));
      if (outcome instanceof Outcome.Answered answered && answered.response().mti() == Mti.REVERSAL_RESPONSE) {
        books.update("UPDATE demo_acq_auth SET state = ? WHERE stan = ?", REVERSED, stan);
      }
    }
    return books.count("SELECT COUNT(*) FROM demo_acq_auth WHERE state = ?", REVERSAL_DUE);
  }

  private static CardTransaction transaction(int stan, MonthDayTime at, Pan pan, int psn, long amountMinor,
      String terminalId, String merchantId) {
    return new CardTransaction(pan, "000000", Money.ofMinor(amountMinor, CurrencyUnit.CNY), at, stan, at,
        IssuerNode.CARD_EXPIRY, "071", psn, INSTITUTION, String.format("%012d", stan), terminalId, merchantId, null,
        null);
  }

  /**
   * The merchant asks for a refund of {@code amountMinor} of an approved purchase (recorded today,
   * presented at today's day end). Empty when the purchase is not an approved, unreversed one.
   */
  synchronized Optional<String> refund(int stan, long amountMinor) {
    long ok = books.count("SELECT COUNT(*) FROM demo_acq_auth WHERE stan = ? AND state = ? AND response_code = '00'"
        + " AND amount_minor >= ?", stan, ANSWERED, amountMinor);
    if (ok == 0 || books.count("SELECT COUNT(*) FROM demo_acq_refund WHERE stan = ?", stan) > 0) {
      return Optional.empty();
    }
    String id = "RF" + stan;
    books.update("INSERT INTO demo_acq_refund (refund_id, stan, amount_minor, business_day) VALUES (?, ?, ?, ?)", id,
        stan, amountMinor, today().toString());
    return Optional.of(id);
  }

  /** The day's batch: a capture for each approved, unreversed purchase, a refund presentment for each refund. */
  synchronized List<Presentment> dayEnd(LocalDate day) {
    List<Presentment> out = new ArrayList<>();
    for (List<String> r : books.rows("SELECT a.stan, a.field7, a.pan_sealed, a.amount_minor, a.terminal_id,"
        + " a.merchant_id, a.approval_code FROM demo_acq_auth a WHERE a.business_day = ? AND a.state = ?"
        + " AND a.response_code = '00' ORDER BY a.stan", day.toString(), ANSWERED)) {
      out.add(presentment("CP" + r.get(0), Presentment.Kind.CAPTURE, r, Long.parseLong(r.get(3)), day));
    }
    for (List<String> r : books.rows("SELECT a.stan, a.field7, a.pan_sealed, f.amount_minor, a.terminal_id,"
        + " a.merchant_id, a.approval_code, f.refund_id FROM demo_acq_refund f JOIN demo_acq_auth a ON a.stan = f.stan"
        + " WHERE f.business_day = ? ORDER BY f.refund_id", day.toString())) {
      out.add(presentment(r.get(7), Presentment.Kind.REFUND, r, Long.parseLong(r.get(3)), day));
    }
    for (Presentment p : out) {
      books.update("INSERT INTO demo_acq_presentment (presentment_id, kind, stan, merchant_id, amount_minor,"
          + " business_day) SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM demo_acq_presentment"
          + " WHERE presentment_id = ?)", p.presentmentId(), p.kind().name(), p.original().stan(), p.merchantId(),
          p.amountMinor(), day.toString(), p.presentmentId());
    }
    return out;
  }

  private Presentment presentment(String id, Presentment.Kind kind, List<String> r, long amountMinor, LocalDate day) {
    int stan = Integer.parseInt(r.get(0));
    MonthDayTime at = MonthDayTime.parseField7(r.get(1));
    OriginalData original = new OriginalData(Mti.AUTHORISATION_REQUEST, stan, at, INSTITUTION, "0");
    return new Presentment(id, kind, ID, original, String.format("%012d", stan), r.get(4), r.get(5), open(r.get(2)),
        amountMinor, CurrencyUnit.CNY, r.get(6), day);
  }

  /**
   * What clearing said of a presentment. An accepted capture moves the gross amount from the
   * scheme receivable to the merchant's payable; an accepted refund moves it back.
   */
  synchronized void cleared(Presentment p, PartyId issuer, String outcome, boolean accepted) {
    int changed = books.update("UPDATE demo_acq_presentment SET outcome = ?, issuer = ? WHERE presentment_id = ?"
        + " AND outcome IS NULL", outcome + (accepted ? "" : ":REFUSED"), issuer.value(), p.presentmentId());
    if (changed == 0 || !accepted) {
      return;
    }
    long payable = PAYABLE_BASE + merchants.indexOf(p.merchantId());
    long id = ledgerId("clear", p.presentmentId());
    books.post(p.kind() == Presentment.Kind.CAPTURE ? Transfer.single(id, RECEIVABLE, payable, p.amountMinor())
        : Transfer.single(id, payable, RECEIVABLE, p.amountMinor()));
  }

  /** T+1: the settlement bank pays the acquirer the net of {@code day}'s accepted presentments. */
  synchronized long receiveSettlement(LocalDate day, LocalDate on, long netMinor) {
    if (netMinor > 0) {
      books.post(Transfer.single(ledgerId("settle-in", day.toString()), SCHEME_IN, RECEIVABLE, netMinor));
    } else if (netMinor < 0) {
      books.post(Transfer.single(ledgerId("settle-in", day.toString()), RECEIVABLE, SCHEME_IN, -netMinor));
    }
    books.update("UPDATE demo_acq_presentment SET settled_day = ? WHERE business_day = ? AND outcome NOT LIKE '%REFUSED'",
        on.toString(), day.toString());
    return netMinor;
  }

  /** Net of {@code day}'s accepted presentments of one issuer's cards, signed: captures minus refunds (from the acquirer's records). */
  long acceptedNet(LocalDate day, PartyId issuer) {
    return books.count("SELECT COALESCE(SUM(CASE WHEN kind = 'CAPTURE' THEN amount_minor ELSE -amount_minor END), 0)"
        + " FROM demo_acq_presentment WHERE business_day = ? AND issuer = ? AND outcome NOT LIKE '%REFUSED'",
        day.toString(), issuer.value());
  }

  /** Pays each merchant its net of {@code day} less the MDR; a merchant whose day nets to zero or less waits. */
  synchronized void payMerchants(LocalDate day, LocalDate on) {
    for (int m = 0; m < merchants.size(); m++) {
      String merchant = merchants.get(m);
      long gross = books.count("SELECT COALESCE(SUM(CASE WHEN kind = 'CAPTURE' THEN amount_minor ELSE -amount_minor"
          + " END), 0) FROM demo_acq_presentment WHERE business_day = ? AND merchant_id = ? AND settled_day IS NOT NULL"
          + " AND paid_day IS NULL AND outcome NOT LIKE '%REFUSED'", day.toString(), merchant);
      if (gross <= 0) {
        continue;
      }
      long mdr = (gross * MDR_BP + 5_000) / 10_000;
      books.post(Transfer.single(ledgerId("pay", merchant + day), PAYABLE_BASE + m, MERCHANT_BANK_BASE + m, gross - mdr));
      books.post(Transfer.single(ledgerId("mdr", merchant + day), PAYABLE_BASE + m, MDR_REVENUE, mdr));
      books.update("INSERT INTO demo_acq_payout (merchant_id, business_day, gross_minor, mdr_minor, paid_minor)"
          + " VALUES (?, ?, ?, ?, ?)", merchant, day.toString(), gross, mdr, gross - mdr);
      books.update("UPDATE demo_acq_presentment SET paid_day = ? WHERE business_day = ? AND merchant_id = ?"
          + " AND settled_day IS NOT NULL AND outcome NOT LIKE '%REFUSED'", on.toString(), day.toString(), merchant);
    }
  }

  int merchantCount() {
    return merchants.size();
  }

  private LocalDate today() {
    return clock.businessDate();
  }

  private static long ledgerId(String purpose, String key) {
    long h = 1125899906842597L;
    for (byte b : (purpose + "|" + key).getBytes(StandardCharsets.UTF_8)) {
      h = 31 * h + b;
    }
    h &= Long.MAX_VALUE;
    return h == 0 ? 1 : h;
  }

  /** The PAN under AES-GCM with the acquirer's own key: the database never holds it in clear. */
  private String seal(Pan pan) {
    try {
      byte[] iv = new byte[12];
      random.nextBytes(iv);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, panKey, new GCMParameterSpec(128, iv));
      return Hex.encode(iv) + Hex.encode(c.doFinal(pan.digits().getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is missing from the JDK", e);
    }
  }

  private Pan open(String sealed) {
    try {
      byte[] all = Hex.decode(sealed);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, panKey, new GCMParameterSpec(128, all, 0, 12));
      return Pan.of(new String(c.doFinal(all, 12, all.length - 12), StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a sealed PAN does not open", e);
    }
  }

  @Override
  public void close() {
    server.close();
    toSwitch.close();
    books.close();
  }
}

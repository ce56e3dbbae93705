package io.iotpay.issuer.qr;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.PositiveIds;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.SqlRows;
import io.iotpay.issuer.authorisation.card.QrTokenAuthorisation;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.FinancialRequest;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ReversalRequest;
import io.iotpay.protocol.qr.PushCreditOrder;
import io.iotpay.protocol.qr.PushCreditOutcome;
import io.iotpay.protocol.qr.QrMerchant;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cardholder's issuer paying a merchant-presented QR code: a push credit. The issuer debits the
 * cardholder's account once (to its settlement account, what it owes the scheme), then sends an ISO
 * 8583 0200 with processing code 26 (payment/credit) through the switch to the merchant's acquirer,
 * routed by the merchant's QR account number in field 2. The acquirer's 0210 decides: 00 leaves the
 * debit; any other answer gives it back; no answer sends an 0400 (retried by {@link #resume}) and
 * gives it back once the 0410 comes. One row per app payment id: a retry of the same payment is
 * answered from it and moves nothing again; the message is rebuilt from the row with the same
 * STAN and field 7, so the switch and the acquirer see a repeat. docs/qr.md.
 */
public final class PushCreditService {
  private static final System.Logger LOG = System.getLogger(PushCreditService.class.getName());
  private static final long LEDGER_WAIT_MS = 10_000;
  /** Field 14 of a push credit: the recipient is an account, not a card; the far end of YYMM. */
  static final YearMonth NO_EXPIRY = YearMonth.of(2099, 12);
  static final String TERMINAL_ID = "QRPUSH01";

  private enum State { DEBITING, SENT, PAID, DECLINED, REVERSAL_PENDING, REVERSED }

  private final SqlRows rows;
  private final Ledger ledger;
  private final QrTokenAuthorisation tokens;
  private final Iso8583Client switchLink;
  private final String institutionId;
  private final long settlementAccountId;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private int stan = 1 + new SecureRandom().nextInt(999_999);

  /**
   * @param tokens the issuer's token vault (detokenises the payer)
   * @param switchLink the issuer's originating link to the switch (its own zone keys)
   * @param institutionId field 32 of what the issuer sends, 1..11 digits
   * @param settlementAccountId the issuer's account the debits go to (what it owes the scheme)
   */
  public PushCreditService(Database database, Ledger ledger, QrTokenAuthorisation tokens, Iso8583Client switchLink,
      String institutionId, long settlementAccountId, Clock clock) {
    Assert.that(institutionId.matches("[0-9]{1,11}"), "institution id of 1..11 digits");
    database.migrate("issuer-qr");
    this.rows = new SqlRows(database, "issuer-qr store");
    this.ledger = Assert.notNull(ledger, "ledger");
    this.tokens = Assert.notNull(tokens, "tokens");
    this.switchLink = Assert.notNull(switchLink, "switchLink");
    this.institutionId = institutionId;
    this.settlementAccountId = settlementAccountId;
    this.clock = Assert.notNull(clock, "clock");
  }

  private record Row(String paymentId, String tokenHash, Pan merchant, Money amount, String reference, int stan,
      String field7, String localTime, State state, String code, String reason) {
    long amountMinor() {
      return amount.amountMinor();
    }
  }

  /**
   * Pays {@code order} once. A repeat of a paid or declined payment id gets the same outcome; a
   * payment id reused for another payer, merchant or amount is refused with 94 and nothing moves.
   */
  public PushCreditOutcome pay(PushCreditOrder order) {
    lock.lock();
    try {
      Optional<Long> payer = tokens.accountOf(order.payerToken());
      String tokenHash = tokenKey(order.payerToken());
      Optional<Row> seen = row(order.paymentId());
      if (seen.isPresent() && !sameOrder(seen.get(), order, tokenHash)) {
        return new PushCreditOutcome(false, "94", "payment id already used for another payment");
      }
      if (seen.isEmpty() && payer.isEmpty()) {
        return new PushCreditOutcome(false, "14", "payer token unknown");
      }
      if (seen.isEmpty()) {
        insert(order, tokenHash);
      }
      return advance(row(order.paymentId()).orElseThrow(), payer.orElseGet(() -> tokens.accountOfHash(tokenHash)
          .orElseThrow()));
    } finally {
      lock.unlock();
    }
  }

  /** Retries every reversal still pending (its 0410 not yet come); returns how many are settled now. */
  public int resume() {
    lock.lock();
    try {
      int settled = 0;
      for (Row r : rows.list("SELECT * FROM issuer_qr_push WHERE state = 'REVERSAL_PENDING'", PushCreditService::read)) {
        Optional<Long> payer = tokens.accountOfHash(r.tokenHash());
        if (payer.isPresent() && reverse(r, payer.get()).state() == State.REVERSED) {
          settled++;
        }
      }
      return settled;
    } finally {
      lock.unlock();
    }
  }

  /** Payments by state, for reports: PAID, DECLINED, REVERSED, REVERSAL_PENDING, SENT, DEBITING. */
  public long count(String state) {
    return rows.one("SELECT COUNT(*) FROM issuer_qr_push WHERE state = ?", rs -> rs.getLong(1), state).orElse(0L);
  }

  private PushCreditOutcome advance(Row r, long payerAccount) {
    Row now = r;
    if (now.state() == State.DEBITING) {
      TransferResult debit = submit(Transfer.single(id("push-debit", now.paymentId()), payerAccount, settlementAccountId,
          now.amountMinor()));
      if (debit == TransferResult.EXCEEDS_CREDITS) {
        return finish(now, State.DECLINED, "51", "insufficient funds");
      }
      requireOk(debit, "debit");
      now = setState(now, State.SENT, null, null);
    }
    if (now.state() == State.SENT) {
      now = send(now, payerAccount);
    }
    if (now.state() == State.REVERSAL_PENDING) {
      now = reverse(now, payerAccount);
    }
    return new PushCreditOutcome(now.state() == State.PAID, now.code() == null ? "91" : now.code(),
        now.reason() == null ? now.state().name() : now.reason());
  }

  private Row send(Row r, long payerAccount) {
    Outcome outcome = switchLink.send(new FinancialRequest(transaction(r, r.stan(), r.field7())));
    if (outcome instanceof Outcome.Answered answered && answered.response() instanceof CardResponse response
        && response.mti() == Mti.FINANCIAL_RESPONSE) {
      ResponseCode code = response.responseCode();
      if (code.approved()) {
        LOG.log(System.Logger.Level.INFO, "QR push credit paid [payment={0}, stan={1}]", r.paymentId(), r.stan());
        return setState(r, State.PAID, code.code(), "paid");
      }
      requireOk(submit(Transfer.single(id("push-undo", r.paymentId()), settlementAccountId, payerAccount,
          r.amountMinor())), "give-back");
      return setState(r, State.DECLINED, code.code(), "declined by the merchant's acquirer: " + code.code());
    }
    LOG.log(System.Logger.Level.INFO, "QR push credit unanswered, reversing [payment={0}, outcome={1}]", r.paymentId(),
        outcome.getClass().getSimpleName());
    return setState(r, State.REVERSAL_PENDING, "91", "no answer; reversal pending");
  }

  /** 0400 for the 0200 (field 90 names it); on an 0410 the debit is given back once. */
  private Row reverse(Row r, long payerAccount) {
    CardTransaction original = transaction(r, r.stan(), r.field7());
    CardTransaction reversal = transaction(r, nextStan(), MonthDayTime.utc(clock.instant()).field7());
    Outcome outcome = switchLink.send(new ReversalRequest(Mti.REVERSAL_REQUEST, reversal,
        ResponseCode.ISSUER_UNAVAILABLE, OriginalData.of(Mti.FINANCIAL_REQUEST, original)));
    if (outcome instanceof Outcome.Answered answered && answered.response() instanceof CardResponse response
        && response.responseCode().approved()) {
      requireOk(submit(Transfer.single(id("push-undo", r.paymentId()), settlementAccountId, payerAccount,
          r.amountMinor())), "give-back");
      return setState(r, State.REVERSED, "91", "no answer; reversed, nothing paid");
    }
    return r;
  }

  private CardTransaction transaction(Row r, int stanValue, String field7) {
    MonthDayTime at = MonthDayTime.parseField7(field7);
    MonthDayTime local = MonthDayTime.parseField7(r.localTime());
    String rrn = r.reference() != null ? r.reference() : "S" + String.format("%011d", id("rrn", r.paymentId()) % 100_000_000_000L);
    return new CardTransaction(r.merchant(), QrMerchant.PUSH_CREDIT_PROCESSING_CODE, r.amount(), at, stanValue, local,
        NO_EXPIRY, QrMerchant.QR_ENTRY_MODE, null, institutionId, rrn, TERMINAL_ID, "ISSUER QR PUSH ", null, null);
  }

  private boolean sameOrder(Row r, PushCreditOrder order, String tokenHash) {
    return r.tokenHash().equals(tokenHash) && r.merchant().equals(order.merchantAccount())
        && r.amount().equals(order.amount())
        && java.util.Objects.equals(r.reference(), order.reference());
  }

  private void insert(PushCreditOrder order, String tokenHash) {
    String field7 = MonthDayTime.utc(clock.instant()).field7();
    String local = MonthDayTime.of(LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).field7();
    rows.update("INSERT INTO issuer_qr_push VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)", order.paymentId(),
        tokenHash, order.merchantAccount().digits(), order.amount().amountMinor(), order.amount().currency().alphaCode(),
        order.reference(), nextStan(), field7,
        local, State.DEBITING.name());
  }

  private PushCreditOutcome finish(Row r, State state, String code, String reason) {
    setState(r, state, code, reason);
    return new PushCreditOutcome(false, code, reason);
  }

  private Row setState(Row r, State state, String code, String reason) {
    rows.update("UPDATE issuer_qr_push SET state = ?, response_code = ?, reason = ? WHERE payment_id = ?",
        state.name(), code, reason, r.paymentId());
    return new Row(r.paymentId(), r.tokenHash(), r.merchant(), r.amount(), r.reference(), r.stan(), r.field7(),
        r.localTime(), state, code, reason);
  }

  private Optional<Row> row(String paymentId) {
    return rows.one("SELECT * FROM issuer_qr_push WHERE payment_id = ?", PushCreditService::read, paymentId);
  }

  private static Row read(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Row(rs.getString(1), rs.getString(2), Pan.of(rs.getString(3)),
        Money.ofMinor(rs.getLong(4), CurrencyUnit.of(rs.getString(5))), rs.getString(6), rs.getInt(7), rs.getString(8),
        rs.getString(9), State.valueOf(rs.getString(10)), rs.getString(11), rs.getString(12));
  }

  private String tokenKey(Pan token) {
    return tokens.tokenHash(token);
  }

  private synchronized int nextStan() {
    stan = stan >= 999_999 ? 1 : stan + 1;
    return stan;
  }

  private TransferResult submit(Transfer transfer) {
    return ledger.submit(List.of(transfer)).orTimeout(LEDGER_WAIT_MS, TimeUnit.MILLISECONDS).join().get(0);
  }

  private static void requireOk(TransferResult result, String what) {
    if (result != TransferResult.OK) {
      throw new IllegalStateException("ledger refused the push credit's " + what + ": " + result);
    }
  }

  /** A positive ledger id for {@code purpose} of a payment id (a retry derives the same). */
  static long id(String purpose, String paymentId) {
    return PositiveIds.of(purpose + "|" + paymentId);
  }
}

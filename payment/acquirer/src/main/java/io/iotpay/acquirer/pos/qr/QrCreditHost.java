package io.iotpay.acquirer.pos.qr;

import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.merchant.MerchantState;
import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.online.PayoutCredits;
import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.PositiveIds;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.SqlRows;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.AccountVerificationRequest;
import io.iotpay.protocol.iso8583.AccountVerificationResponse;
import io.iotpay.protocol.iso8583.AdviceRequest;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.FinancialRequest;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.NetworkManagementRequest;
import io.iotpay.protocol.iso8583.NetworkManagementResponse;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ReversalRequest;
import io.iotpay.protocol.qr.QrMerchant;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The acquirer's side of merchant-presented QR payments, behind its own {@link Iso8583Server}
 * (the switch routes push credits to it by the merchant's QR account range, as it routes card
 * requests to an issuer). It gives each merchant a QR account number for its codes, issues the
 * orders behind dynamic codes (the reference in 62.05), and takes the issuers' push credits: an
 * 0200 with processing code 26 credits the merchant once, after checking the account and, for an
 * order, that it is open, the merchant's, and of exactly this amount; an 0400/0420 or the switch's
 * stand-in advice (0120, declined on our behalf) takes a credit back once. The credits are paid to
 * the merchants with the card payouts ({@link PayoutCredits}, {@code AcquirerHost.payMerchants}),
 * net of MDR, from what the switch's T+1 settlement brings in. docs/qr.md, "Merchant-presented flow".
 */
public final class QrCreditHost implements Iso8583Server.Handler, PayoutCredits {
  private static final System.Logger LOG = System.getLogger(QrCreditHost.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * @param accountPrefix the digits of the acquirer's QR account range (6..12), routed to this host by the switch
   * @param currency the only currency credited
   */
  public record Config(String accountPrefix, CurrencyUnit currency) {
    public Config {
      Assert.that(accountPrefix.matches("[0-9]{6,12}"), "QR account prefix of 6..12 digits");
      Assert.notNull(currency, "currency");
    }
  }

  /**
   * A credit as recorded: its state (CREDITED, DECLINED, REVERSED), answer and why; the payout day
   * that paid it and the later one that deducted it after a take-back (null when none).
   */
  public record Credit(String state, String responseCode, String reason, long amountMinor, String payoutDate,
      String takenBackOn) {}

  private final Config config;
  private final SqlRows rows;
  private final Predicate<MerchantId> mayBeCredited;
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * @param database the acquirer's store (Flyway component {@code acquirer-qr}); migrated here
   * @param mayBeCredited whether the merchant may take payments now (activated, not suspended: the
   *     merchant registry's state)
   */
  public QrCreditHost(Config config, Database database, Predicate<MerchantId> mayBeCredited) {
    this.config = Assert.notNull(config, "config");
    database.migrate("acquirer-qr");
    this.rows = new SqlRows(database, "acquirer-qr store");
    this.mayBeCredited = Assert.notNull(mayBeCredited, "mayBeCredited");
  }

  /** {@code mayBeCredited} from the merchant registry: the merchant is ACTIVATED (not suspended, not rejected). */
  public static Predicate<MerchantId> activatedIn(OnboardingService registry) {
    return merchant -> registry.merchant(merchant).state() == MerchantState.ACTIVATED;
  }

  /** The merchant's QR account number (made once: prefix, a sequence, the Luhn digit). */
  public Pan openAccount(MerchantId merchant) {
    lock.lock();
    try {
      Optional<String> known = rows.one("SELECT account_number FROM acquirer_qr_account WHERE merchant_id = ?",
          rs -> rs.getString(1), merchant.value());
      if (known.isPresent()) {
        return Pan.of(known.get());
      }
      long n = rows.one("SELECT COUNT(*) FROM acquirer_qr_account", rs -> rs.getLong(1)).orElse(0L) + 1;
      String body = config.accountPrefix() + String.format("%0" + (15 - config.accountPrefix().length()) + "d", n);
      Pan account = Pan.withCheckDigit(body);
      rows.update("INSERT INTO acquirer_qr_account VALUES (?, ?)", account.digits(), merchant.value());
      return account;
    } finally {
      lock.unlock();
    }
  }

  /** Issues an order for a dynamic code: its reference (62.05), {@code Q} and 11 digits. */
  public String issueOrder(MerchantId merchant, Money amount) {
    Assert.that(amount.isPositive() && amount.currency().equals(config.currency()), "order amount positive, in {}",
        config.currency());
    String reference = "Q" + String.format("%011d", Math.floorMod(RANDOM.nextLong(), 100_000_000_000L));
    rows.update("INSERT INTO acquirer_qr_order VALUES (?, ?, ?, ?, 'OPEN', NULL)", reference, merchant.value(),
        amount.amountMinor(), amount.currency().alphaCode());
    return reference;
  }

  /** The order's state: OPEN or PAID; empty for an unknown reference. */
  public Optional<String> orderState(String reference) {
    return rows.one("SELECT state FROM acquirer_qr_order WHERE reference = ?", rs -> rs.getString(1), reference);
  }

  /** Every credit taken, in key order. */
  public List<Credit> credits() {
    return rows.list("SELECT state, response_code, reason, amount_minor, payout_date, taken_back_on"
        + " FROM acquirer_qr_credit ORDER BY txn_key", rs -> new Credit(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6)));
  }

  /**
   * Takes the credits for the merchants' payout of {@code businessDate}, once per day (under the
   * host's lock, so no credit or take-back interleaves): every CREDITED credit no payout took yet,
   * and every credit an earlier payout paid that was taken back since.
   */
  @Override
  public Map<String, Totals> takeForPayout(LocalDate businessDate) {
    String day = businessDate.toString();
    lock.lock();
    try {
      if (rows.one("SELECT 1 FROM acquirer_qr_payout_day WHERE business_date = ?", rs -> 1, day).isEmpty()) {
        rows.transaction(List.of(
            new SqlRows.Statement("INSERT INTO acquirer_qr_payout_day (business_date, taken_at_ms) VALUES (?, ?)", day,
                System.currentTimeMillis()),
            new SqlRows.Statement("UPDATE acquirer_qr_credit SET payout_date = ? WHERE state = 'CREDITED'"
                + " AND payout_date IS NULL", day),
            new SqlRows.Statement("UPDATE acquirer_qr_credit SET taken_back_on = ? WHERE state = 'REVERSED'"
                + " AND payout_date IS NOT NULL AND taken_back_on IS NULL", day)));
      }
      Map<String, Totals> out = new TreeMap<>();
      for (Object[] r : rows.list("SELECT merchant_id, COALESCE(SUM(CASE WHEN payout_date = ? THEN amount_minor END), 0),"
          + " COALESCE(SUM(CASE WHEN taken_back_on = ? THEN amount_minor END), 0) FROM acquirer_qr_credit"
          + " WHERE payout_date = ? OR taken_back_on = ? GROUP BY merchant_id",
          rs -> new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3)}, day, day, day, day)) {
        out.put((String) r[0], new Totals((Long) r[1], (Long) r[2]));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Iso8583Message handle(Iso8583Message request) {
    lock.lock();
    try {
      return switch (request) {
        case FinancialRequest r -> credit(r);
        case ReversalRequest r -> takeBack(r, r.original(), "reversed by the issuer");
        case AdviceRequest r -> advice(r);
        case AuthorisationRequest r -> CardResponse.answering(r, ResponseCode.INVALID_TRANSACTION, null, null);
        case AccountVerificationRequest r -> AccountVerificationResponse.answering(r, ResponseCode.INVALID_TRANSACTION, null);
        case AccountVerificationResponse r -> throw Assert.unreachable("the server passes only requests");
        case CardResponse r -> throw Assert.unreachable("the server passes only requests, not {}", r.mti());
        case NetworkManagementRequest r -> throw Assert.unreachable("the server answers 0800 itself");
        case NetworkManagementResponse r -> throw Assert.unreachable("the server passes only requests");
      };
    } finally {
      lock.unlock();
    }
  }

  private CardResponse credit(FinancialRequest request) {
    CardTransaction t = request.transaction();
    String key = key(t.acquirerId(), t.stan(), t.transmittedAt().field7());
    Optional<Row> seen = row(key);
    if (seen.isPresent()) {
      Row r = seen.get();
      boolean same = r.amountMinor() == t.amount().amountMinor() && r.account().equals(t.pan().digits());
      return CardResponse.answering(request, same ? code(r.responseCode()) : ResponseCode.DUPLICATE_TRANSMISSION,
          same ? r.approvalCode() : null, null);
    }
    Optional<String> merchant = rows.one("SELECT merchant_id FROM acquirer_qr_account WHERE account_number = ?",
        rs -> rs.getString(1), t.pan().digits());
    Decision d = decide(t, key, merchant);
    String approval = null;
    if (d.code().approved()) {
      approval = String.format("%06d", PositiveIds.of("qr-approval|" + key) % 1_000_000);
    }
    rows.update("INSERT INTO acquirer_qr_credit (txn_key, account_number, merchant_id, amount_minor, reference, state,"
        + " response_code, approval_code, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", key, t.pan().digits(),
        merchant.orElse(null), t.amount().amountMinor(), t.rrn(), d.code().approved() ? "CREDITED" : "DECLINED",
        d.code().code(), approval, d.reason());
    LOG.log(System.Logger.Level.INFO, "QR push credit [stan={0}, code={1}, reason={2}]", t.stan(), d.code().code(),
        d.reason());
    return CardResponse.answering(request, d.code(), approval, null);
  }

  private record Decision(ResponseCode code, String reason) {}

  /** The decline table, first match wins (docs/qr.md); an approved order is marked PAID by this key. */
  private Decision decide(CardTransaction t, String key, Optional<String> merchant) {
    if (!t.processingCode().equals(QrMerchant.PUSH_CREDIT_PROCESSING_CODE)) {
      return new Decision(ResponseCode.INVALID_TRANSACTION, "not a push credit");
    } else if (!t.amount().isPositive() || !t.amount().currency().equals(config.currency())) {
      return new Decision(ResponseCode.INVALID_AMOUNT, "amount or currency");
    } else if (merchant.isEmpty()) {
      return new Decision(ResponseCode.INVALID_CARD_NUMBER, "no such QR account");
    } else if (!mayBeCredited.test(new MerchantId(merchant.get()))) {
      return new Decision(ResponseCode.NOT_PERMITTED_TO_TERMINAL, "merchant may not take payments");
    } else if (!t.rrn().matches(QrMerchant.ORDER_REFERENCE_PATTERN)) {
      return new Decision(ResponseCode.APPROVED, "static code");
    }
    Optional<Order> order = rows.one("SELECT merchant_id, amount_minor, state, paid_key FROM acquirer_qr_order"
        + " WHERE reference = ?", rs -> new Order(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)),
        t.rrn());
    if (order.isEmpty() || !order.get().merchantId().equals(merchant.get())) {
      return new Decision(ResponseCode.INVALID_TRANSACTION, "no such order for this merchant");
    } else if (order.get().amountMinor() != t.amount().amountMinor()) {
      return new Decision(ResponseCode.INVALID_AMOUNT, "amount is not the order's");
    } else if ("PAID".equals(order.get().state()) && !key.equals(order.get().paidKey())) {
      return new Decision(ResponseCode.INVALID_TRANSACTION, "order already paid");
    }
    rows.update("UPDATE acquirer_qr_order SET state = 'PAID', paid_key = ? WHERE reference = ?", key, t.rrn());
    return new Decision(ResponseCode.APPROVED, "order paid");
  }

  private record Order(String merchantId, long amountMinor, String state, String paidKey) {}

  private record Row(String account, String merchantId, long amountMinor, String reference, String state,
      String responseCode, String approvalCode) {}

  /** The switch declined an 0200 on our behalf (stand-in, 0120): a credit made late is taken back. */
  private CardResponse advice(AdviceRequest advice) {
    if (!advice.responseCode().approved()) {
      CardTransaction t = advice.transaction();
      takeBack(advice, new OriginalData(io.iotpay.protocol.iso8583.Mti.FINANCIAL_REQUEST, t.stan(), t.transmittedAt(),
          t.acquirerId(), "0"), "declined by the switch in stand-in");
    }
    return CardResponse.answering(advice, ResponseCode.APPROVED, null, null);
  }

  /** Takes a credit back once; a credit not yet seen is remembered as REVERSED so it is never made. */
  private CardResponse takeBack(Iso8583Message request, OriginalData original, String why) {
    CardTransaction t = transactionOf(request);
    String key = key(original.acquirerId(), original.stan(), original.transmittedAt().field7());
    Optional<Row> found = row(key);
    if (found.isEmpty()) {
      rows.update("INSERT INTO acquirer_qr_credit (txn_key, account_number, merchant_id, amount_minor, reference,"
          + " state, response_code, approval_code, reason) VALUES (?, ?, NULL, ?, ?, 'REVERSED', '05', NULL, ?)", key,
          t.pan().digits(), t.amount().amountMinor(), t.rrn(), "reversed before it arrived");
    } else if ("CREDITED".equals(found.get().state())) {
      // Not yet paid out: the payout never takes it. Paid out: the next payout deducts it.
      rows.update("UPDATE acquirer_qr_credit SET state = 'REVERSED', reason = ? WHERE txn_key = ?", why, key);
      rows.update("UPDATE acquirer_qr_order SET state = 'OPEN', paid_key = NULL WHERE paid_key = ?", key);
      LOG.log(System.Logger.Level.INFO, "QR push credit taken back [stan={0}, why={1}]", original.stan(), why);
    }
    return CardResponse.answering(request, ResponseCode.APPROVED, null, null);
  }

  private static CardTransaction transactionOf(Iso8583Message request) {
    if (request instanceof ReversalRequest r) {
      return r.transaction();
    }
    Assert.that(request instanceof AdviceRequest, "only reversals and advices take a credit back");
    return ((AdviceRequest) request).transaction();
  }

  private Optional<Row> row(String key) {
    return rows.one("SELECT account_number, merchant_id, amount_minor, reference, state, response_code, approval_code"
        + " FROM acquirer_qr_credit WHERE txn_key = ?", rs -> new Row(rs.getString(1), rs.getString(2), rs.getLong(3),
            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)), key);
  }

  /** A push credit's key: the originating issuer's institution id, its STAN and field 7 (what field 90 names). */
  private static String key(String institutionId, int stan, String field7) {
    return "0200:" + institutionId + ":" + stan + ":" + field7;
  }

  private static ResponseCode code(String value) {
    return ResponseCode.byCode(value).orElse(ResponseCode.DO_NOT_HONOUR);
  }

}

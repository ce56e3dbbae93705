package io.iotpay.issuer.authorisation.card;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.SqlRows;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.issuer.authorisation.card.CardAccount.CardState;
import io.iotpay.issuer.authorisation.card.CardAuthStore.DayTotals;
import io.iotpay.issuer.authorisation.card.CardAuthStore.Txn;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.qr.QrPaymentData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The issuer's side of consumer-presented QR payments: the token vault (token → card, by keyed
 * hashes) and the authorisation of an 0100 whose field 2 is a token of {@link #tokenPrefix}. The
 * issuer detokenises, verifies the code's cryptogram through the key custody (the token's key is
 * derived from the IMK under {@code keyLabel} with the token number and PSN 00, as the SE applet was
 * personalised), refuses an expired or replayed code, then decides and holds on the card's account
 * as for a card. The 0110 carries no ARPC (the phone is not in the transaction any more); the hold
 * is an {@code issuer_auth_txn} row of the card, so reversals, clearing, refunds and the card's day
 * limits treat it as a card authorisation. docs/qr.md, "Consumer-presented flow".
 */
public final class QrTokenAuthorisation {
  private static final System.Logger LOG = System.getLogger(QrTokenAuthorisation.class.getName());
  private static final long LEDGER_WAIT_MS = 10_000;
  /** How far a code's time may be ahead of the issuer's clock (phones' clocks drift). */
  public static final Duration CLOCK_AHEAD_MAX = Duration.ofSeconds(30);
  private static final DayTotals NONE = new DayTotals(0, 0);

  /** A QR authorisation as recorded: its answer and why. */
  public record Decision(String responseCode, String reason) {}

  private final SqlRows rows;
  private final CardAuthStore store;
  private final Ledger ledger;
  private final KeyCustody custody;
  private final Function<Pan, String> panHash;
  private final long settlementAccountId;
  private final long holdTimeoutMs;
  private final Clock clock;
  private final String tokenPrefix;
  private final Duration codeLifetime;
  /** The card host's lock: a QR 0100 and a reversal of it (the card path's) never interleave. */
  private final ReentrantLock lock;

  QrTokenAuthorisation(Database database, CardAuthStore store, Ledger ledger, KeyCustody custody,
      Function<Pan, String> panHash, long settlementAccountId, long holdTimeoutMs, Clock clock, String tokenPrefix,
      Duration codeLifetime, ReentrantLock lock) {
    Assert.that(tokenPrefix.matches("[0-9]{6,12}"), "token prefix of 6..12 digits");
    Assert.that(!codeLifetime.isNegative() && codeLifetime.compareTo(Duration.ofMinutes(10)) <= 0,
        "code lifetime 0..10 minutes");
    database.migrate("issuer-qr");
    this.rows = new SqlRows(database, "issuer-qr store");
    this.store = store;
    this.ledger = ledger;
    this.custody = custody;
    this.panHash = panHash;
    this.settlementAccountId = settlementAccountId;
    this.holdTimeoutMs = holdTimeoutMs;
    this.clock = clock;
    this.tokenPrefix = tokenPrefix;
    this.codeLifetime = codeLifetime;
    this.lock = lock;
  }

  /** The digits every token of this issuer starts with (inside one of its card ranges, so the switch routes it here). */
  public String tokenPrefix() {
    return tokenPrefix;
  }

  /** How long after it was made a consumer-presented code is accepted. */
  public Duration codeLifetime() {
    return codeLifetime;
  }

  /**
   * Registers a token for a registered card; only keyed hashes and the masked token are stored.
   *
   * @throws IssuerInputException when the token is outside {@link #tokenPrefix} or the card is unknown
   */
  public void register(Pan token, Pan card, String keyLabel, YearMonth expiry) {
    if (!token.digits().startsWith(tokenPrefix)) {
      throw new IssuerInputException("a QR token must start with " + tokenPrefix);
    }
    if (store.card(panHash.apply(card)).isEmpty()) {
      throw new IssuerInputException("no card is registered under this PAN");
    }
    rows.update("INSERT INTO issuer_qr_token VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (token_hash) DO UPDATE SET"
        + " status = excluded.status, expiry_yymm = excluded.expiry_yymm", panHash.apply(token), token.masked(),
        panHash.apply(card), keyLabel, String.format("%02d%02d", expiry.getYear() % 100, expiry.getMonthValue()),
        "ACTIVE");
  }

  /** Detokenises: the ledger account of the card behind {@code token}, when both are registered. */
  public Optional<Long> accountOf(Pan token) {
    return accountOfHash(tokenHash(token));
  }

  /** As {@link #accountOf}, by the token's keyed hash ({@link #tokenHash}). */
  public Optional<Long> accountOfHash(String tokenHash) {
    return cardOf(tokenHash).map(CardAccount::accountId);
  }

  /** The token's keyed hash, the only form of it the issuer's tables hold. */
  public String tokenHash(Pan token) {
    return panHash.apply(token);
  }

  /** Every QR authorisation decided so far, oldest first. */
  public List<Decision> decisions() {
    return rows.list("SELECT response_code, reason FROM issuer_qr_decision ORDER BY decided_at_ms, txn_key",
        rs -> new Decision(rs.getString(1), rs.getString(2)));
  }

  /** An 0100 on one of this issuer's tokens. */
  boolean handles(Iso8583Message request) {
    return request instanceof AuthorisationRequest r && r.transaction().pan().digits().startsWith(tokenPrefix);
  }

  /** QR 0100s decided, held and stored together at most. */
  static final int BATCH_MAX = 256;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();

  /** One 0100 waiting for its batch; written and read under {@link #lock}. */
  private static final class Pending {
    final AuthorisationRequest request;
    CardResponse response;
    String reason;
    RuntimeException error;
    boolean done;

    Pending(AuthorisationRequest request) {
      this.request = request;
    }

    void answer(CardResponse value, String why) {
      response = value;
      reason = why;
      done = true;
    }

    void fail(RuntimeException e) {
      error = e;
      done = true;
    }
  }

  /**
   * Group commit, as the card path does it: the request joins a queue; whoever holds the lock next
   * decides everything queued (at most {@link #BATCH_MAX}) in arrival order, places the batch's
   * holds in one ledger submit and stores every row in one transaction, and only then answers.
   * Each answer is the one the request would get alone.
   */
  CardResponse handle(AuthorisationRequest request) {
    Pending mine = new Pending(request);
    queue.add(mine);
    lock.lock();
    try {
      while (!mine.done) {
        List<Pending> batch = new ArrayList<>();
        Pending p;
        while (batch.size() < BATCH_MAX && (p = queue.poll()) != null) {
          batch.add(p);
        }
        decideBatch(batch);
      }
    } finally {
      lock.unlock();
    }
    if (mine.error != null) {
      throw mine.error;
    }
    CardTransaction t = request.transaction();
    LOG.log(System.Logger.Level.INFO, "QR code authorisation [token={0}, stan={1}, code={2}, reason={3}]",
        t.pan().masked(), t.stan(), mine.response.responseCode().code(), mine.reason);
    return mine.response;
  }

  /** One 0100 of a batch between its decision and its stored answer. */
  private record Planned(Pending pending, String key, String tokenHash, Outcome outcome, Transfer hold) {}

  /** What earlier requests of the same batch took: ATCs used, and approvals per card. */
  private record BatchState(java.util.Set<String> atcsUsed, Map<String, DayTotals> approved) {}

  private void decideBatch(List<Pending> batch) {
    Map<String, Planned> byKey = new LinkedHashMap<>();
    List<Pending> repeats = new ArrayList<>();
    List<Transfer> holds = new ArrayList<>();
    BatchState state = new BatchState(new java.util.HashSet<>(), new HashMap<>());
    for (Pending p : batch) {
      try {
        CardTransaction t = p.request.transaction();
        String key = CardAuthorisationService.key(p.request.mti(), t.acquirerId(), t.stan(), t.transmittedAt().field7());
        if (byKey.containsKey(key)) {
          repeats.add(p);
          continue;
        }
        Optional<Txn> seen = store.txn(key);
        if (seen.isPresent()) {
          p.answer(replay(p.request, seen.get()), "repeat");
          continue;
        }
        String tokenHash = panHash.apply(t.pan());
        Optional<Token> token = token(tokenHash);
        Outcome outcome = token.isEmpty() ? new Outcome(ResponseCode.INVALID_CARD_NUMBER, "token not registered", null, 0)
            : decide(t, key, token.get(), state);
        Transfer hold = null;
        if (outcome.code().approved()) {
          hold = Transfer.pending(CardAuthorisationService.id("hold", key), outcome.card().accountId(),
              settlementAccountId, t.amount().amountMinor(), holdTimeoutMs);
          holds.add(hold);
          DayTotals before = state.approved().getOrDefault(outcome.card().panHash(), NONE);
          state.approved().put(outcome.card().panHash(), new DayTotals(before.count() + 1,
              before.amountMinor() + t.amount().amountMinor()));
        }
        if (outcome.consumedAtc() > 0) {
          state.atcsUsed().add(tokenHash + ":" + outcome.consumedAtc());
        }
        byKey.put(key, new Planned(p, key, tokenHash, outcome, hold));
      } catch (RuntimeException e) {
        p.fail(e);
      }
    }
    store(new ArrayList<>(byKey.values()), holds, repeats);
  }

  /** The holds in one ledger submit, every row in one transaction, then the answers. */
  private void store(List<Planned> planned, List<Transfer> holds, List<Pending> repeats) {
    List<TransferResult> results;
    try {
      results = holds.isEmpty() ? List.of()
          : ledger.submit(holds).orTimeout(LEDGER_WAIT_MS, TimeUnit.MILLISECONDS).join();
    } catch (RuntimeException e) {
      planned.forEach(x -> x.pending().fail(e));
      repeats.forEach(x -> x.fail(e));
      return;
    }
    List<SqlRows.Statement> writes = new ArrayList<>();
    List<Planned> answered = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>();
    int next = 0;
    for (Planned x : planned) {
      Outcome outcome = x.outcome();
      TransferResult result = x.hold() == null ? TransferResult.OK : results.get(next++);
      if (result == TransferResult.EXCEEDS_CREDITS) {
        outcome = new Outcome(ResponseCode.INSUFFICIENT_FUNDS, "insufficient funds", outcome.card(),
            outcome.consumedAtc());
      } else if (result != TransferResult.OK) {
        x.pending().fail(new IllegalStateException("ledger refused a QR hold: " + result));
        continue;
      }
      writes.addAll(rowsOf(x, outcome));
      answered.add(x);
      outcomes.add(outcome);
    }
    try {
      rows.transaction(writes);
    } catch (RuntimeException e) {
      answered.forEach(x -> x.pending().fail(e));
      repeats.forEach(x -> x.fail(e));
      return;
    }
    for (int i = 0; i < answered.size(); i++) {
      Planned x = answered.get(i);
      ResponseCode code = outcomes.get(i).code();
      x.pending().answer(CardResponse.answering(x.pending().request, code,
          code.approved() ? CardAuthorisationService.approvalCode(x.key()) : null, null), outcomes.get(i).reason());
    }
    for (Pending p : repeats) {
      CardTransaction t = p.request.transaction();
      Optional<Txn> first = store.txn(CardAuthorisationService.key(p.request.mti(), t.acquirerId(), t.stan(),
          t.transmittedAt().field7()));
      if (first.isPresent()) {
        p.answer(replay(p.request, first.get()), "repeat");
      } else {
        p.fail(new IllegalStateException("the first of a repeated QR 0100 was not stored"));
      }
    }
  }

  /**
   * The card's transaction row, the decision, and the code marked used (a genuine, unexpired code
   * is used up whatever the card's checks then said).
   */
  private List<SqlRows.Statement> rowsOf(Planned x, Outcome outcome) {
    CardTransaction t = x.pending().request.transaction();
    ResponseCode code = outcome.code();
    String approval = code.approved() ? CardAuthorisationService.approvalCode(x.key()) : null;
    String cardHash = outcome.card() == null ? x.tokenHash() : outcome.card().panHash();
    List<SqlRows.Statement> writes = new ArrayList<>();
    writes.add(new SqlRows.Statement(CardAuthStore.PUT_TXN, CardAuthStore.txnRow(new Txn(x.key(), "AUTH", cardHash,
        today(), t.amount().amountMinor(), code.approved() ? x.hold().id() : 0, code.approved() ? "HELD" : "DECLINED",
        code.code(), approval, null))));
    writes.add(new SqlRows.Statement("INSERT INTO issuer_qr_decision VALUES (?, ?, ?, ?, ?)", x.key(), x.tokenHash(),
        code.code(), outcome.reason(), clock.millis()));
    if (outcome.consumedAtc() > 0) {
      writes.add(new SqlRows.Statement("INSERT INTO issuer_qr_code VALUES (?, ?, ?) ON CONFLICT (token_hash, atc)"
          + " DO NOTHING", x.tokenHash(), outcome.consumedAtc(), x.key()));
    }
    return writes;
  }

  private record Token(String hash, String cardHash, String keyLabel, YearMonth expiry, String status) {}

  /** @param consumedAtc the code's ATC to mark used (a genuine, unexpired code), else 0 */
  private record Outcome(ResponseCode code, String reason, CardAccount card, int consumedAtc) {}

  /** The decline table, first match wins (docs/qr.md). */
  private Outcome decide(CardTransaction t, String key, Token token, BatchState batch) {
    Optional<QrPaymentData> data = Optional.ofNullable(t.iccData()).flatMap(icc -> QrPaymentData.fromField55(icc.value()));
    if (data.isEmpty()) {
      return new Outcome(ResponseCode.FORMAT_ERROR, "no QR chip data in field 55", null, 0);
    }
    QrPaymentData d = data.get();
    boolean genuine = custody.verifyArqc(custody.current(token.keyLabel()), t.pan().digits(), "00", d.atc(),
        d.cryptogramInput(), d.cryptogram());
    Instant now = clock.instant();
    if (!genuine) {
      return new Outcome(ResponseCode.DO_NOT_HONOUR, "cryptogram does not verify", null, 0);
    } else if (store.isReversed(key)) {
      return new Outcome(ResponseCode.DO_NOT_HONOUR, "reversed before it arrived", null, 0);
    } else if (d.madeAt().isAfter(now.plus(CLOCK_AHEAD_MAX))) {
      return new Outcome(ResponseCode.DO_NOT_HONOUR, "code made in the future", null, 0);
    } else if (d.madeAt().plus(codeLifetime).isBefore(now)) {
      return new Outcome(ResponseCode.EXPIRED_CARD, "code expired", null, 0);
    } else if (batch.atcsUsed().contains(token.hash() + ":" + d.atc()) || usedByAnother(token.hash(), d.atc(), key)) {
      return new Outcome(ResponseCode.DO_NOT_HONOUR, "code used before", null, 0);
    } else if (!"ACTIVE".equals(token.status()) || YearMonth.now(clock.withZone(ZoneOffset.UTC)).isAfter(token.expiry())) {
      return new Outcome(ResponseCode.RESTRICTED_CARD, "token not active", null, d.atc());
    }
    Optional<CardAccount> card = store.card(token.cardHash());
    if (card.isEmpty()) {
      return new Outcome(ResponseCode.INVALID_CARD_NUMBER, "card behind the token unknown", null, d.atc());
    }
    ResponseCode code = cardChecks(t, card.get(), batch.approved().getOrDefault(card.get().panHash(), NONE));
    return new Outcome(code, code.approved() ? "approved" : "card: " + code.name().toLowerCase(java.util.Locale.ROOT),
        card.get(), d.atc());
  }

  /** The card's own rules, as for a tap: state, expiry, purchase only, amount and currency, the day's limits. */
  private ResponseCode cardChecks(CardTransaction t, CardAccount card, DayTotals alsoApproved) {
    long amount = t.amount().amountMinor();
    Optional<AccountBalance> account = ledger.balance(card.accountId());
    DayTotals stored = store.approvedOn(card.panHash(), today());
    DayTotals day = new DayTotals(stored.count() + alsoApproved.count(), stored.amountMinor() + alsoApproved.amountMinor());
    if (card.state() != CardState.ACTIVE) {
      return ResponseCode.RESTRICTED_CARD;
    } else if (YearMonth.now(clock.withZone(ZoneOffset.UTC)).isAfter(card.expiry())) {
      return ResponseCode.EXPIRED_CARD;
    } else if (!t.processingCode().startsWith("00")) {
      return ResponseCode.NOT_PERMITTED_TO_CARDHOLDER;
    } else if (amount <= 0 || account.isEmpty() || !account.get().account().currency().equals(t.amount().currency())) {
      return ResponseCode.INVALID_AMOUNT;
    } else if (day.count() + 1 > card.dailyCountMax() || day.amountMinor() + amount > card.dailyAmountMaxMinor()) {
      return ResponseCode.EXCEEDS_WITHDRAWAL_LIMIT;
    }
    return ResponseCode.APPROVED;
  }

  /**
   * True when another request used the token's ATC (a replay). Read and later written under {@link
   * #lock}, the one writer of these rows, so no other request can take the ATC in between.
   */
  private boolean usedByAnother(String tokenHash, int atc, String key) {
    return rows.one("SELECT txn_key FROM issuer_qr_code WHERE token_hash = ? AND atc = ?", rs -> rs.getString(1),
        tokenHash, atc).filter(used -> !used.equals(key)).isPresent();
  }

  private CardResponse replay(AuthorisationRequest request, Txn txn) {
    if (txn.amountMinor() != request.transaction().amount().amountMinor()) {
      return CardResponse.answering(request, ResponseCode.DUPLICATE_TRANSMISSION, null, null);
    }
    return CardResponse.answering(request, ResponseCode.byCode(txn.responseCode()).orElseThrow(), txn.approvalCode(),
        null);
  }

  private Optional<Token> token(String tokenHash) {
    return rows.one("SELECT token_hash, card_pan_hash, key_label, expiry_yymm, status FROM issuer_qr_token"
        + " WHERE token_hash = ?", rs -> new Token(rs.getString(1), rs.getString(2), rs.getString(3),
            YearMonth.of(2000 + Integer.parseInt(rs.getString(4).substring(0, 2)),
                Integer.parseInt(rs.getString(4).substring(2))), rs.getString(5)), tokenHash);
  }

  private Optional<CardAccount> cardOf(String tokenHash) {
    return token(tokenHash).flatMap(token -> store.card(token.cardHash()));
  }

  private String today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
  }
}

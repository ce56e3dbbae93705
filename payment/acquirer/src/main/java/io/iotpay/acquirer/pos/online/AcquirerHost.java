package io.iotpay.acquirer.pos.online;

import io.iotpay.acquirer.pos.merchant.OnboardingException;
import io.iotpay.acquirer.pos.merchant.OnboardingStoreException;
import io.iotpay.acquirer.pos.merchant.TerminalAuthority;
import io.iotpay.acquirer.pos.merchant.TerminalId;
import io.iotpay.acquirer.pos.merchant.TransactPermission;
import io.iotpay.foundation.Assert;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountResult;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.iso8583.AccountVerificationRequest;
import io.iotpay.protocol.iso8583.AccountVerificationResponse;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.FinancialRequest;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.PinBlock;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ReversalRequest;
import io.iotpay.protocol.metrics.AuthorisationMetrics;
import io.iotpay.protocol.online.Presentment;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acquirer's online authorisation host (docs/acquirer-online.md): terminals send 0100, 0200 and
 * 0400 to its {@link Iso8583Server}; it writes each request durably, forwards it to the switch and
 * returns the answer; a request without an answer in time is reversed from a durable
 * store-and-forward queue until the switch acknowledges; at day end it presents the captures and
 * refunds, and pays each merchant T+1 net of the merchant discount.
 *
 * <p>Business days are UTC dates of the clock. A request is stamped with the first business day
 * that is not closed yet (today, or the next day once today is closed).
 */
public final class AcquirerHost implements Iso8583Server.Handler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AcquirerHost.class);
  private static final long LEDGER_WAIT_MS = 30_000;
  private static final int DUE_BATCH = 32;
  private static final int STAN_MAX = 999_999;
  private static final String PURCHASE = "PURCHASE";
  private static final String REFUND = "REFUND";
  /** 0410 answers that mean "not taken, try again"; any other 0410 settles the reversal. */
  private static final Set<ResponseCode> TRANSIENT = EnumSet.of(ResponseCode.ISSUER_UNAVAILABLE,
      ResponseCode.SYSTEM_MALFUNCTION, ResponseCode.MAC_FAILURE);

  /** Counters, for tests and metrics. */
  public record Stats(long forwarded, long repeats, long refused, long reversalsQueued, long reversalsSent,
      long reversalsAcknowledged) {}

  private final AcquirerHostConfig config;
  private final PinTranslation pins;
  private final Ledger ledger;
  private final TerminalAuthority terminals;
  private final Clock clock;
  private final Iso8583Wire wire = Iso8583Wire.load();
  private final OnlineHostStore store;
  private final Iso8583Client switchClient;
  private final Map<String, CompletableFuture<CardResponse>> inFlight = new ConcurrentHashMap<>();
  private final ReentrantLock merchantLock = new ReentrantLock();
  private final ReentrantLock refundLock = new ReentrantLock();
  private final ReentrantLock dayLock = new ReentrantLock();
  private final Semaphore wake = new Semaphore(0);
  private AuthorisationMetrics metrics = AuthorisationMetrics.NONE;
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong forwarded = new AtomicLong();
  /** The acquirer's STANs on the switch link (see {@link #forwarded}). */
  private final AtomicInteger stans = new AtomicInteger(1 + random.nextInt(STAN_MAX));
  private final AtomicLong repeats = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong reversalsQueued = new AtomicLong();
  private final AtomicLong reversalsSent = new AtomicLong();
  private final AtomicLong reversalsAcknowledged = new AtomicLong();
  private volatile Iso8583Server terminalServer;
  private volatile Thread deliverer;
  private volatile boolean closed;

  /**
   * @param config the links, accounts and rates
   * @param database the host's store (Flyway component {@code acquirer-online}); not closed by the host
   * @param ledger the acquirer's ledger (merchant payables, settlement with the switch, MDR revenue); not closed
   * @param terminals the merchant/terminal registry: only an activated terminal of an activated merchant transacts
   * @param clock the business clock (UTC business days; field 7 of the reversals the host sends)
   */
  public AcquirerHost(AcquirerHostConfig config, Database database, Ledger ledger, TerminalAuthority terminals,
      Clock clock) {
    this(config, database, ledger, terminals, clock, null);
  }

  /**
   * As above, with online PIN: a request's PIN block is translated by {@code pins} before it is
   * forwarded (docs/pin-and-dukpt.md). Without it (null) a request carrying a PIN block is refused 63.
   */
  public AcquirerHost(AcquirerHostConfig config, Database database, Ledger ledger, TerminalAuthority terminals,
      Clock clock, PinTranslation pins) {
    this.pins = pins;
    this.config = Assert.notNull(config, "config");
    this.ledger = Assert.notNull(ledger, "ledger");
    this.terminals = Assert.notNull(terminals, "terminals");
    this.clock = Assert.notNull(clock, "clock");
    this.store = new OnlineHostStore(Assert.notNull(database, "database"));
    this.switchClient = new Iso8583Client(config.switchAddress(), config.switchLink(), config.switchKeys(), wire);
  }

  /**
   * Creates the acquirer's ledger accounts, queues a reversal for every request a previous run left
   * without an answer, binds the terminal server and starts the reversal deliverer on the queue.
   *
   * @throws IOException when the terminal address cannot be bound
   */
  public AcquirerHost start() throws IOException {
    Assert.that(terminalServer == null, "host already started");
    List<Account> accounts = new ArrayList<>();
    accounts.add(Account.of(config.settlementAccountId(), config.bookId(), config.currency()));
    accounts.add(Account.of(config.revenueAccountId(), config.bookId(), config.currency()));
    for (OnlineHostStore.MerchantRow m : store.merchants()) {
      accounts.add(Account.of(m.accountId(), config.bookId(), config.currency()));
    }
    createAccounts(accounts);
    for (OnlineHostStore.RequestRow sent : store.requestsIn(TransactionState.SENT, null)) {
      LOG.warn("Request left unanswered by the previous run, reversing [terminal={}, stan={}]", sent.terminalId(),
          sent.stan());
      queueReversal(sent, EnumSet.of(TransactionState.SENT), ResponseCode.ISSUER_UNAVAILABLE);
    }
    terminalServer = new Iso8583Server(config.terminalLink(), config.terminalKeys(),
        AuthorisationMetrics.metered(this, "acquirer", metrics), wire)
        .start(config.terminalListen());
    deliverer = Thread.ofVirtual().name("acquirer-reversals").start(this::deliverLoop);
    return this;
  }

  /** Reports every answer to terminals to {@code metrics} (docs/metrics.md); call before {@link #start}. @return this */
  public AcquirerHost metrics(AuthorisationMetrics metrics) {
    Assert.that(terminalServer == null, "host already started");
    this.metrics = Assert.notNull(metrics, "metrics");
    return this;
  }

  /** The bound terminal port. */
  public int terminalPort() {
    Assert.that(terminalServer != null, "host not started");
    return terminalServer.port();
  }

  public Stats stats() {
    return new Stats(forwarded.get(), repeats.get(), refused.get(), reversalsQueued.get(), reversalsSent.get(),
        reversalsAcknowledged.get());
  }

  /**
   * One terminal request (what the terminal server calls; usable in the same JVM too): 0100
   * forwarded, 0200 with processing code 20xxxx recorded as a refund, 0200 with field 62 relayed as a
   * wallet online part, 0400 queued as a reversal.
   * Anything else is answered 12.
   */
  @Override
  public Iso8583Message handle(Iso8583Message request) {
    return switch (request) {
      case AuthorisationRequest a -> purchase(a);
      case FinancialRequest f when f.isWalletPart() -> walletPart(f);
      case FinancialRequest f when f.transaction().processingCode().startsWith("20") -> refund(f);
      case ReversalRequest r when r.mti() == Mti.REVERSAL_REQUEST -> terminalReversal(r);
      case AccountVerificationRequest v -> { // the acquirer's own message to its banks, never a terminal's
        refused.incrementAndGet();
        yield AccountVerificationResponse.answering(v, ResponseCode.INVALID_TRANSACTION, null);
      }
      default -> {
        refused.incrementAndGet();
        yield answer(request, ResponseCode.INVALID_TRANSACTION, null);
      }
    };
  }

  /** The state of the terminal's 0100 or 0200 with this terminal id, STAN and field 7, if the host has it. */
  public Optional<TransactionState> state(String terminalId, int stan, MonthDayTime transmittedAt) {
    Optional<OnlineHostStore.RequestRow> row =
        store.request(terminalId, stan, transmittedAt.field7(), Mti.AUTHORISATION_REQUEST.code());
    if (row.isEmpty()) {
      row = store.request(terminalId, stan, transmittedAt.field7(), Mti.FINANCIAL_REQUEST.code());
    }
    return row.map(OnlineHostStore.RequestRow::state);
  }

  /** Reversals queued and not yet acknowledged by the switch. */
  public long reversalsPending() {
    return store.pendingReversals();
  }

  /** The payable ledger account of a merchant that has transacted, if any. */
  public Optional<Long> merchantAccount(io.iotpay.acquirer.pos.merchant.MerchantId merchantId) {
    return store.merchant(merchantId.value()).map(OnlineHostStore.MerchantRow::accountId);
  }

  /** The merchants' view of their days (figures and transaction lines) over this host's store. */
  public MerchantStatements statements() {
    return new MerchantStatements(store, config.currency().alphaCode(), config.mdrBasisPoints(),
        MerchantStatements.PAGE_ROWS);
  }

  /** As {@link #statements()}, reading {@code pageRows} rows at a time (tests of the paging). */
  MerchantStatements statements(int pageRows) {
    return new MerchantStatements(store, config.currency().alphaCode(), config.mdrBasisPoints(), pageRows);
  }

  // ---- purchases ----------------------------------------------------------------------------------

  private CardResponse purchase(AuthorisationRequest request) {
    CardTransaction t = request.transaction();
    Optional<OnlineHostStore.MerchantRow> merchant = admit(t);
    if (merchant.isEmpty()) {
      return refusal(request);
    }
    if (!t.amount().currency().equals(config.currency()) || t.amount().amountMinor() == 0) {
      refused.incrementAndGet();
      return answer(request, ResponseCode.INVALID_AMOUNT, null);
    }
    PinBlock zonePin = null;
    if (t.pinBlock() != null) {
      switch (translatePin(t)) {
        case PinTranslation.Result.Refused(String why) -> {
          return refusedPin(request, why);
        }
        case PinTranslation.Result.Translated(PinBlock block) -> zonePin = block;
      }
    }
    CardTransaction forwardedTxn = forwarded(t, merchant.get(), zonePin);
    AuthorisationRequest forward = new AuthorisationRequest(forwardedTxn);
    String key = key(t, Mti.AUTHORISATION_REQUEST);
    CompletableFuture<CardResponse> mine = new CompletableFuture<>();
    CompletableFuture<CardResponse> theirs = inFlight.putIfAbsent(key, mine);
    if (theirs != null) {
      repeats.incrementAndGet();
      return awaitRepeat(theirs, request);
    }
    try {
      long now = clock.millis();
      Optional<Long> inserted = store.insertRequest(new OnlineHostStore.RequestRow(0, t.terminalId(), t.stan(),
          t.transmittedAt().field7(), Mti.AUTHORISATION_REQUEST.code(), PURCHASE, merchant.get().merchantId(),
          businessDate().toString(), t.rrn(), t.pan().masked(), t.amount().amountMinor(),
          t.amount().currency().alphaCode(), TransactionState.SENT, null, null, null, seal(forward), null), now);
      if (inserted.isEmpty()) {
        repeats.incrementAndGet();
        CardResponse again = repeatAnswer(request, store.request(t.terminalId(), t.stan(), t.transmittedAt().field7(),
            Mti.AUTHORISATION_REQUEST.code()).orElseThrow());
        mine.complete(again);
        return again;
      }
      long id = inserted.get();
      if (zonePin != null && !pins.firstUse(t.pinBlock().ksn(), t.terminalId(), now)) {
        CardResponse replayed = refusedKsnReplay(request, id);
        mine.complete(replayed);
        return replayed;
      }
      forwarded.incrementAndGet();
      Outcome outcome = switchClient.send(forward);
      CardResponse toTerminal;
      if (outcome instanceof Outcome.Answered answered && answered.response() instanceof CardResponse response
          && response.mti() == Mti.AUTHORISATION_RESPONSE
          && (!response.responseCode().approved() || response.approvalCode() != null)) {
        toTerminal = CardResponse.answering(request, response.responseCode(), response.approvalCode(),
            response.iccData());
        TransactionState state = response.responseCode().approved() ? TransactionState.APPROVED
            : TransactionState.DECLINED;
        if (!store.answer(id, state, response.responseCode().code(), response.approvalCode(), seal(toTerminal),
            clock.millis())) {
          // Reversed meanwhile (day end, or the terminal's own 0400): the answer does not revive it.
          LOG.info("Answer after the request was reversed, not applied [terminal={}, stan={}]", t.terminalId(),
              t.stan());
          toTerminal = stored(request, store.request(id).orElseThrow());
        }
      } else {
        // No answer in time, or an approval without field 38 (it could never be presented): reverse it.
        LOG.warn("No usable answer from the switch, reversing [terminal={}, stan={}, outcome={}]", t.terminalId(),
            t.stan(), outcome.getClass().getSimpleName());
        OnlineHostStore.RequestRow row = store.request(id).orElseThrow();
        queueReversal(row, EnumSet.of(TransactionState.SENT), ResponseCode.ISSUER_UNAVAILABLE);
        toTerminal = stored(request, store.request(id).orElseThrow());
      }
      mine.complete(toTerminal);
      return toTerminal;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  /**
   * A wallet online part pushed by a POS as the cardholder's agent (field 62): the terminal and its
   * merchant are checked as for any purchase, then it is relayed to the switch with our field 32 and
   * STAN and its answer relayed back. Nothing is stored and nothing reversed: the money moves at the
   * issuer only, which answers a repeat of the same card-signed part without moving it twice, and the
   * merchant is paid by the wallet issuer's clearing of the POS's day file (docs/wallet.md). No answer
   * in time is answered 91, and the POS pushes the part again later.
   */
  private CardResponse walletPart(FinancialRequest request) {
    CardTransaction t = request.transaction();
    Optional<OnlineHostStore.MerchantRow> merchant = admit(t);
    if (merchant.isEmpty()) {
      return refusal(request);
    }
    if (!t.amount().currency().equals(config.currency()) || t.amount().amountMinor() == 0 || t.pinBlock() != null) {
      refused.incrementAndGet();
      return answer(request, ResponseCode.INVALID_AMOUNT, null);
    }
    forwarded.incrementAndGet();
    Outcome outcome = switchClient.send(new FinancialRequest(forwarded(t, merchant.get(), null), request.walletPart()));
    if (outcome instanceof Outcome.Answered answered && answered.response() instanceof CardResponse response
        && response.mti() == Mti.FINANCIAL_RESPONSE) {
      return CardResponse.answering(request, response.responseCode(), response.approvalCode(), null);
    }
    LOG.info("Wallet online part unanswered by the switch [terminal={}, stan={}, outcome={}]", t.terminalId(),
        t.stan(), outcome.getClass().getSimpleName());
    return answer(request, ResponseCode.ISSUER_UNAVAILABLE, null);
  }

  /** The terminal's DUKPT PIN block under the zone PIN key shared with the switch, or why not. */
  private PinTranslation.Result translatePin(CardTransaction t) {
    return pins == null ? new PinTranslation.Result.Refused("this host takes no online PIN") : pins.translate(t);
  }

  /** A PIN block that does not translate: 63, nothing stored, nothing forwarded. */
  private CardResponse refusedPin(AuthorisationRequest request, String why) {
    CardTransaction t = request.transaction();
    LOG.info("PIN block refused [terminal={}, stan={}, why={}]", t.terminalId(), t.stan(), why);
    refused.incrementAndGet();
    return answer(request, ResponseCode.SECURITY_VIOLATION, null);
  }

  /** A PIN block under a KSN used before (a replay): 63, stored as the request's answer, not forwarded. */
  private CardResponse refusedKsnReplay(AuthorisationRequest request, long id) {
    CardTransaction t = request.transaction();
    LOG.warn("PIN block under a KSN used before, refused as a replay [terminal={}, stan={}]", t.terminalId(), t.stan());
    CardResponse replayed = answer(request, ResponseCode.SECURITY_VIOLATION, null);
    store.answer(id, TransactionState.DECLINED, ResponseCode.SECURITY_VIOLATION.code(), null, seal(replayed),
        clock.millis());
    refused.incrementAndGet();
    return replayed;
  }

  /** The terminal and its merchant may transact: the merchant's row (created on its first transaction). */
  private Optional<OnlineHostStore.MerchantRow> admit(CardTransaction t) {
    TransactPermission permission;
    try {
      permission = terminals.mayTransact(new TerminalId(t.terminalId()));
    } catch (OnboardingException e) {
      LOG.info("Field 41 is not a terminal id of ours, refusing");
      return Optional.empty();
    } catch (OnboardingStoreException e) {
      LOG.warn("Terminal registry unreadable, refusing [terminal={}]", t.terminalId());
      return Optional.empty();
    }
    if (!(permission instanceof TransactPermission.Allowed allowed)) {
      LOG.info("Terminal may not transact [terminal={}, why={}]", t.terminalId(), permission);
      return Optional.empty();
    }
    if (config.riskCheck() != null && !riskAdmits(t, allowed)) {
      return Optional.empty();
    }
    return Optional.of(ensureMerchant(allowed.merchantId()));
  }

  /**
   * The merchant's payable account in this host's ledger, created (with its card acceptor id) on
   * first use as a first transaction would; for the acquirer's other acceptance channels (QR push
   * credits, docs/qr.md) that pay into the same account.
   */
  public long merchantPayableAccount(io.iotpay.acquirer.pos.merchant.MerchantId merchantId) {
    return ensureMerchant(merchantId).accountId();
  }

  private OnlineHostStore.MerchantRow ensureMerchant(io.iotpay.acquirer.pos.merchant.MerchantId merchantId) {
    merchantLock.lock();
    try {
      Optional<OnlineHostStore.MerchantRow> known = store.merchant(merchantId.value());
      if (known.isPresent()) {
        return known.get();
      }
      OnlineHostStore.MerchantRow row = store.ensureMerchant(merchantId.value(), config.merchantAccountBase(),
          clock.millis());
      createAccounts(List.of(Account.of(row.accountId(), config.bookId(), config.currency())));
      return row;
    } finally {
      merchantLock.unlock();
    }
  }

  /** The optional terminal risk check (docs/phone-sdk.md): a refusal, or a check that fails, keeps the request here. */
  private boolean riskAdmits(CardTransaction t, TransactPermission.Allowed allowed) {
    TerminalRiskCheck.Kind kind = t.processingCode().startsWith("20") ? TerminalRiskCheck.Kind.REFUND
        : TerminalRiskCheck.Kind.PURCHASE;
    Optional<String> refusal;
    try {
      refusal = config.riskCheck().refusal(new TerminalRiskCheck.Request(allowed.terminalId(), allowed.merchantId(),
          kind, t.amount().amountMinor(), t.stan(), t.transmittedAt().field7()));
    } catch (RuntimeException e) {
      refusal = Optional.of("risk check failed: " + e.getMessage());
    }
    refusal.ifPresent(why -> LOG.info("Terminal risk check refused [terminal={}, stan={}, why={}]", t.terminalId(),
        t.stan(), why));
    return refusal.isEmpty();
  }

  private CardResponse refusal(Iso8583Message request) {
    refused.incrementAndGet();
    return answer(request, ResponseCode.NOT_PERMITTED_TO_TERMINAL, null);
  }

  /** The terminal's card data as forwarded: our institution in field 32, the merchant's acceptor id in 42. */
  /**
   * The request as the acquirer sends it on: its own institution id (32) and its own STAN (11).
   * Terminals number their requests each on their own, so two terminals' STAN 1 in the same second
   * would be one request to the issuer, which keys on MTI + 32 + 11 + 7: the acquirer's STAN is
   * unique across its terminals (a counter from a random start; it repeats only after 999,999 requests).
   */
  private CardTransaction forwarded(CardTransaction t, OnlineHostStore.MerchantRow merchant, PinBlock zonePin) {
    return new CardTransaction(t.pan(), t.processingCode(), t.amount(), t.transmittedAt(), nextStan(), t.localTime(),
        t.expiry(), t.posEntryMode(), t.panSequence(), config.institutionId(), t.rrn(), t.terminalId(),
        merchant.acceptorId(), zonePin, t.iccData());
  }

  private int nextStan() {
    return stans.getAndUpdate(stan -> stan >= STAN_MAX ? 1 : stan + 1);
  }

  private CardResponse awaitRepeat(CompletableFuture<CardResponse> theirs, Iso8583Message request) {
    try {
      CardResponse first = theirs.get(config.switchLink().requestTimeoutMs() + 5_000, TimeUnit.MILLISECONDS);
      return CardResponse.answering(request, first.responseCode(), first.approvalCode(), first.iccData());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return answer(request, ResponseCode.SYSTEM_MALFUNCTION, null);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return answer(request, ResponseCode.SYSTEM_MALFUNCTION, null);
    }
  }

  /** The answer to a repeat of a stored request: the same answer, or 94 when it differs from the first. */
  private CardResponse repeatAnswer(Iso8583Message request, OnlineHostStore.RequestRow row) {
    CardTransaction t = transactionOf(request);
    if (row.amountMinor() != t.amount().amountMinor() || !row.panMasked().equals(t.pan().masked())) {
      return answer(request, ResponseCode.DUPLICATE_TRANSMISSION, null);
    }
    return stored(request, row);
  }

  /** The answer stored for {@code row}, re-addressed to {@code request}; 91 when none is stored (still in flight). */
  private CardResponse stored(Iso8583Message request, OnlineHostStore.RequestRow row) {
    if (row.responseBytes() == null) {
      return answer(request, ResponseCode.ISSUER_UNAVAILABLE, null);
    }
    CardResponse first = (CardResponse) unseal(row.responseBytes());
    return CardResponse.answering(request, first.responseCode(), first.approvalCode(), first.iccData());
  }

  // ---- reversals ----------------------------------------------------------------------------------

  /** Queues the 0400 for {@code row} (durably, once) if it is in one of {@code from}; true when queued now. */
  private boolean queueReversal(OnlineHostStore.RequestRow row, Set<TransactionState> from, ResponseCode reason) {
    Iso8583Message original = unseal(row.requestBytes());
    CardTransaction o = transactionOf(original);
    CardTransaction r = new CardTransaction(o.pan(), o.processingCode(), o.amount(),
        MonthDayTime.utc(clock.instant()), o.stan(), o.localTime(), o.expiry(), o.posEntryMode(), o.panSequence(),
        o.acquirerId(), o.rrn(), o.terminalId(), o.merchantId(), null, o.iccData());
    ReversalRequest reversal = new ReversalRequest(Mti.REVERSAL_REQUEST, r, reason,
        OriginalData.of(original.mti(), o));
    byte[] toTerminal = seal(CardResponse.answering(original, ResponseCode.ISSUER_UNAVAILABLE, null, null));
    boolean queued = store.queueReversal(row.id(), from, reason.code(), seal(reversal), toTerminal,
        clock.millis(), System.currentTimeMillis());
    if (queued) {
      reversalsQueued.incrementAndGet();
      wake.release();
    }
    return queued;
  }

  private CardResponse terminalReversal(ReversalRequest r) {
    OriginalData o = r.original();
    Optional<OnlineHostStore.RequestRow> row = store.request(r.terminalId(), o.stan(), o.transmittedAt().field7(),
        o.mti().code());
    if (row.isEmpty()) {
      rememberEarlyReversal(r);
      return answer(r, ResponseCode.APPROVED, null);
    }
    OnlineHostStore.RequestRow found = row.get();
    if (!found.kind().equals(PURCHASE) || found.state() == TransactionState.CAPTURED) {
      return answer(r, ResponseCode.INVALID_TRANSACTION, null); // presented already (or a refund): refund instead
    }
    queueReversal(found, EnumSet.of(TransactionState.SENT, TransactionState.APPROVED), r.reason());
    Optional<TransactionState> now = store.request(found.id()).map(OnlineHostStore.RequestRow::state);
    if (now.isPresent() && now.get() == TransactionState.CAPTURED) {
      return answer(r, ResponseCode.INVALID_TRANSACTION, null);
    }
    return answer(r, ResponseCode.APPROVED, null);
  }

  /**
   * A reversal that overtook its 0100 (the terminal's app restarted while the 0100 was still on its
   * way): the original's place is taken by a REVERSED row, so the 0100 that arrives later is answered
   * 91 from that row and never forwarded. Nothing was sent, so there is nothing to undo at the switch.
   */
  private void rememberEarlyReversal(ReversalRequest r) {
    OriginalData o = r.original();
    CardTransaction t = r.transaction();
    if (o.mti() != Mti.AUTHORISATION_REQUEST) {
      LOG.info("Reversal of a request the host never had: nothing to undo [terminal={}, stan={}]", t.terminalId(),
          o.stan());
      return;
    }
    Optional<OnlineHostStore.MerchantRow> merchant = admit(t);
    if (merchant.isEmpty()) {
      return; // a terminal that may not transact cannot have an 0100 on its way either
    }
    CardTransaction original = new CardTransaction(t.pan(), t.processingCode(), t.amount(), o.transmittedAt(),
        o.stan(), t.localTime(), t.expiry(), t.posEntryMode(), t.panSequence(), t.acquirerId(), t.rrn(),
        t.terminalId(), t.merchantId(), null, t.iccData());
    AuthorisationRequest placeholder = new AuthorisationRequest(original);
    boolean inserted = store.insertRequest(new OnlineHostStore.RequestRow(0, t.terminalId(), o.stan(),
        o.transmittedAt().field7(), Mti.AUTHORISATION_REQUEST.code(), PURCHASE, merchant.get().merchantId(),
        businessDate().toString(), t.rrn(), t.pan().masked(), t.amount().amountMinor(),
        t.amount().currency().alphaCode(), TransactionState.REVERSED, null, null, null, seal(placeholder),
        seal(CardResponse.answering(placeholder, ResponseCode.ISSUER_UNAVAILABLE, null, null))), clock.millis())
        .isPresent();
    LOG.info("Reversal before its 0100: remembered, the 0100 will not be forwarded [terminal={}, stan={}, new={}]",
        t.terminalId(), o.stan(), inserted);
  }

  private void deliverLoop() {
    while (!closed) {
      try {
        List<OnlineHostStore.ReversalRow> due = store.dueReversals(System.currentTimeMillis(), DUE_BATCH);
        for (OnlineHostStore.ReversalRow row : due) {
          if (closed) {
            return;
          }
          deliver(row);
        }
        if (due.isEmpty()) {
          long wait = store.nextReversalDueMs().map(next -> next - System.currentTimeMillis()).orElse(60_000L);
          if (wait > 0 && wake.tryAcquire(Math.min(wait, 60_000L), TimeUnit.MILLISECONDS)) {
            wake.drainPermits();
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("Reversal deliverer: {}; trying again", e.getMessage());
        try {
          if (wake.tryAcquire(config.reversalRetryMs(), TimeUnit.MILLISECONDS)) {
            wake.drainPermits();
          }
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private void deliver(OnlineHostStore.ReversalRow row) {
    ReversalRequest reversal = (ReversalRequest) unseal(row.messageBytes());
    reversalsSent.incrementAndGet();
    Outcome outcome = switchClient.send(reversal);
    if (outcome instanceof Outcome.Answered answered && answered.response() instanceof CardResponse response
        && response.mti() == Mti.REVERSAL_RESPONSE && !TRANSIENT.contains(response.responseCode())) {
      store.ackReversal(row.id(), row.requestId(), response.responseCode().code(), clock.millis());
      reversalsAcknowledged.incrementAndGet();
      LOG.info("Reversal acknowledged [terminal={}, stan={}, code={}]", reversal.terminalId(),
          reversal.original().stan(), response.responseCode().code());
      return;
    }
    int attempts = row.attempts() + 1;
    long backoff = Math.min(config.reversalRetryMaxMs(), config.reversalRetryMs() << Math.min(attempts - 1, 20));
    store.retryReversal(row.id(), attempts, System.currentTimeMillis() + backoff);
    LOG.info("Reversal not acknowledged, again in {} ms [terminal={}, stan={}, attempts={}]", backoff,
        reversal.terminalId(), reversal.original().stan(), attempts);
  }

  // ---- refunds ------------------------------------------------------------------------------------

  private CardResponse refund(FinancialRequest request) {
    CardTransaction t = request.transaction();
    Optional<OnlineHostStore.MerchantRow> merchant = admit(t);
    if (merchant.isEmpty()) {
      return refusal(request);
    }
    refundLock.lock();
    try {
      Optional<OnlineHostStore.RequestRow> repeat = store.request(t.terminalId(), t.stan(),
          t.transmittedAt().field7(), Mti.FINANCIAL_REQUEST.code());
      if (repeat.isPresent()) {
        repeats.incrementAndGet();
        return repeatAnswer(request, repeat.get());
      }
      Optional<OnlineHostStore.RequestRow> purchase = store.purchaseByRrn(t.terminalId(), t.rrn());
      if (purchase.isEmpty() || (purchase.get().state() != TransactionState.APPROVED
          && purchase.get().state() != TransactionState.CAPTURED)) {
        refused.incrementAndGet();
        return answer(request, ResponseCode.INVALID_TRANSACTION, null);
      }
      OnlineHostStore.RequestRow p = purchase.get();
      CardTransaction original = transactionOf(unseal(p.requestBytes()));
      long amount = t.amount().amountMinor();
      if (!original.pan().equals(t.pan())) {
        refused.incrementAndGet();
        return answer(request, ResponseCode.INVALID_CARD_NUMBER, null);
      }
      if (!t.amount().currency().equals(original.amount().currency()) || amount <= 0
          || amount > p.amountMinor() - store.refundedMinor(p.id())) {
        refused.incrementAndGet();
        return answer(request, ResponseCode.INVALID_AMOUNT, null);
      }
      String approval = String.format("R%05d", random.nextInt(100_000));
      CardResponse toTerminal = answer(request, ResponseCode.APPROVED, approval);
      FinancialRequest recorded = new FinancialRequest(forwarded(t, merchant.get(), null));
      store.insertRequest(new OnlineHostStore.RequestRow(0, t.terminalId(), t.stan(), t.transmittedAt().field7(),
          Mti.FINANCIAL_REQUEST.code(), REFUND, merchant.get().merchantId(), businessDate().toString(), t.rrn(),
          t.pan().masked(), amount, t.amount().currency().alphaCode(), TransactionState.REFUND,
          ResponseCode.APPROVED.code(), approval, p.id(), seal(recorded), seal(toTerminal)),
          clock.millis());
      return toTerminal;
    } finally {
      refundLock.unlock();
    }
  }

  // ---- day end and payout -------------------------------------------------------------------------

  /**
   * Closes the business day's batch once: a request of the day still waiting for the switch is
   * reversed; every approved purchase of {@code businessDate} not reversed becomes a capture
   * presentment, every refund (of a purchase not reversed) a refund presentment. A second call
   * returns the same list.
   */
  public List<Presentment> dayEnd(LocalDate businessDate) {
    Assert.notNull(businessDate, "businessDate");
    dayLock.lock();
    try {
      String day = businessDate.toString();
      if (!store.isClosed(day)) {
        for (OnlineHostStore.RequestRow sent : store.requestsIn(TransactionState.SENT, day)) {
          queueReversal(sent, EnumSet.of(TransactionState.SENT), ResponseCode.ISSUER_UNAVAILABLE);
        }
      }
      List<Presentment> out = new ArrayList<>();
      for (OnlineHostStore.PresentmentRow p : store.closeDay(day, config.acquirer().value(), clock.millis())) {
        out.add(presentment(p, businessDate));
      }
      return List.copyOf(out);
    } finally {
      dayLock.unlock();
    }
  }

  private Presentment presentment(OnlineHostStore.PresentmentRow p, LocalDate businessDate) {
    OnlineHostStore.RequestRow row = store.request(p.requestId()).orElseThrow();
    CardTransaction t = transactionOf(unseal(row.requestBytes()));
    Presentment.Kind kind = Presentment.Kind.valueOf(p.kind());
    OriginalData original;
    if (kind == Presentment.Kind.CAPTURE) {
      original = OriginalData.of(Mti.AUTHORISATION_REQUEST, t);
    } else {
      OnlineHostStore.RequestRow purchase = store.request(row.originalId()).orElseThrow();
      original = OriginalData.of(Mti.AUTHORISATION_REQUEST,
          transactionOf(unseal(purchase.requestBytes())));
    }
    return new Presentment(p.presentmentId(), kind, config.acquirer(), original, t.rrn(), t.terminalId(),
        t.merchantId(), t.pan(), p.amountMinor(), t.amount().currency(), row.approvalCode(), businessDate);
  }

  /**
   * Posts, once, for the day's presentments (closing the day first if it is not closed): each
   * merchant's net (captured − refunded − MDR) between the settlement account and its payable
   * account, and the MDR from the settlement account to revenue. MDR = captured × rate / 10,000,
   * rounded half up, per merchant per day. A second call posts nothing new and returns the same payouts.
   *
   * @throws AcquirerStoreException when the ledger refuses a payout transfer (nothing of that merchant's is marked paid)
   */
  public List<MerchantPayout> payMerchants(LocalDate businessDate) {
    return payMerchants(businessDate, day -> Map.of());
  }

  /**
   * As {@link #payMerchants(LocalDate)}, with another channel's credits paid in the same transfers
   * (QR push credits): per merchant, net = captured + credited − refunded − taken back − MDR, MDR
   * computed on the captures and on the credits separately (each rounded half up), so the card
   * figures of the merchant's statement stay what they were. {@code credits} is asked only when the
   * day's payouts are not yet stored, so a credit is paid by one payout only; what a stored day did
   * not take stays for the next payout.
   */
  public List<MerchantPayout> payMerchants(LocalDate businessDate, PayoutCredits credits) {
    Assert.notNull(credits, "credits");
    dayEnd(businessDate);
    String day = businessDate.toString();
    List<OnlineHostStore.PayoutRow> stored = store.payouts(day);
    List<OnlineHostStore.PayoutRow> rows = stored.isEmpty()
        ? store.payouts(day, computePayouts(day, credits.takeForPayout(businessDate)), config.transferIdBase())
        : stored;
    List<MerchantPayout> out = new ArrayList<>();
    for (OnlineHostStore.PayoutRow p : rows) {
      if (!p.posted()) {
        post(p);
        store.markPosted(day, p.merchantId());
      }
      out.add(new MerchantPayout(new io.iotpay.acquirer.pos.merchant.MerchantId(p.merchantId()), p.accountId(),
          p.capturedMinor(), p.refundedMinor(), p.qrCreditedMinor(), p.qrTakenBackMinor(), p.totalMdrMinor(),
          p.totalNetMinor()));
    }
    return List.copyOf(out);
  }

  private List<OnlineHostStore.PayoutRow> computePayouts(String day, Map<String, PayoutCredits.Totals> credits) {
    Map<String, long[]> totals = new LinkedHashMap<>();
    for (OnlineHostStore.PresentmentRow p : store.closeDay(day, config.acquirer().value(), clock.millis())) {
      long[] sums = totals.computeIfAbsent(p.merchantId(), k -> new long[2]);
      int slot = p.kind().equals("CAPTURE") ? 0 : 1;
      sums[slot] = Math.addExact(sums[slot], p.amountMinor());
    }
    new java.util.TreeSet<>(credits.keySet()).forEach(merchant -> totals.computeIfAbsent(merchant, k -> new long[2]));
    List<OnlineHostStore.PayoutRow> computed = new ArrayList<>();
    for (Map.Entry<String, long[]> e : totals.entrySet()) {
      long captured = e.getValue()[0];
      long refunded = e.getValue()[1];
      long mdr = mdr(captured, config.mdrBasisPoints());
      PayoutCredits.Totals qr = credits.getOrDefault(e.getKey(), new PayoutCredits.Totals(0, 0));
      long account = ensureMerchant(new io.iotpay.acquirer.pos.merchant.MerchantId(e.getKey())).accountId();
      computed.add(new OnlineHostStore.PayoutRow(day, e.getKey(), account, captured, refunded, mdr,
          captured - refunded - mdr, qr.creditedMinor(), qr.takenBackMinor(),
          mdr(qr.creditedMinor(), config.mdrBasisPoints()), 0, 0, false));
    }
    return computed;
  }

  /** {@code captured × basisPoints / 10,000}, rounded half up. */
  static long mdr(long capturedMinor, int basisPoints) {
    return Math.floorDiv(Math.addExact(Math.multiplyExact(capturedMinor, (long) basisPoints), 5_000L), 10_000L);
  }

  private void post(OnlineHostStore.PayoutRow p) {
    List<Transfer> transfers = new ArrayList<>();
    long net = p.totalNetMinor();
    if (net > 0) {
      transfers.add(Transfer.single(p.netTransferId(), config.settlementAccountId(), p.accountId(), net));
    } else if (net < 0) {
      transfers.add(Transfer.single(p.netTransferId(), p.accountId(), config.settlementAccountId(), -net));
    }
    if (p.totalMdrMinor() > 0) {
      transfers.add(Transfer.single(p.mdrTransferId(), config.settlementAccountId(), config.revenueAccountId(),
          p.totalMdrMinor()));
    }
    if (transfers.isEmpty()) {
      return;
    }
    List<TransferResult> results = ledger.submit(transfers).orTimeout(LEDGER_WAIT_MS, TimeUnit.MILLISECONDS).join();
    for (TransferResult result : results) {
      if (result != TransferResult.OK) {
        throw new AcquirerStoreException("ledger refused a payout transfer of " + p.merchantId() + ": " + result, null);
      }
    }
  }

  private void createAccounts(List<Account> accounts) {
    List<AccountResult> results = ledger.createAccounts(accounts).orTimeout(LEDGER_WAIT_MS, TimeUnit.MILLISECONDS)
        .join();
    for (AccountResult result : results) {
      if (result != AccountResult.OK) {
        throw new AcquirerStoreException("ledger refused an acquirer account: " + result, null);
      }
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------

  /** The first business day (UTC date of the clock, or later) whose batch is not closed. */
  private LocalDate businessDate() {
    LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    while (store.isClosed(day.toString())) {
      day = day.plusDays(1);
    }
    return day;
  }

  /** The message's wire bytes (no MAC), sealed: stored rows never hold a PAN in clear. */
  private byte[] seal(Iso8583Message message) {
    return config.storeSeal().seal(wire.write(message));
  }

  private Iso8583Message unseal(byte[] sealed) {
    byte[] plain = config.storeSeal().open(sealed)
        .orElseThrow(() -> new AcquirerStoreException("a stored message does not open under the store seal", null));
    return wire.read(plain).message();
  }

  private static String key(CardTransaction t, Mti mti) {
    return mti.code() + "|" + t.terminalId() + "|" + t.stan() + "|" + t.transmittedAt().field7();
  }

  private static CardTransaction transactionOf(Iso8583Message message) {
    return switch (message) {
      case AuthorisationRequest a -> a.transaction();
      case FinancialRequest f -> f.transaction();
      case ReversalRequest r -> r.transaction();
      default -> throw new ProtocolException("not a card request: " + message.mti().code());
    };
  }

  private static CardResponse answer(Iso8583Message request, ResponseCode code, String approvalCode) {
    return CardResponse.answering(request, code, approvalCode, null);
  }

  /** Stops the terminal server, the deliverer and the switch link; queued reversals stay queued for the next start. */
  @Override
  public void close() {
    closed = true;
    if (terminalServer != null) {
      terminalServer.close();
    }
    switchClient.close(); // a reversal in flight ends LinkDown and stays queued
    Thread thread = deliverer;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

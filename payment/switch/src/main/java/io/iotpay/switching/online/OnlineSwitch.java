package io.iotpay.switching.online;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.AccountVerificationRequest;
import io.iotpay.protocol.iso8583.AccountVerificationResponse;
import io.iotpay.protocol.iso8583.AdviceRequest;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.FinancialRequest;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.NetworkManagementRequest;
import io.iotpay.protocol.iso8583.NetworkManagementResponse;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.PinBlock;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.metrics.AuthorisationMetrics;
import io.iotpay.protocol.iso8583.ReversalRequest;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The switch on line: an {@link Iso8583Server} per acquirer, an {@link Iso8583Client} per issuer,
 * routing of 0100/0200/0400/0420/0120 by the PAN's card range, a message log of every pair, and
 * stand-in (STIP) with a durable store-and-forward advice queue when an issuer cannot answer in time.
 *
 * <p>Relaying keeps the acquirer's STAN (11), terminal (41), RRN (37), date-time (7) and acquirer id
 * (32): the issuer's answer is matched on the outbound link by the same MTI + STAN + terminal, and
 * a reversal's field 90 still names what the issuer saw. See docs/switch-online.md.
 */
public final class OnlineSwitch implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(OnlineSwitch.class.getName());
  /** The outcome the stand-in timer puts in place of the issuer's, when the issuer is late. */
  private static final Outcome STAND_IN_TIMER = new Outcome.NotSent("stand-in timer");

  private final OnlineSwitchConfig config;
  private final Iso8583Wire wire;
  private final IssuerRoutes routes;
  private final OnlineStore store;
  private final MessageLog log;
  private final StandIn standIn;
  private final PinZones pins;
  private final Map<PartyId, Issuer> issuers = new HashMap<>();
  private final Map<PartyId, Iso8583Server> servers = new HashMap<>();
  private final Map<RequestKey, CompletableFuture<CardResponse>> recent = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<RequestKey> recentOrder = new ConcurrentLinkedQueue<>();
  private volatile AuthorisationMetrics metrics = AuthorisationMetrics.NONE;

  /** One issuer's link, rules and queue. */
  private record Issuer(IssuerEndpoint endpoint, Iso8583Client client, AdviceQueue advices) {}

  /** What makes an acquirer's request the same request again: who sent it and its own keys. */
  private record RequestKey(PartyId acquirer, Mti mti, int stan, String terminalId, String transmittedAt) {}

  /** The switch, not yet listening: the database is migrated here. */
  public OnlineSwitch(OnlineSwitchConfig config, Database database, Iso8583Wire wire) {
    this(config, database, wire, null);
  }

  /**
   * As above, translating online PIN blocks between zone keys with {@code pins}; without it (null)
   * a request with a PIN block is answered 63 and not forwarded.
   */
  public OnlineSwitch(OnlineSwitchConfig config, Database database, Iso8583Wire wire, PinZones pins) {
    this.pins = pins;
    this.config = config;
    this.wire = Assert.notNull(wire, "wire");
    this.routes = new IssuerRoutes(config.ranges());
    this.store = new OnlineStore(database);
    this.log = new MessageLog(store, config.logQueueMax(), config.logBatchMax());
    this.standIn = new StandIn(store);
    for (IssuerEndpoint endpoint : config.issuers()) {
      Iso8583Client client = new Iso8583Client(endpoint.address(), endpoint.settings(), endpoint.keys(), wire);
      AdviceQueue advices = new AdviceQueue(endpoint.issuer(), client, store, config.storeKeys(), wire,
          config.adviceRetryMs(), (advice, ack, issuerMs) -> logAdvice(endpoint.issuer(), advice, ack, issuerMs));
      Assert.that(issuers.put(endpoint.issuer(), new Issuer(endpoint, client, advices)) == null,
          "issuer {} configured twice", endpoint.issuer());
    }
    config.ranges().forEach(range -> Assert.that(issuers.containsKey(range.issuer()),
        "card range {} names issuer {} that has no link", range.prefix(), range.issuer()));
    config.institutions().forEach((institution, issuer) -> Assert.that(issuers.containsKey(issuer),
        "institution {} names issuer {} that has no link", institution, issuer));
  }

  /**
   * Starts every acquirer server and every advice deliverer (queued advices left by an earlier run
   * go out as soon as their issuer answers).
   *
   * @throws IOException when an acquirer port cannot be bound
   */
  public OnlineSwitch start() throws IOException {
    for (AcquirerEndpoint acquirer : config.acquirers()) {
      Iso8583Server server = new Iso8583Server(acquirer.settings(), acquirer.keys(),
          request -> handle(acquirer.acquirer(), request), wire);
      servers.put(acquirer.acquirer(), server.start(acquirer.listen()));
    }
    issuers.values().forEach(issuer -> issuer.advices().start());
    return this;
  }

  /** Reports every answer to acquirers to {@code metrics} from now on (docs/metrics.md). @return this */
  public OnlineSwitch metrics(AuthorisationMetrics metrics) {
    this.metrics = Assert.notNull(metrics, "metrics");
    return this;
  }

  /** The port the switch listens on for {@code acquirer}. */
  public int port(PartyId acquirer) {
    return Assert.notNull(servers.get(acquirer), "acquirer").port();
  }

  /** True while the link to {@code issuer} is open and signed on. */
  public boolean issuerConnected(PartyId issuer) {
    return Assert.notNull(issuers.get(issuer), "issuer").client().isConnected();
  }

  /** Advices queued for {@code issuer} and not yet acknowledged. */
  public long pendingAdvices(PartyId issuer) {
    return Assert.notNull(issuers.get(issuer), "issuer").advices().pending();
  }

  /** Waits until every log entry made so far is written; false if {@code timeoutMs} passed first. */
  public boolean flushLog(long timeoutMs) throws InterruptedException {
    return log.flush(timeoutMs);
  }

  /**
   * Rows of a read-only query on the switch's tables (reports, tests), each row's columns as text.
   *
   * @throws AssertionError when {@code sql} is not a SELECT (a programmer error)
   */
  public List<List<String>> query(String sql) {
    Assert.that(sql.stripLeading().regionMatches(true, 0, "SELECT ", 0, 7), "only SELECT queries are run");
    return store.rows(sql);
  }

  private Iso8583Message handle(PartyId acquirer, Iso8583Message request) {
    long startNs = System.nanoTime();
    if (request instanceof AccountVerificationRequest verification) {
      return verifyAccount(acquirer, verification, startNs);
    }
    CardTransaction t = transactionOf(request);
    String panHash = config.storeKeys().panHash(t.pan());
    Optional<PartyId> issuerId = routes.issuerOf(t.pan());
    if (issuerId.isEmpty()) {
      CardResponse answer = CardResponse.answering(request, ResponseCode.INVALID_CARD_NUMBER, null, null);
      record(acquirer, null, request, t, panHash, answer, AnsweredBy.SWITCH, -1, startNs);
      return answer;
    }
    RequestKey key = new RequestKey(acquirer, request.mti(), t.stan(), t.terminalId(), t.transmittedAt().field7());
    CompletableFuture<CardResponse> mine = new CompletableFuture<>();
    CompletableFuture<CardResponse> earlier = recent.putIfAbsent(key, mine);
    if (earlier != null) {
      CardResponse answer = earlier.join();
      record(acquirer, issuerId.get(), request, t, panHash, answer, AnsweredBy.DUPLICATE, -1, startNs);
      return answer;
    }
    remember(key);
    try {
      CardResponse answer = route(acquirer, issuers.get(issuerId.get()), request, t, panHash, startNs);
      mine.complete(answer);
      return answer;
    } catch (RuntimeException e) {
      recent.remove(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
  }

  private void remember(RequestKey key) {
    recentOrder.add(key);
    while (recent.size() > config.recentRequestsMax()) {
      RequestKey oldest = recentOrder.poll();
      if (oldest == null) {
        return;
      }
      recent.remove(oldest);
    }
  }

  private CardResponse route(PartyId acquirer, Issuer issuer, Iso8583Message request, CardTransaction t, String panHash,
      long startNs) {
    PartyId issuerId = issuer.endpoint().issuer();
    if (request instanceof ReversalRequest reversal && reversal.mti() == Mti.REVERSAL_REQUEST) {
      Optional<OnlineStore.StandInApproval> own = store.standInApproval(reversal.original().acquirerId(),
          t.terminalId(), reversal.original().stan(), reversal.original().transmittedAt().field7());
      if (own.isPresent()) {
        return reverseStandIn(acquirer, issuer, reversal, own.get(), t, panHash, startNs);
      }
    }
    Optional<Iso8583Message> forward = forIssuer(acquirer, issuerId, request, t);
    if (forward.isEmpty()) {
      CardResponse refused = CardResponse.answering(request, ResponseCode.SECURITY_VIOLATION, null, null);
      record(acquirer, issuerId, request, t, panHash, refused, AnsweredBy.SWITCH, -1, startNs);
      LOG.log(Level.INFO, "PIN block not translatable, refused [acquirer={0}, stan={1}]", acquirer, t.stan());
      return refused;
    }
    CompletableFuture<Outcome> sent = issuer.client().sendAsync(forward.get());
    Outcome outcome = sent.copy()
        .completeOnTimeout(STAND_IN_TIMER, issuer.endpoint().standInAfterMs(), TimeUnit.MILLISECONDS).join();
    long issuerMs = elapsedMs(startNs);
    if (outcome instanceof Outcome.Answered answered && answered.response() instanceof CardResponse response
        && response.mti() == request.mti().responseType()) {
      record(acquirer, issuerId, request, t, panHash, response, AnsweredBy.ISSUER, issuerMs, startNs);
      return response;
    }
    if (request instanceof FinancialRequest financial && financial.isWalletPart()) {
      return walletPartUnanswered(acquirer, issuerId, financial, t, panHash, outcome, sent, issuerMs, startNs);
    }
    StandIn.Decision decision = standInDecision(issuer, request, t, panHash);
    CardResponse answer = CardResponse.answering(request, decision.code(), decision.approvalCode(), null);
    issuer.advices().enqueue(adviceFor(request, t, decision));
    record(acquirer, issuerId, request, t, panHash, answer, AnsweredBy.STAND_IN, issuerMs, startNs);
    LOG.log(Level.INFO, "Stand-in answered [issuer={0}, mti={1}, stan={2}, code={3}, cause={4}]", issuerId,
        request.mti().code(), t.stan(), decision.code().code(), outcome.getClass().getSimpleName());
    if (outcome == STAND_IN_TIMER) {
      sent.thenAccept(late -> reconcileLate(acquirer, issuerId, request, t, panHash, decision, late, startNs));
    }
    return answer;
  }

  /**
   * A wallet online part the issuer did not answer in time: never stood in for (only the issuer can
   * check the card's signature and its dedup by card and counter), answered 91 with no advice; the
   * POS keeps the part and pushes it again as a new 0200, which the issuer answers as a repeat if
   * this one reached it after all. A late answer is only logged.
   */
  private CardResponse walletPartUnanswered(PartyId acquirer, PartyId issuerId, FinancialRequest request,
      CardTransaction t, String panHash, Outcome outcome, CompletableFuture<Outcome> sent, long issuerMs, long startNs) {
    CardResponse answer = CardResponse.answering(request, ResponseCode.ISSUER_UNAVAILABLE, null, null);
    record(acquirer, issuerId, request, t, panHash, answer, AnsweredBy.SWITCH, issuerMs, startNs);
    LOG.log(Level.INFO, "Wallet online part unanswered, declined 91 without stand-in [issuer={0}, stan={1}, cause={2}]",
        issuerId, t.stan(), outcome.getClass().getSimpleName());
    if (outcome == STAND_IN_TIMER) {
      sent.thenAccept(late -> {
        if (late instanceof Outcome.Answered answered && answered.response() instanceof CardResponse response) {
          record(acquirer, issuerId, request, t, panHash, response, AnsweredBy.ISSUER_LATE, elapsedMs(startNs), startNs);
        }
      });
    }
    return answer;
  }

  /**
   * An account verification (the acquirer's penny test): routed by field 100 to the issuer that
   * holds the institution's accounts and answered only by it. Never stood in for, never cached: an
   * issuer that does not answer within its stand-in time gets 91 with no advice (the acquirer asks
   * again with the same keys, and the issuer answers a repeat from its records); an institution
   * with no route gets 15. Not written to the message log (it carries no card); logged masked.
   */
  private AccountVerificationResponse verifyAccount(PartyId acquirer, AccountVerificationRequest request, long startNs) {
    PartyId issuerId = config.institutions().get(request.receivingInstitution());
    if (issuerId == null) {
      LOG.log(Level.INFO, "Account verification for an institution without a route, answered 15 [acquirer={0},"
          + " institution={1}, stan={2}]", acquirer, request.receivingInstitution(), request.stan());
      return AccountVerificationResponse.answering(request, ResponseCode.NO_SUCH_ISSUER, null);
    }
    Issuer issuer = issuers.get(issuerId);
    Outcome outcome = issuer.client().sendAsync(request)
        .completeOnTimeout(STAND_IN_TIMER, issuer.endpoint().standInAfterMs(), TimeUnit.MILLISECONDS).join();
    if (outcome instanceof Outcome.Answered answered && answered.response() instanceof AccountVerificationResponse response
        && response.answers(request)) {
      LOG.log(Level.INFO, "Account verification answered by the issuer [acquirer={0}, issuer={1}, stan={2},"
          + " account={3}, code={4}, ms={5}]", acquirer, issuerId, request.stan(), request.accountMasked(),
          response.responseCode().code(), elapsedMs(startNs));
      return response;
    }
    LOG.log(Level.INFO, "Account verification unanswered, declined 91 without stand-in [acquirer={0}, issuer={1},"
        + " stan={2}, cause={3}]", acquirer, issuerId, request.stan(), outcome.getClass().getSimpleName());
    return AccountVerificationResponse.answering(request, ResponseCode.ISSUER_UNAVAILABLE, null);
  }

  /**
   * Authorisations and purchases are decided within limits, except with a PIN, which only the issuer
   * can verify (91); reversals and advices are acknowledged.
   */
  private StandIn.Decision standInDecision(Issuer issuer, Iso8583Message request, CardTransaction t, String panHash) {
    if (carriesPin(request, t)) {
      return new StandIn.Decision(ResponseCode.ISSUER_UNAVAILABLE, null);
    }
    return switch (request) {
      case AuthorisationRequest r -> standIn.decide(issuer.endpoint().issuer(), issuer.endpoint().limits(), t, panHash,
          System.currentTimeMillis());
      case FinancialRequest r -> standIn.decide(issuer.endpoint().issuer(), issuer.endpoint().limits(), t, panHash,
          System.currentTimeMillis());
      case ReversalRequest r -> new StandIn.Decision(ResponseCode.APPROVED, null);
      case AdviceRequest r -> new StandIn.Decision(ResponseCode.APPROVED, null);
      case CardResponse r -> throw Assert.unreachable("a response reached the handler");
      case AccountVerificationRequest r -> throw Assert.unreachable("an account verification is never stood in for");
      case AccountVerificationResponse r -> throw Assert.unreachable("a response reached the handler");
      case NetworkManagementRequest r -> throw Assert.unreachable("the server answers 0800s itself");
      case NetworkManagementResponse r -> throw Assert.unreachable("a response reached the handler");
    };
  }

  /** The advice that tells the issuer what the switch did: 0120 for 0100/0200, 0420 for reversals, the 0120 itself. */
  private static Iso8583Message adviceFor(Iso8583Message request, CardTransaction t, StandIn.Decision decision) {
    return switch (request) {
      case AuthorisationRequest r -> new AdviceRequest(withoutPin(t), decision.code(), decision.approvalCode());
      case FinancialRequest r -> new AdviceRequest(withoutPin(t), decision.code(), decision.approvalCode());
      case ReversalRequest r -> new ReversalRequest(Mti.REVERSAL_ADVICE, t, r.reason(), r.original());
      case AdviceRequest r -> r;
      case CardResponse r -> throw Assert.unreachable("a response is not advised");
      case AccountVerificationRequest r -> throw Assert.unreachable("an account verification is not advised");
      case AccountVerificationResponse r -> throw Assert.unreachable("a response is not advised");
      case NetworkManagementRequest r -> throw Assert.unreachable("an 0800 is not advised");
      case NetworkManagementResponse r -> throw Assert.unreachable("a response is not advised");
    };
  }

  private CardResponse reverseStandIn(PartyId acquirer, Issuer issuer, ReversalRequest reversal,
      OnlineStore.StandInApproval own, CardTransaction t, String panHash, long startNs) {
    store.releaseStandInApproval(own.id());
    issuer.advices().enqueue(new ReversalRequest(Mti.REVERSAL_ADVICE, t, reversal.reason(), reversal.original()));
    CardResponse answer = CardResponse.answering(reversal, ResponseCode.APPROVED, null, null);
    record(acquirer, issuer.endpoint().issuer(), reversal, t, panHash, answer, AnsweredBy.STAND_IN, -1, startNs);
    LOG.log(Level.INFO, "Stand-in approval reversed, exposure released [issuer={0}, stan={1}, approval={2}]",
        issuer.endpoint().issuer(), reversal.original().stan(), own.approvalCode());
    return answer;
  }

  /** The issuer's answer after stand-in answered: logged; a disagreement is recorded as an exception. */
  private void reconcileLate(PartyId acquirer, PartyId issuerId, Iso8583Message request, CardTransaction t,
      String panHash, StandIn.Decision decision, Outcome late, long startNs) {
    if (!(late instanceof Outcome.Answered answered && answered.response() instanceof CardResponse response)) {
      return;
    }
    record(acquirer, issuerId, request, t, panHash, response, AnsweredBy.ISSUER_LATE, elapsedMs(startNs), startNs);
    boolean isAuthorisation = request instanceof AuthorisationRequest || request instanceof FinancialRequest;
    if (!isAuthorisation || decision.approved() == response.responseCode().approved()) {
      return;
    }
    String kind = decision.approved() ? "ISSUER_DECLINED_STAND_IN_APPROVAL" : "ISSUER_APPROVED_STAND_IN_DECLINE";
    store.insertException(issuerId, kind, t, panHash, decision.code().code(), response.responseCode().code(),
        System.currentTimeMillis());
    LOG.log(Level.WARNING, "Late issuer answer disagrees with stand-in, exception recorded [issuer={0}, stan={1},"
        + " standIn={2}, issuer={3}]", issuerId, t.stan(), decision.code().code(), response.responseCode().code());
  }

  private void logAdvice(PartyId issuerId, Iso8583Message advice, CardResponse ack, long issuerMs) {
    CardTransaction t = transactionOf(advice);
    log.add(new LogEntry(System.currentTimeMillis(), PartyId.of(t.acquirerId()), issuerId, advice.mti(), t,
        config.storeKeys().panHash(t.pan()), ack, AnsweredBy.ADVICE, issuerMs, issuerMs, originalOf(advice)));
  }

  private void record(PartyId acquirer, PartyId issuer, Iso8583Message request, CardTransaction t, String panHash,
      CardResponse response, AnsweredBy by, long issuerMs, long startNs) {
    log.add(new LogEntry(System.currentTimeMillis(), acquirer, issuer, request.mti(), t, panHash, response, by, issuerMs,
        elapsedMs(startNs), originalOf(request)));
    metrics.answered(request, response, by.name().toLowerCase(Locale.ROOT), System.nanoTime() - startNs);
  }

  /** A reversal's field 90, logged so clearing can tell a reversed authorisation; else null. */
  private static OriginalData originalOf(Iso8583Message request) {
    return request instanceof ReversalRequest reversal ? reversal.original() : null;
  }

  private static long elapsedMs(long startNs) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
  }

  static CardTransaction transactionOf(Iso8583Message message) {
    return switch (message) {
      case AuthorisationRequest r -> r.transaction();
      case FinancialRequest r -> r.transaction();
      case AdviceRequest r -> r.transaction();
      case ReversalRequest r -> r.transaction();
      case CardResponse r -> throw Assert.unreachable("a response carries no request transaction");
      case AccountVerificationRequest r -> throw Assert.unreachable("an account verification carries no card");
      case AccountVerificationResponse r -> throw Assert.unreachable("a response carries no request transaction");
      case NetworkManagementRequest r -> throw Assert.unreachable("an 0800 carries no card");
      case NetworkManagementResponse r -> throw Assert.unreachable("an 0810 carries no card");
    };
  }

  /** An 0100 or 0200 with an online PIN block (advices and reversals never carry one to the issuer). */
  private static boolean carriesPin(Iso8583Message request, CardTransaction t) {
    return t.pinBlock() != null && (request instanceof AuthorisationRequest || request instanceof FinancialRequest);
  }

  /**
   * The request as the issuer gets it: unchanged without a PIN, else with its PIN block under the
   * issuer's zone PIN key; empty when the block cannot be translated.
   */
  private Optional<Iso8583Message> forIssuer(PartyId acquirer, PartyId issuer, Iso8583Message request,
      CardTransaction t) {
    if (!carriesPin(request, t)) {
      return Optional.of(request);
    }
    Optional<PinBlock> zonePin = pins == null ? Optional.empty() : pins.translate(acquirer, issuer, t);
    return zonePin.map(block -> withPin(request, block));
  }

  /** The request with its PIN block under the issuer's zone PIN key. */
  private static Iso8583Message withPin(Iso8583Message request, PinBlock zonePin) {
    CardTransaction t = transactionOf(request);
    CardTransaction translated = new CardTransaction(t.pan(), t.processingCode(), t.amount(), t.transmittedAt(),
        t.stan(), t.localTime(), t.expiry(), t.posEntryMode(), t.panSequence(), t.acquirerId(), t.rrn(),
        t.terminalId(), t.merchantId(), zonePin, t.iccData());
    return request instanceof FinancialRequest financial ? new FinancialRequest(translated, financial.walletPart())
        : new AuthorisationRequest(translated);
  }

  /** The advice does not carry the PIN block: the decision is taken, the issuer has nothing to verify. */
  private static CardTransaction withoutPin(CardTransaction t) {
    return new CardTransaction(t.pan(), t.processingCode(), t.amount(), t.transmittedAt(), t.stan(), t.localTime(),
        t.expiry(), t.posEntryMode(), t.panSequence(), t.acquirerId(), t.rrn(), t.terminalId(), t.merchantId(), null,
        t.iccData());
  }

  @Override
  public void close() {
    servers.values().forEach(Iso8583Server::close);
    List<AutoCloseable> rest = new ArrayList<>();
    issuers.values().forEach(issuer -> {
      issuer.client().close();
      rest.add(issuer.advices());
    });
    for (AutoCloseable closeable : rest) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "Close failed [reason={0}]", e.getMessage());
      }
    }
    log.close();
  }
}

package io.iotpay.issuer.authorisation.card;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.foundation.custody.KeyRef;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.issuer.deposit.DepositAccounts;
import io.iotpay.issuer.authorisation.card.CardAccount.CardState;
import io.iotpay.issuer.authorisation.card.CardAuthStore.DayTotals;
import io.iotpay.issuer.authorisation.card.CardAuthStore.QueuedScript;
import io.iotpay.issuer.authorisation.card.CardAuthStore.Txn;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.AccountVerificationRequest;
import io.iotpay.protocol.iso8583.AccountVerificationResponse;
import io.iotpay.protocol.iso8583.AdviceRequest;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.FinancialRequest;
import io.iotpay.protocol.iso8583.IccData;
import io.iotpay.protocol.iso8583.Iso8583Limits;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.NetworkManagementRequest;
import io.iotpay.protocol.iso8583.NetworkManagementResponse;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ReversalRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The issuer's card authorisation host behind an {@link Iso8583Server}: 0100 (verify the ARQC
 * through the key custody, check the card, place a hold), 0200 (the same, posted at once), 0400/0420
 * (void or reverse; an unknown original is remembered so it can never approve later) and 0120
 * advices (the switch's stand-in, posted once); plus clearing (capture of a hold, full or partial)
 * and refunds. Every ledger id is derived from the message key, every answer is stored, so a
 * duplicate — also after a restart — is answered the same and moves no money twice.
 * docs/issuer-authorisation.md is the contract.
 */
public final class CardAuthorisationService implements Iso8583Server.Handler {
  private static final System.Logger LOG = System.getLogger(CardAuthorisationService.class.getName());
  private static final long LEDGER_WAIT_MS = 10_000;
  private static final String PURCHASE = "00";
  /** Scripts per response at most (docs/pos-kernel.md: the kernel takes 8). */
  private static final int SCRIPTS_MAX = 8;

  /**
   * @param settlementAccountId the issuer's account holds and postings credit (owed to the scheme)
   * @param standInAccountId the issuer's exposure account a stand-in approval is posted from when
   *     the card's own account no longer covers it
   * @param holdTimeoutMs business-time milliseconds until an uncaptured hold expires
   * @param panLookupKey HMAC-SHA256 key of the PAN look-up hash, at least 16 bytes
   * @param scriptSigner makes queued issuer scripts; null when the host sends none
   */
  public record Config(long settlementAccountId, long standInAccountId, long holdTimeoutMs, byte[] panLookupKey,
      ScriptSigner scriptSigner) {
    public Config {
      Assert.that(settlementAccountId > 0 && standInAccountId > 0 && holdTimeoutMs > 0, "accounts and timeout");
      Assert.that(panLookupKey != null && panLookupKey.length >= 16, "PAN look-up key of 16 bytes or more");
      panLookupKey = panLookupKey.clone();
    }

    @Override
    public byte[] panLookupKey() {
      return panLookupKey.clone();
    }

    @Override
    public String toString() {
      return "Config[settlement=" + settlementAccountId + ", standIn=" + standInAccountId + ", holdTimeoutMs="
          + holdTimeoutMs + "]"; // the look-up key stays out of logs
    }
  }

  /** What a clearing or refund call did. */
  public enum ClearingOutcome {
    DONE,
    UNKNOWN_TRANSACTION,
    NOT_CAPTURABLE,
    HOLD_EXPIRED,
    EXCEEDS_HOLD,
    EXCEEDS_CAPTURED
  }

  private final Ledger ledger;
  private final KeyCustody custody;
  private final CardAuthStore store;
  private final Config config;
  private final Clock clock;
  private final SecretKeySpec panKey;
  // One request at a time: duplicates racing each other see the first one's stored answer.
  private final ReentrantLock lock = new ReentrantLock();
  private final AccountAuthorisation accounts;
  private final Database database;
  private volatile QrTokenAuthorisation qrTokens;
  private final PinVerification pins;
  private final DepositAccounts deposits;

  /** Opens the host on its database (applies the issuer-auth migrations). */
  public CardAuthorisationService(Database database, Ledger ledger, KeyCustody custody, Config config, Clock clock) {
    this(database, ledger, custody, config, clock, null);
  }

  /**
   * As above, verifying online PINs with the keys {@code pinSettings} names (docs/pin-and-dukpt.md);
   * without them (null) a request with a PIN block is declined 63.
   */
  public CardAuthorisationService(Database database, Ledger ledger, KeyCustody custody, Config config, Clock clock,
      PinVerification.Settings pinSettings) {
    this.pins = pinSettings == null ? null : new PinVerification(database, custody, pinSettings);
    this.ledger = Assert.notNull(ledger, "ledger");
    this.custody = Assert.notNull(custody, "custody");
    this.config = Assert.notNull(config, "config");
    this.clock = Assert.notNull(clock, "clock");
    this.panKey = new SecretKeySpec(config.panLookupKey(), "HmacSHA256");
    this.store = new CardAuthStore(database);
    this.accounts = new AccountAuthorisation(database, store, ledger, this::panHash, config.holdTimeoutMs(), clock);
    this.database = database;
    this.deposits = new DepositAccounts(database, clock);
  }

  /** The deposit accounts this issuer holds; account verifications (0100 with field 103) are answered from them. */
  public DepositAccounts deposits() {
    return deposits;
  }

  /**
   * Turns on consumer-presented QR payments (docs/qr.md): 0100s whose PAN starts with {@code
   * tokenPrefix} are payment tokens, authorised by {@link QrTokenAuthorisation}; a code is accepted
   * for {@code codeLifetime} after it was made. Call once, before the host serves requests.
   */
  public QrTokenAuthorisation enableQrTokens(String tokenPrefix, java.time.Duration codeLifetime) {
    Assert.that(qrTokens == null, "QR tokens enabled twice");
    qrTokens = new QrTokenAuthorisation(database, store, ledger, custody, this::panHash, config.settlementAccountId(),
        config.holdTimeoutMs(), clock, tokenPrefix, codeLifetime, lock);
    return qrTokens;
  }

  /** The QR token path, when {@link #enableQrTokens} was called. */
  public Optional<QrTokenAuthorisation> qrTokens() {
    return Optional.ofNullable(qrTokens);
  }

  /** The account path (account tokens, 0220 completions); docs/issuer-authorisation.md. */
  public AccountAuthorisation accounts() {
    return accounts;
  }

  /**
   * Sets a registered card's reference PIN from the cardholder's PIN selection block, a format 4
   * block under the zone PIN key named in the PIN settings; its PIN tries start again.
   *
   * @throws IssuerInputException when no card is registered under {@code pan}, the host has no PIN
   *     settings, or the block does not decipher (nothing changes)
   */
  public void enrolPin(Pan pan, byte[] selectionBlock) {
    if (pins == null) {
      throw new IssuerInputException("this host verifies no PINs");
    }
    lock.lock();
    try {
      pins.enrol(requireCard(pan).panHash(), pan, selectionBlock);
    } finally {
      lock.unlock();
    }
  }

  /** PINs verified and failed so far, from the PIN table; empty when the host verifies no PINs. */
  public Optional<PinVerification.Counts> pinCounts() {
    return pins == null ? Optional.empty() : Optional.of(pins.counts());
  }

  /** Wrong PINs the card may still enter; -1 when it has no reference PIN or the host verifies none. */
  public int pinTriesLeft(Pan pan) {
    return pins == null ? -1 : pins.triesLeft(panHash(pan));
  }

  /** Registers (or updates) a card; only its keyed hash and masked form are stored. */
  public CardAccount registerCard(Pan pan, int panSequence, YearMonth expiry, String keyLabel, long accountId,
      int dailyCountMax, long dailyAmountMaxMinor) {
    CardAccount card = new CardAccount(panHash(pan), pan.masked(), panSequence, CardState.ACTIVE, expiry, keyLabel,
        accountId, dailyCountMax, dailyAmountMaxMinor);
    store.putCard(card);
    return card;
  }

  /**
   * Blocks or unblocks a card; the next authorisation sees it.
   *
   * @throws IssuerInputException when no card is registered under {@code pan} (nothing changes)
   */
  public void setState(Pan pan, CardState state) {
    store.putCard(requireCard(pan).withState(state));
  }

  private CardAccount requireCard(Pan pan) {
    return store.card(panHash(pan)).orElseThrow(() -> new IssuerInputException("no card is registered under this PAN"));
  }

  /** Longest page {@link #records} gives. */
  public static final int RECORDS_PAGE_MAX = 500;

  /**
   * The recorded transactions newest first, for the operator's console: approvals, declines with
   * their response code, reversed ones, advices. Read-only.
   *
   * @param stan "" or a STAN of 1..6 digits
   * @param cardSuffix "" or the last 1..4 digits of the card's PAN
   * @param offset rows to skip, 0 or more
   * @param limit 1..{@link #RECORDS_PAGE_MAX}
   * @throws IllegalArgumentException when an argument is outside those bounds (nothing is read)
   */
  public List<AuthorisationRecord> records(String stan, String cardSuffix, int offset, int limit) {
    if (!stan.matches("[0-9]{0,6}") || !cardSuffix.matches("[0-9]{0,4}") || offset < 0 || limit < 1
        || limit > RECORDS_PAGE_MAX) {
      throw new IllegalArgumentException("records: STAN 0..6 digits, card suffix 0..4 digits, offset >= 0, limit 1.."
          + RECORDS_PAGE_MAX);
    }
    return store.records(stan.isEmpty() ? "" : Integer.toString(Integer.parseInt(stan)), cardSuffix, offset, limit);
  }

  /** The card as stored. */
  public Optional<CardAccount> card(Pan pan) {
    return store.card(panHash(pan));
  }

  @Override
  public Iso8583Message handle(Iso8583Message request) {
    if (request instanceof AccountVerificationRequest verification) {
      return deposits.verify(verification);
    }
    if (accounts.handles(request)) {
      return accounts.handle(request);
    }
    QrTokenAuthorisation qr = qrTokens;
    if (qr != null && qr.handles(request)) {
      return qr.handle((AuthorisationRequest) request);
    }
    if (request instanceof AuthorisationRequest r) {
      return authoriseInGroup(r);
    }
    if (request instanceof FinancialRequest r && r.isWalletPart()) {
      // A wallet online part is the wallet issuer's (WalletOnlineParts): never a card purchase here.
      return CardResponse.answering(r, ResponseCode.INVALID_TRANSACTION, null, null);
    }
    lock.lock();
    try {
      return switch (request) {
        case AuthorisationRequest r -> authorise(r, r.transaction(), Kind.AUTH);
        case FinancialRequest r -> authorise(r, r.transaction(), Kind.FIN);
        case ReversalRequest r -> reverse(r);
        case AdviceRequest r -> advise(r);
        case CardResponse r -> throw Assert.unreachable("the server passes only requests, not {}", r.mti());
        case AccountVerificationRequest r -> throw Assert.unreachable("answered above");
        case AccountVerificationResponse r -> throw Assert.unreachable("the server passes only requests");
        case NetworkManagementRequest r -> throw Assert.unreachable("the server answers 0800 itself");
        case NetworkManagementResponse r -> throw Assert.unreachable("the server passes only requests");
      };
    } finally {
      lock.unlock();
    }
  }

  /** Transaction kinds as stored. */
  private enum Kind {
    AUTH,
    FIN,
    ADVICE,
    STANDIN
  }

  /** Stored states. */
  private static final String HELD = "HELD";
  private static final String POSTED = "POSTED";
  private static final String CAPTURED = "CAPTURED";
  private static final String EXPIRED = "EXPIRED";
  private static final String DECLINED = "DECLINED";
  private static final String REVERSED = "REVERSED";

  private CardResponse authorise(Iso8583Message request, CardTransaction t, Kind kind) {
    String key = key(request.mti(), t.acquirerId(), t.stan(), t.transmittedAt().field7());
    Optional<Txn> seen = store.txn(key);
    if (seen.isPresent()) {
      return replay(request, t, seen.get());
    }
    CardCheck check = checkCard(t, panHash(t.pan()));
    Decision d = decide(t, key, NONE_YET, check);
    ResponseCode code = d.code();
    long transferId = 0;
    if (code.approved()) {
      transferId = id(kind == Kind.AUTH ? "hold" : "post", key);
      Transfer transfer = kind == Kind.AUTH
          ? Transfer.pending(transferId, d.card().accountId(), config.settlementAccountId(), t.amount().amountMinor(),
              config.holdTimeoutMs())
          : Transfer.single(transferId, d.card().accountId(), config.settlementAccountId(), t.amount().amountMinor());
      TransferResult result = submit(transfer);
      if (result == TransferResult.EXCEEDS_CREDITS) {
        code = ResponseCode.INSUFFICIENT_FUNDS;
      } else if (result != TransferResult.OK) {
        throw new IllegalStateException("ledger refused " + kind + " transfer: " + result);
      }
    }
    IccData icc = d.chip() == null ? null : issuerData(d, t.pan(), code, key, check.arpcIfApproved());
    String approval = code.approved() ? approvalCode(key) : null;
    store.putTxn(new Txn(key, kind.name(), panHash(t.pan()), today(), t.amount().amountMinor(), transferId,
        code.approved() ? (kind == Kind.AUTH ? HELD : POSTED) : DECLINED, code.code(), approval,
        icc == null ? null : Hex.encode(icc.value())));
    logDecision(kind, t, code);
    return CardResponse.answering(request, code, approval, icc);
  }

  // ---- 0100s in groups: one ledger submit and one store commit per batch --------------------------

  /** Most 0100s decided, held and stored together. */
  static final int AUTH_BATCH_MAX = 256;
  private static final DayTotals NONE_YET = new DayTotals(0, 0);
  private final ConcurrentLinkedQueue<PendingAuth> authQueue = new ConcurrentLinkedQueue<>();

  /** One 0100 waiting for its batch; written and read under {@link #lock}. */
  private static final class PendingAuth {
    final AuthorisationRequest request;
    /** The PAN's look-up hash, computed by the request's own thread before it queues. */
    final String panHash;
    /** The card, its chip data and its ARQC check, made by the request's own thread before it queues. */
    final CardCheck check;
    CardResponse response;
    RuntimeException error;
    boolean done;
    /** A new decision (not a replay): its answer is logged. */
    boolean logged;

    PendingAuth(AuthorisationRequest request, String panHash, CardCheck check) {
      this.request = request;
      this.panHash = panHash;
      this.check = check;
    }

    void answer(CardResponse value) {
      response = value;
      done = true;
    }

    void fail(RuntimeException e) {
      error = e;
      done = true;
    }
  }

  /**
   * Group commit of 0100s (each arrives on its own virtual thread): the request joins a queue; whoever
   * holds the lock next takes everything queued, at most {@link #AUTH_BATCH_MAX}, and decides, holds
   * and stores it as one batch ({@link #authoriseBatch}); the others find their answer made when they
   * get the lock. Each answer is the one {@link #authorise} would give alone, and is stored before it
   * is returned. What needs no lock (the PAN hash, the card row, the ARQC check and the ARPC of an
   * approval: {@link #checkCard}) is done by the request's own thread before it queues, so the
   * cryptography runs on every core and not in the batch.
   */
  private CardResponse authoriseInGroup(AuthorisationRequest request) {
    CardTransaction transaction = request.transaction();
    String panHash = panHash(transaction.pan());
    PendingAuth mine = new PendingAuth(request, panHash, checkCard(transaction, panHash));
    authQueue.add(mine);
    lock.lock();
    try {
      while (!mine.done) {
        List<PendingAuth> batch = new ArrayList<>();
        PendingAuth p;
        while (batch.size() < AUTH_BATCH_MAX && (p = authQueue.poll()) != null) {
          batch.add(p);
        }
        authoriseBatch(batch);
      }
    } finally {
      lock.unlock();
    }
    if (mine.error != null) {
      throw mine.error;
    }
    if (mine.logged) {
      // Logged by the request's own thread once the lock is free, not by the batch under the lock.
      logDecision(Kind.AUTH, transaction, mine.response.responseCode());
    }
    return mine.response;
  }

  /** One 0100 of a batch between its decision and its stored answer. */
  private record Planned(PendingAuth pending, CardTransaction t, String key, Decision decision, Transfer hold) {}

  /**
   * Decides every request (an approval counts towards the card's day totals of the later ones),
   * submits all holds to the ledger at once, builds the answers (ARPC, scripts), stores every
   * transaction row in one commit, and only then answers. A request repeated within the batch is
   * answered from the first one's stored row, as a later duplicate would be.
   */
  private void authoriseBatch(List<PendingAuth> batch) {
    Map<String, Planned> byKey = new LinkedHashMap<>();
    Map<String, DayTotals> approvedInBatch = new HashMap<>();
    List<PendingAuth> repeats = new ArrayList<>();
    List<Transfer> holds = new ArrayList<>();
    for (PendingAuth p : batch) {
      try {
        CardTransaction t = p.request.transaction();
        String key = key(p.request.mti(), t.acquirerId(), t.stan(), t.transmittedAt().field7());
        if (byKey.containsKey(key)) {
          repeats.add(p);
          continue;
        }
        Optional<Txn> seen = store.txn(key);
        if (seen.isPresent()) {
          p.answer(replay(p.request, t, seen.get()));
          continue;
        }
        String panHash = p.panHash;
        Decision d = decide(t, key, approvedInBatch.getOrDefault(panHash, NONE_YET), p.check);
        Transfer hold = null;
        if (d.code().approved()) {
          hold = Transfer.pending(id("hold", key), d.card().accountId(), config.settlementAccountId(),
              t.amount().amountMinor(), config.holdTimeoutMs());
          holds.add(hold);
          DayTotals before = approvedInBatch.getOrDefault(panHash, NONE_YET);
          approvedInBatch.put(panHash, new DayTotals(before.count() + 1, before.amountMinor() + t.amount().amountMinor()));
        }
        byKey.put(key, new Planned(p, t, key, d, hold));
      } catch (RuntimeException e) {
        p.fail(e);
      }
    }
    List<Planned> planned = new ArrayList<>(byKey.values());
    List<TransferResult> results;
    try {
      results = holds.isEmpty() ? List.of()
          : ledger.submit(holds).orTimeout(LEDGER_WAIT_MS, TimeUnit.MILLISECONDS).join();
    } catch (RuntimeException e) {
      planned.forEach(x -> x.pending().fail(e));
      repeats.forEach(x -> x.fail(e));
      return;
    }
    List<Txn> rows = new ArrayList<>();
    List<CardResponse> answers = new ArrayList<>();
    List<Planned> answered = new ArrayList<>();
    int next = 0;
    for (Planned x : planned) {
      try {
        ResponseCode code = x.decision().code();
        long transferId = 0;
        if (x.hold() != null) {
          TransferResult result = results.get(next++);
          transferId = x.hold().id();
          if (result == TransferResult.EXCEEDS_CREDITS) {
            code = ResponseCode.INSUFFICIENT_FUNDS;
          } else if (result != TransferResult.OK) {
            throw new IllegalStateException("ledger refused " + Kind.AUTH + " transfer: " + result);
          }
        }
        IccData icc = x.decision().chip() == null ? null
            : issuerData(x.decision(), x.t().pan(), code, x.key(), x.pending().check.arpcIfApproved());
        String approval = code.approved() ? approvalCode(x.key()) : null;
        rows.add(new Txn(x.key(), Kind.AUTH.name(), x.pending().panHash, today(), x.t().amount().amountMinor(),
            transferId, code.approved() ? HELD : DECLINED, code.code(), approval,
            icc == null ? null : Hex.encode(icc.value())));
        answers.add(CardResponse.answering(x.pending().request, code, approval, icc));
        answered.add(x);
      } catch (RuntimeException e) {
        x.pending().fail(e);
      }
    }
    try {
      store.putTxns(rows);
    } catch (RuntimeException e) {
      answered.forEach(x -> x.pending().fail(e));
      repeats.forEach(x -> x.fail(e));
      return;
    }
    for (int i = 0; i < answered.size(); i++) {
      Planned x = answered.get(i);
      x.pending().logged = true;
      x.pending().answer(answers.get(i));
    }
    for (PendingAuth p : repeats) {
      CardTransaction t = p.request.transaction();
      Optional<Txn> first = store.txn(key(p.request.mti(), t.acquirerId(), t.stan(), t.transmittedAt().field7()));
      if (first.isPresent()) {
        p.answer(replay(p.request, t, first.get()));
      } else {
        p.fail(new IllegalStateException("the first of a repeated 0100 was not stored"));
      }
    }
  }

  /** A decision before the ledger: the code, the card (null when unknown), the chip data (null when absent). */
  private record Decision(ResponseCode code, CardAccount card, ChipData chip, boolean arqcValid) {}

  /**
   * What can be known of a card request without the lock: the card (null when unknown), its chip
   * data (null when absent or malformed), whether the ARQC verifies, and the ARPC the answer carries
   * should it be an approval (null when the ARQC does not verify). The card's state, limits and
   * totals are checked later, under the lock, by {@link #checks}.
   */
  private record CardCheck(CardAccount card, ChipData chip, boolean arqcValid, byte[] arpcIfApproved) {}

  /** @param panHash {@link #panHash} of the request's PAN */
  private CardCheck checkCard(CardTransaction t, String panHash) {
    Optional<CardAccount> found = store.card(panHash);
    if (found.isEmpty()) {
      return new CardCheck(null, null, false, null);
    }
    CardAccount card = found.get();
    ChipData chip = ChipData.of(t.iccData()).orElse(null);
    if (chip == null) {
      return new CardCheck(card, null, false, null);
    }
    KeyRef imk = custody.current(card.keyLabel());
    String psn = String.format("%02d", card.panSequence());
    boolean arqcValid = custody.verifyArqc(imk, t.pan().digits(), psn, chip.atc(), chip.cryptogramInput(), chip.arqc());
    byte[] arpc = arqcValid ? custody.generateArpc(imk, t.pan().digits(), psn, chip.atc(), chip.arqc(),
        arc(ResponseCode.APPROVED)) : null;
    return new CardCheck(card, chip, arqcValid, arpc);
  }

  /** @param alsoApproved approvals of this card not yet stored (earlier ones of the same batch) */
  private Decision decide(CardTransaction t, String key, DayTotals alsoApproved, CardCheck check) {
    if (check.card() == null) {
      return new Decision(ResponseCode.INVALID_CARD_NUMBER, null, null, false);
    }
    if (check.chip() == null) {
      return new Decision(ResponseCode.FORMAT_ERROR, check.card(), null, false);
    }
    // Under the lock: a PIN try is counted once per request. A forged ARQC or a blocked card uses no try.
    ResponseCode pinRefusal = check.arqcValid() && check.card().state() == CardState.ACTIVE
        ? pinRefusal(t, check.card().panHash()) : null;
    ResponseCode code = pinRefusal != null ? pinRefusal
        : checks(t, check.card(), check.chip(), check.arqcValid(), key, alsoApproved);
    return new Decision(code, check.card(), check.chip(), check.arqcValid());
  }

  private static byte[] arc(ResponseCode code) {
    return code.code().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The online PIN check of a genuine card's request (a forged ARQC or a blocked card uses no PIN
   * try): null when the request has no PIN block or the PIN verified, else the decline.
   */
  private ResponseCode pinRefusal(CardTransaction t, String panHash) {
    if (t.pinBlock() == null) {
      return null;
    }
    if (pins == null) {
      return ResponseCode.SECURITY_VIOLATION;
    }
    PinVerification.Outcome outcome = pins.verify(panHash, t.pan(), t.pinBlock());
    if (outcome != PinVerification.Outcome.VERIFIED) {
      LOG.log(System.Logger.Level.INFO, "online PIN not verified [pan={0}, stan={1}, outcome={2}]", t.pan().masked(),
          t.stan(), outcome);
    }
    return outcome.code;
  }

  /** The decline table, first match wins; APPROVED when every check passes. */
  private ResponseCode checks(CardTransaction t, CardAccount card, ChipData chip, boolean arqcValid, String key,
      DayTotals alsoApproved) {
    Optional<AccountBalance> account = ledger.balance(card.accountId());
    DayTotals stored = store.approvedOn(card.panHash(), today());
    DayTotals day = new DayTotals(stored.count() + alsoApproved.count(), stored.amountMinor() + alsoApproved.amountMinor());
    long amount = t.amount().amountMinor();
    if (!arqcValid || store.isReversed(key)) {
      return ResponseCode.DO_NOT_HONOUR;
    } else if (t.panSequence() == null || t.panSequence() != card.panSequence()) {
      return ResponseCode.INVALID_CARD_NUMBER;
    } else if (card.state() != CardState.ACTIVE) {
      return ResponseCode.RESTRICTED_CARD;
    } else if (YearMonth.now(clock.withZone(ZoneOffset.UTC)).isAfter(card.expiry())) {
      return ResponseCode.EXPIRED_CARD;
    } else if (!t.processingCode().startsWith(PURCHASE)) {
      return ResponseCode.NOT_PERMITTED_TO_CARDHOLDER;
    } else if (amount <= 0 || amount != chip.amountMinor() || account.isEmpty()
        || !account.get().account().currency().equals(t.amount().currency())) {
      return ResponseCode.INVALID_AMOUNT;
    } else if (day.count() + 1 > card.dailyCountMax() || day.amountMinor() + amount > card.dailyAmountMaxMinor()) {
      return ResponseCode.EXCEEDS_WITHDRAWAL_LIMIT;
    }
    return ResponseCode.APPROVED;
  }

  /**
   * Response field 55: tag 91 = ARPC (method 1, through the custody) ‖ ARC, the ARC being field
   * 39's two characters; then, when the ARQC verified, the card's queued scripts (71/72 with one 86
   * each) as long as the field stays within its bound. Scripts sent are marked with {@code key}.
   *
   * @param arpcIfApproved the ARPC for {@link ResponseCode#APPROVED} made before the request queued,
   *     used when {@code code} is that; null to make it here
   */
  private IccData issuerData(Decision d, Pan pan, ResponseCode code, String key, byte[] arpcIfApproved) {
    byte[] arc = arc(code);
    String psn = String.format("%02d", d.card().panSequence());
    byte[] arpc = code == ResponseCode.APPROVED && arpcIfApproved != null ? arpcIfApproved
        : custody.generateArpc(custody.current(d.card().keyLabel()), pan.digits(), psn, d.chip().atc(), d.chip().arqc(),
            arc);
    ByteBuffer value = ByteBuffer.allocate(arpc.length + arc.length).put(arpc).put(arc);
    List<Tlv> objects = new ArrayList<>();
    objects.add(Tlv.primitive(Tag.of(0x91), value.array()));
    if (d.arqcValid() && config.scriptSigner() != null) {
      int bytes = BerTlv.encode(objects).length;
      for (QueuedScript queued : store.pendingScripts(d.card().panHash(), SCRIPTS_MAX)) {
        byte[] command = config.scriptSigner().command(pan.digits(), psn, d.chip().atc(), d.chip().arqc(),
            queued.script());
        Tlv template = Tlv.constructed(Tag.of(queued.script().template()), Tlv.primitive(Tag.of(0x86), command));
        int size = BerTlv.encode(List.of(template)).length;
        if (bytes + size > Iso8583Limits.ICC_DATA_BYTES_MAX) {
          break; // the rest waits for the next online transaction
        }
        bytes += size;
        objects.add(template);
        store.markScriptSent(d.card().panHash(), queued.seq(), key);
      }
    }
    return IccData.of(objects);
  }

  /**
   * Queues {@code script} for the card's next online transaction with a genuine ARQC.
   *
   * @throws IssuerInputException when no card is registered under {@code pan} (nothing is queued)
   */
  public void queueScript(Pan pan, IssuerScript script) {
    lock.lock();
    try {
      CardAccount card = requireCard(pan);
      store.queueScript(card.panHash(), Assert.notNull(script, "script"));
    } finally {
      lock.unlock();
    }
  }

  private CardResponse replay(Iso8583Message request, CardTransaction t, Txn txn) {
    if (txn.amountMinor() != t.amount().amountMinor() || !txn.panHash().equals(panHash(t.pan()))) {
      return CardResponse.answering(request, ResponseCode.DUPLICATE_TRANSMISSION, null, null);
    }
    return CardResponse.answering(request, ResponseCode.byCode(txn.responseCode()).orElseThrow(), txn.approvalCode(),
        txn.iccHex() == null ? null : new IccData(Hex.decode(txn.iccHex())));
  }

  private CardResponse reverse(ReversalRequest r) {
    OriginalData o = r.original();
    String key = key(o.mti(), o.acquirerId(), o.stan(), o.transmittedAt().field7());
    store.markReversed(key);
    Optional<Txn> found = store.txn(key);
    if (found.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "reversal before (or without) its original, remembered [stan={0}]", o.stan());
      if (o.mti() == Mti.AUTHORISATION_REQUEST) {
        voidOrphanHold(key);
      }
      return CardResponse.answering(r, ResponseCode.APPROVED, null, null);
    }
    Txn txn = found.get();
    switch (txn.state()) {
      case HELD -> {
        switch (submit(Transfer.voidPending(id("void", key), txn.transferId()))) {
          case OK, PENDING_TRANSFER_EXPIRED, PENDING_TRANSFER_ALREADY_VOIDED -> { }
          case PENDING_TRANSFER_ALREADY_POSTED -> {
            // Captured, but the host stopped before it recorded so: too late, as for CAPTURED.
            store.putTxn(txn.withState(CAPTURED));
            return CardResponse.answering(r, ResponseCode.INVALID_TRANSACTION, null, null);
          }
          default -> throw new IllegalStateException("ledger refused the void of a hold");
        }
      }
      case POSTED -> requireOk(submit(Transfer.single(id("unpost", key), config.settlementAccountId(),
          debitedAccount(txn), txn.amountMinor())));
      case CAPTURED -> {
        return CardResponse.answering(r, ResponseCode.INVALID_TRANSACTION, null, null);
      }
      default -> { }
    }
    store.putTxn(txn.withState(REVERSED));
    // The reversed 0110 may never have reached the card (lost, or replaced by a stand-in answer):
    // its scripts go back to the queue for the next tap. Resending is safe: every script command is
    // MACed for the ARQC it rides with, and block, unblock and PUT DATA leave the card as one run would.
    store.requeueScripts(key);
    return CardResponse.answering(r, ResponseCode.APPROVED, null, null);
  }

  /**
   * A hold the ledger applied just before the host stopped, its 0100 not yet stored: its id is
   * derived from the key, so the void finds it. Usually there is none (PENDING_TRANSFER_NOT_FOUND).
   */
  private void voidOrphanHold(String key) {
    switch (submit(Transfer.voidPending(id("void", key), id("hold", key)))) {
      case OK -> LOG.log(System.Logger.Level.WARNING, "orphan hold of a reversed 0100 voided");
      case PENDING_TRANSFER_NOT_FOUND, PENDING_TRANSFER_ALREADY_VOIDED, PENDING_TRANSFER_EXPIRED -> { }
      default -> throw new IllegalStateException("ledger refused the void of an orphan hold");
    }
  }

  private CardResponse advise(AdviceRequest a) {
    CardTransaction t = a.transaction();
    // The advice tells of an 0100 the switch answered: its key is that 0100's, so a later 0400 finds it.
    String key = key(Mti.AUTHORISATION_REQUEST, t.acquirerId(), t.stan(), t.transmittedAt().field7());
    if (store.txn(key).isEmpty()) {
      Optional<CardAccount> card = store.card(panHash(t.pan()));
      boolean post = a.responseCode().approved() && card.isPresent() && !store.isReversed(key);
      Kind kind = Kind.ADVICE;
      long transferId = 0;
      if (post) {
        transferId = id("advice", key);
        long amount = t.amount().amountMinor();
        TransferResult result = submit(Transfer.single(transferId, card.get().accountId(),
            config.settlementAccountId(), amount));
        if (result == TransferResult.EXCEEDS_CREDITS) {
          kind = Kind.STANDIN; // the switch approved beyond the balance: the issuer carries it
          transferId = id("standin", key);
          result = submit(Transfer.single(transferId, config.standInAccountId(), config.settlementAccountId(), amount));
        }
        requireOk(result);
      }
      store.putTxn(new Txn(key, kind.name(), panHash(t.pan()), today(), t.amount().amountMinor(), transferId,
          post ? POSTED : DECLINED, a.responseCode().code(), a.approvalCode(), null));
    }
    return CardResponse.answering(a, ResponseCode.APPROVED, null, null);
  }

  /**
   * Clearing: captures {@code amountMinor} (at most the hold) of the authorisation named by {@code
   * original}; the rest of the hold is released. Repeating the same capture is DONE again, once. A
   * transaction posted when it was authorised (0200, or a stand-in advice) is DONE for exactly its
   * posted amount, nothing moving again.
   */
  public ClearingOutcome capture(OriginalData original, long amountMinor) {
    lock.lock();
    try {
      String key = key(original.mti(), original.acquirerId(), original.stan(), original.transmittedAt().field7());
      Optional<Txn> found = store.txn(key);
      if (found.isEmpty()) {
        return ClearingOutcome.UNKNOWN_TRANSACTION;
      }
      Txn txn = found.get();
      if (txn.state().equals(POSTED)) {
        // Posted when authorised (an 0200, or the switch's stand-in advice): the money moved then.
        // Its capture is taken for the posted amount; more is beyond it, less is not a capture.
        if (amountMinor == txn.amountMinor()) {
          return ClearingOutcome.DONE;
        }
        return amountMinor > txn.amountMinor() ? ClearingOutcome.EXCEEDS_HOLD : ClearingOutcome.NOT_CAPTURABLE;
      }
      if (!txn.state().equals(HELD) && !txn.state().equals(CAPTURED)) {
        return ClearingOutcome.NOT_CAPTURABLE;
      }
      TransferResult result = submit(Transfer.post(id("capture", key), txn.transferId(), amountMinor));
      return switch (result) {
        case OK -> {
          store.putTxn(txn.withState(CAPTURED));
          yield ClearingOutcome.DONE;
        }
        case PENDING_TRANSFER_EXPIRED -> {
          store.putTxn(txn.withState(EXPIRED));
          yield ClearingOutcome.HOLD_EXPIRED;
        }
        case EXCEEDS_PENDING_TRANSFER_AMOUNT -> ClearingOutcome.EXCEEDS_HOLD;
        default -> ClearingOutcome.NOT_CAPTURABLE;
      };
    } finally {
      lock.unlock();
    }
  }

  /**
   * A refund clearing record: credits the cardholder {@code amountMinor} (at most the original
   * amount) of a captured or posted purchase, once per {@code refundId}.
   */
  public ClearingOutcome refund(String refundId, OriginalData original, long amountMinor) {
    lock.lock();
    try {
      String key = key(original.mti(), original.acquirerId(), original.stan(), original.transmittedAt().field7());
      Optional<Txn> found = store.txn(key);
      if (found.isEmpty()) {
        return ClearingOutcome.UNKNOWN_TRANSACTION;
      }
      Txn txn = found.get();
      if (!txn.state().equals(CAPTURED) && !txn.state().equals(POSTED)) {
        return ClearingOutcome.NOT_CAPTURABLE;
      }
      if (amountMinor <= 0 || amountMinor > txn.amountMinor()) {
        return ClearingOutcome.EXCEEDS_CAPTURED;
      }
      if (!store.hasRefund(refundId)) {
        requireOk(submit(Transfer.single(id("refund", refundId), config.settlementAccountId(), debitedAccount(txn),
            amountMinor)));
        store.putRefund(refundId, key, amountMinor);
      }
      return ClearingOutcome.DONE;
    } finally {
      lock.unlock();
    }
  }

  /** Expires every hold past its timeout now (the ledger also does so on its own); how many. */
  public int expireDue() {
    return ledger.expireDue().orTimeout(LEDGER_WAIT_MS, TimeUnit.MILLISECONDS).join();
  }

  private long debitedAccount(Txn txn) {
    if (txn.kind().equals(Kind.STANDIN.name())) {
      return config.standInAccountId();
    }
    return store.card(txn.panHash()).orElseThrow(() -> new IllegalStateException("card of a transaction is gone"))
        .accountId();
  }

  private TransferResult submit(Transfer transfer) {
    return ledger.submit(List.of(transfer)).orTimeout(LEDGER_WAIT_MS, TimeUnit.MILLISECONDS).join().get(0);
  }

  private static void requireOk(TransferResult result) {
    if (result != TransferResult.OK) {
      throw new IllegalStateException("ledger refused: " + result);
    }
  }

  private String today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
  }

  /** The idempotency key of a card request: original MTI, acquirer, STAN and field 7 (what field 90 names). */
  static String key(Mti mti, String acquirerId, int stan, String field7) {
    return mti.code() + ":" + acquirerId + ":" + stan + ":" + field7;
  }

  /** A positive ledger id for {@code purpose} of {@code key}: the first 63 bits of SHA-256. */
  static long id(String purpose, String key) {
    byte[] digest = sha256((purpose + "|" + key).getBytes(StandardCharsets.UTF_8));
    long id = ByteBuffer.wrap(digest).getLong() & Long.MAX_VALUE;
    return id == 0 ? 1 : id;
  }

  /**
   * One line per decision at DEBUG: the decision itself is durable in the transaction row, and a
   * console line per authorisation cost the issuer about a tenth of its CPU under load
   * (docs/bench-auth.md §3.4).
   */
  private static void logDecision(Kind kind, CardTransaction t, ResponseCode code) {
    if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
      LOG.log(System.Logger.Level.DEBUG, "card {0} [pan={1}, stan={2}, code={3}]", kind, t.pan().masked(), t.stan(),
          code.code());
    }
  }

  static String approvalCode(String key) {
    return String.format("%06d", id("approval", key) % 1_000_000);
  }

  /** The PAN's look-up hash: HMAC-SHA256 under the host's key, hex. */
  String panHash(Pan pan) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(panKey);
      return Hex.encode(mac.doFinal(pan.digits().getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }
}

package io.iotpay.issuer.authorisation.card;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.issuer.authorisation.card.CardAccount.CardState;
import io.iotpay.issuer.authorisation.card.CardAuthStore.DayTotals;
import io.iotpay.issuer.authorisation.card.CardAuthStore.Txn;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.AdviceRequest;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.FinancialRequest;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ReversalRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The card authorisation host's account path (docs/issuer-authorisation.md): authorisations of an
 * account, not a card, from a trusted acquirer link (MACed under its zone keys), with no chip data.
 * Field 2 is an <b>account token</b> of the range {@link #TOKEN_RANGE} (no card range uses it),
 * registered like a card (its keyed hash and masked form only); field 42 is the payee's ledger
 * account, 15 digits.
 *
 * <ul>
 *   <li>0100 → the account's checks (status, expiry, the day's count and amount, as a card's) and a
 *       hold payer → payee for the host's hold timeout; the row is an {@code issuer_auth_txn} row like
 *       a card's, so the velocity counts both alike.
 *   <li>0220 completion advice (field 90 names the 0100) → the capture of the hold for field 4's
 *       amount, at most the hold; the rest is released. A1 when the hold expired first.
 *   <li>0400/0420 (field 90 names the 0100) → the release of the hold; remembered when it comes
 *       first, so the late 0100 is declined.
 * </ul>
 *
 * Every request is keyed as the card path keys it (MTI, field 32, STAN, field 7); its answer is
 * stored, so a repeat is answered the same and moves no money twice. Thread-safe: one request at a
 * time.
 */
public final class AccountAuthorisation {
  private static final System.Logger LOG = System.getLogger(AccountAuthorisation.class.getName());
  private static final long LEDGER_WAIT_MS = 10_000;

  /**
   * The account-token range: PANs beginning with these digits are account tokens, never cards
   * (9 is the ISO/IEC 7812 major industry identifier for national assignment; no card range of the
   * scheme starts with it).
   */
  public static final String TOKEN_RANGE = "9990";

  /** The key label a token's row carries in place of a card's IMK (a token has no card keys). */
  static final String TOKEN_KEY_LABEL = "account-token";

  private static final String HELD = "HELD";
  private static final String CAPTURED = "CAPTURED";
  private static final String EXPIRED = "EXPIRED";
  private static final String DECLINED = "DECLINED";
  private static final String REVERSED = "REVERSED";
  private static final String KIND = "ACCOUNT";

  private final Database database;
  private final CardAuthStore store;
  private final Ledger ledger;
  private final Function<Pan, String> panHash;
  private final long holdTimeoutMs;
  private final Clock clock;

  AccountAuthorisation(Database database, CardAuthStore store, Ledger ledger, Function<Pan, String> panHash,
      long holdTimeoutMs, Clock clock) {
    this.database = database;
    this.store = store;
    this.ledger = ledger;
    this.panHash = panHash;
    this.holdTimeoutMs = holdTimeoutMs;
    this.clock = clock;
    database.migrate("issuer-account");
  }

  /** Whether {@code token} is in the account-token range (and so never a card). */
  public static boolean isToken(Pan token) {
    return token.digits().startsWith(TOKEN_RANGE);
  }

  /**
   * Registers (or updates) an account token for the paying account {@code accountId}; only its keyed
   * hash and masked form are stored.
   *
   * @throws IssuerInputException when {@code token} is outside {@link #TOKEN_RANGE} (nothing stored)
   */
  public CardAccount register(Pan token, YearMonth expiry, long accountId, int dailyCountMax, long dailyAmountMaxMinor) {
    if (!isToken(token)) {
      throw new IssuerInputException("an account token must begin with " + TOKEN_RANGE);
    }
    CardAccount row = new CardAccount(panHash.apply(token), token.masked(), 0, CardState.ACTIVE, expiry, TOKEN_KEY_LABEL,
        accountId, dailyCountMax, dailyAmountMaxMinor);
    synchronized (this) {
      store.putCard(row);
    }
    return row;
  }

  /**
   * Whether {@code request} is the account path's: an 0100, 0200, 0400 or 0420 on an account token,
   * or any 0220 (the card path has no completion advice).
   */
  boolean handles(Iso8583Message request) {
    return switch (request) {
      case AdviceRequest a -> a.mti() == Mti.FINANCIAL_ADVICE || isToken(a.transaction().pan());
      case AuthorisationRequest r -> isToken(r.transaction().pan());
      case FinancialRequest r -> isToken(r.transaction().pan());
      case ReversalRequest r -> isToken(r.transaction().pan());
      default -> false;
    };
  }

  /** Answers a request {@link #handles} took. */
  synchronized CardResponse handle(Iso8583Message request) {
    return switch (request) {
      case AuthorisationRequest r -> hold(r);
      case AdviceRequest a when a.mti() == Mti.FINANCIAL_ADVICE -> capture(a);
      case ReversalRequest r -> release(r);
      // 0200 (posted at once) and 0120 (stand-in) are the card scheme's; an account is held, then completed.
      default -> CardResponse.answering(request, ResponseCode.INVALID_TRANSACTION, null, null);
    };
  }

  // ---- 0100: hold ---------------------------------------------------------------------------------

  private CardResponse hold(AuthorisationRequest r) {
    CardTransaction t = r.transaction();
    String key = keyOf(r.mti(), t);
    String hash = panHash.apply(t.pan());
    Optional<Txn> seen = store.txn(key);
    if (seen.isPresent()) {
      Txn txn = seen.get();
      if (txn.amountMinor() != t.amount().amountMinor() || !txn.panHash().equals(hash)) {
        return CardResponse.answering(r, ResponseCode.DUPLICATE_TRANSMISSION, null, null);
      }
      return CardResponse.answering(r, ResponseCode.byCode(txn.responseCode()).orElseThrow(), txn.approvalCode(), null);
    }
    Optional<CardAccount> token = store.card(hash).filter(c -> TOKEN_KEY_LABEL.equals(c.keyLabel()));
    long payee = payeeOf(t);
    ResponseCode code = token.isEmpty() ? ResponseCode.INVALID_CARD_NUMBER : checks(t, token.get(), payee, key);
    long transferId = 0;
    if (code.approved()) {
      transferId = CardAuthorisationService.id("hold", key);
      TransferResult result = submit(Transfer.pending(transferId, token.get().accountId(), payee,
          t.amount().amountMinor(), holdTimeoutMs));
      if (result == TransferResult.EXCEEDS_CREDITS) {
        code = ResponseCode.INSUFFICIENT_FUNDS;
      } else if (result != TransferResult.OK) {
        // Nothing was held (e.g. the ledger's bound on open holds): a decline, stored like any other.
        LOG.log(System.Logger.Level.WARNING, "ledger refused an account hold [token={0}, result={1}]",
            t.pan().masked(), result);
        code = ResponseCode.DO_NOT_HONOUR;
      }
    }
    String approval = code.approved() ? CardAuthorisationService.approvalCode(key) : null;
    store.putTxn(new Txn(key, KIND, hash, today(), t.amount().amountMinor(), code.approved() ? transferId : 0,
        code.approved() ? HELD : DECLINED, code.code(), approval, null));
    LOG.log(System.Logger.Level.INFO, "account hold [token={0}, stan={1}, code={2}]", t.pan().masked(), t.stan(),
        code.code());
    return CardResponse.answering(r, code, approval, null);
  }

  /** The decline table of the account path, first match wins; APPROVED when every check passes. */
  private ResponseCode checks(CardTransaction t, CardAccount token, long payee, String key) {
    long amount = t.amount().amountMinor();
    Optional<CurrencyUnit> payerCurrency = currencyOf(token.accountId());
    Optional<CurrencyUnit> payeeCurrency = payee > 0 ? currencyOf(payee) : Optional.empty();
    DayTotals day = store.approvedOn(token.panHash(), today());
    if (store.isReversed(key)) {
      return ResponseCode.DO_NOT_HONOUR;
    } else if (t.iccData() != null || t.pinBlock() != null) {
      return ResponseCode.FORMAT_ERROR; // an account has no chip and no PIN
    } else if (token.state() != CardState.ACTIVE) {
      return ResponseCode.RESTRICTED_CARD;
    } else if (YearMonth.now(clock.withZone(ZoneOffset.UTC)).isAfter(token.expiry())) {
      return ResponseCode.EXPIRED_CARD;
    } else if (!t.processingCode().startsWith("00")) {
      return ResponseCode.NOT_PERMITTED_TO_CARDHOLDER;
    } else if (payeeCurrency.isEmpty() || payee == token.accountId()) {
      return ResponseCode.NOT_PERMITTED_TO_TERMINAL; // field 42 names no account the host can credit
    } else if (amount <= 0 || payerCurrency.isEmpty() || !payerCurrency.get().equals(t.amount().currency())
        || !payeeCurrency.get().equals(t.amount().currency())) {
      return ResponseCode.INVALID_AMOUNT;
    } else if (day.count() + 1 > token.dailyCountMax() || day.amountMinor() + amount > token.dailyAmountMaxMinor()) {
      return ResponseCode.EXCEEDS_WITHDRAWAL_LIMIT;
    }
    return ResponseCode.APPROVED;
  }

  /** Field 42 as the payee's account: 15 digits, positive; else 0. */
  private static long payeeOf(CardTransaction t) {
    String id = t.merchantId();
    if (!id.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return 0;
    }
    return Long.parseLong(id);
  }

  private Optional<CurrencyUnit> currencyOf(long accountId) {
    return ledger.balance(accountId).map(AccountBalance::account).map(a -> a.currency());
  }

  // ---- 0220: capture --------------------------------------------------------------------------------

  private CardResponse capture(AdviceRequest a) {
    CardTransaction t = a.transaction();
    String key = keyOf(a.mti(), t);
    Optional<CardResponse> repeat = replayStep(a, key, t);
    if (repeat.isPresent()) {
      return repeat.get();
    }
    OriginalData o = a.original();
    String originalKey = CardAuthorisationService.key(o.mti(), o.acquirerId(), o.stan(), o.transmittedAt().field7());
    ResponseCode code = captureOf(t, originalKey, key);
    return recordStep(a, key, t, originalKey, code);
  }

  private ResponseCode captureOf(CardTransaction t, String originalKey, String key) {
    Optional<Txn> found = store.txn(originalKey).filter(x -> x.kind().equals(KIND));
    if (found.isEmpty() || !found.get().panHash().equals(panHash.apply(t.pan()))
        || found.get().state().equals(DECLINED)) {
      return ResponseCode.UNABLE_TO_LOCATE_RECORD;
    }
    Txn hold = found.get();
    switch (hold.state()) {
      case EXPIRED -> {
        return ResponseCode.HOLD_EXPIRED;
      }
      case CAPTURED, REVERSED -> {
        return ResponseCode.INVALID_TRANSACTION;
      }
      default -> { }
    }
    long amount = t.amount().amountMinor();
    if (amount <= 0 || amount > hold.amountMinor()) {
      return ResponseCode.INVALID_AMOUNT;
    }
    TransferResult result = submit(Transfer.post(CardAuthorisationService.id("capture", key), hold.transferId(), amount));
    return switch (result) {
      case OK -> {
        store.putTxn(hold.withState(CAPTURED));
        yield ResponseCode.APPROVED;
      }
      case PENDING_TRANSFER_EXPIRED -> {
        store.putTxn(hold.withState(EXPIRED));
        yield ResponseCode.HOLD_EXPIRED;
      }
      case PENDING_TRANSFER_ALREADY_POSTED, PENDING_TRANSFER_ALREADY_VOIDED -> ResponseCode.INVALID_TRANSACTION;
      case EXCEEDS_PENDING_TRANSFER_AMOUNT -> ResponseCode.INVALID_AMOUNT;
      default -> throw new IllegalStateException("ledger refused the capture of an account hold: " + result);
    };
  }

  // ---- 0400/0420: release ---------------------------------------------------------------------------

  private CardResponse release(ReversalRequest r) {
    CardTransaction t = r.transaction();
    String key = keyOf(r.mti(), t);
    Optional<CardResponse> repeat = replayStep(r, key, t);
    if (repeat.isPresent()) {
      return repeat.get();
    }
    OriginalData o = r.original();
    String originalKey = CardAuthorisationService.key(o.mti(), o.acquirerId(), o.stan(), o.transmittedAt().field7());
    store.markReversed(originalKey);
    ResponseCode code = releaseOf(t, originalKey);
    return recordStep(r, key, t, originalKey, code);
  }

  private ResponseCode releaseOf(CardTransaction t, String originalKey) {
    Optional<Txn> found = store.txn(originalKey);
    if (found.isEmpty()) {
      // Before (or without) its 0100: remembered above, so the 0100 is declined when it comes. A hold
      // the ledger applied just before the host stopped, its row not yet stored, is voided by its id.
      switch (submit(Transfer.voidPending(CardAuthorisationService.id("void", originalKey),
          CardAuthorisationService.id("hold", originalKey)))) {
        case OK, PENDING_TRANSFER_NOT_FOUND, PENDING_TRANSFER_ALREADY_VOIDED -> {
          return ResponseCode.APPROVED;
        }
        case PENDING_TRANSFER_EXPIRED -> {
          return ResponseCode.HOLD_EXPIRED;
        }
        default -> {
          return ResponseCode.INVALID_TRANSACTION;
        }
      }
    }
    Txn hold = found.get();
    if (!hold.kind().equals(KIND) || !hold.panHash().equals(panHash.apply(t.pan()))) {
      return ResponseCode.UNABLE_TO_LOCATE_RECORD;
    }
    switch (hold.state()) {
      case DECLINED, REVERSED -> {
        return ResponseCode.APPROVED; // nothing is held
      }
      case EXPIRED -> {
        return ResponseCode.HOLD_EXPIRED;
      }
      case CAPTURED -> {
        return ResponseCode.INVALID_TRANSACTION;
      }
      default -> { }
    }
    TransferResult result = submit(Transfer.voidPending(CardAuthorisationService.id("void", originalKey), hold.transferId()));
    return switch (result) {
      case OK, PENDING_TRANSFER_ALREADY_VOIDED -> {
        store.putTxn(hold.withState(REVERSED));
        yield ResponseCode.APPROVED;
      }
      case PENDING_TRANSFER_EXPIRED -> {
        store.putTxn(hold.withState(EXPIRED));
        yield ResponseCode.HOLD_EXPIRED;
      }
      case PENDING_TRANSFER_ALREADY_POSTED -> {
        store.putTxn(hold.withState(CAPTURED));
        yield ResponseCode.INVALID_TRANSACTION;
      }
      default -> throw new IllegalStateException("ledger refused the release of an account hold: " + result);
    };
  }

  // ---- the steps' store -------------------------------------------------------------------------------

  /** A repeat of a stored 0220/0400 step: the stored answer, or 94 when the repeat differs. */
  private Optional<CardResponse> replayStep(Iso8583Message request, String key, CardTransaction t) {
    Optional<String[]> row = query("SELECT pan_hash, amount_minor, response_code FROM issuer_account_step"
        + " WHERE step_key = ?", rs -> new String[] {rs.getString(1), Long.toString(rs.getLong(2)), rs.getString(3)}, key);
    if (row.isEmpty()) {
      return Optional.empty();
    }
    String[] r = row.get();
    if (!r[0].equals(panHash.apply(t.pan())) || Long.parseLong(r[1]) != t.amount().amountMinor()) {
      return Optional.of(CardResponse.answering(request, ResponseCode.DUPLICATE_TRANSMISSION, null, null));
    }
    return Optional.of(CardResponse.answering(request, ResponseCode.byCode(r[2]).orElseThrow(), null, null));
  }

  private CardResponse recordStep(Iso8583Message request, String key, CardTransaction t, String originalKey,
      ResponseCode code) {
    update("INSERT INTO issuer_account_step VALUES (?, ?, ?, ?, ?, ?)", key, request.mti().code(),
        panHash.apply(t.pan()), originalKey, t.amount().amountMinor(), code.code());
    LOG.log(System.Logger.Level.INFO, "account {0} [token={1}, stan={2}, code={3}]", request.mti().code(),
        t.pan().masked(), t.stan(), code.code());
    return CardResponse.answering(request, code, null, null);
  }

  @FunctionalInterface
  private interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> Optional<T> query(String sql, Row<T> row, Object... args) {
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("issuer-account store: " + e.getMessage(), e);
    }
  }

  private void update(String sql, Object... args) {
    try {
      database.writing(() -> {
        try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
          for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
          }
          return s.executeUpdate();
        }
      });
    } catch (SQLException e) {
      throw new IllegalStateException("issuer-account store: " + e.getMessage(), e);
    }
  }

  private static String keyOf(Mti mti, CardTransaction t) {
    return CardAuthorisationService.key(mti, t.acquirerId(), t.stan(), t.transmittedAt().field7());
  }

  private TransferResult submit(Transfer transfer) {
    return ledger.submit(List.of(transfer)).orTimeout(LEDGER_WAIT_MS, TimeUnit.MILLISECONDS).join().get(0);
  }

  private String today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
  }
}

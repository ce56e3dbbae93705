package io.iotpay.platform.decision;

import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.AdviceRequest;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Iso8583Limits;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ReversalRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link Authoriser} that asks the issuer's card authorisation host in ISO 8583 over an
 * {@link Iso8583Client} (MACed under the link's zone keys): hold → 0100 on the payer's account token,
 * capture → 0220 completion advice, release → 0400, each naming the 0100 in field 90
 * (docs/authorisation.md). Field 42 carries the payee's account, 15 digits.
 *
 * <p><b>Exactly once.</b> A request's STAN (field 11) and transmission date-time (field 7) are
 * derived from its request id, so a retry with the same idempotency key sends the same keys and the
 * issuer answers it as a repeat, moving nothing twice. Field 7 is therefore not the clock: it is a
 * valid MMDDhhmmss chosen by the id. The issuer's key is (MTI, field 32, field 11, field 7), about 2.9
 * × 10^13 values, so two request ids meet on one key with probability about n²/5.8 × 10^13 for n
 * requests (the issuer then answers 94, ALREADY_DONE_DIFFERENTLY, when their amount or token differ).
 *
 * <p>Answers: 00 → APPROVED; 51 → INSUFFICIENT_FUNDS; 14 (no such token) → UNKNOWN_ACCOUNT; A1 →
 * HOLD_EXPIRED; 25 → UNKNOWN_HOLD; 12 → HOLD_CLOSED; 94 → ALREADY_DONE_DIFFERENTLY; 91, 96, a MAC
 * refusal, no answer or a lost link → {@link AuthoriserException} (unknown: call again); any other
 * code → REFUSED with its meaning. Thread-safe when the client is.
 */
public final class Iso8583Authoriser implements Authoriser {
  /** The paying accounts' tokens (the issuer has them registered; it stores only their keyed hash). */
  @FunctionalInterface
  public interface AccountTokens {
    /** The token of {@code accountId}, or empty when the account has none. */
    Optional<Pan> tokenOf(long accountId);
  }

  /** Field 14 of an account token: the issuer checks the token's registered expiry, not this. */
  private static final YearMonth TOKEN_EXPIRY_FIELD = YearMonth.of(2099, 12);
  /** Field 22: credential on file, key-entered (no chip, no stripe). */
  private static final String POS_ENTRY_CREDENTIAL_ON_FILE = "010";
  private static final String PURCHASE = "000000";
  private static final long PAYEE_MAX = 999_999_999_999_999L;

  private final Iso8583Client client;
  private final String acquirerId;
  private final String terminalId;
  private final AccountTokens tokens;
  /** The requests in flight by STAN: a request waits while another holds its STAN (see {@link #send}). */
  private final ConcurrentHashMap<Integer, CompletableFuture<Void>> stanInFlight = new ConcurrentHashMap<>();

  /**
   * @param client the link to the issuer's host; never null
   * @param acquirerId field 32, the platform's institution id, 1..11 digits
   * @param terminalId field 41, the platform node, 8 printable characters
   * @param tokens the paying accounts' tokens; never null
   */
  public Iso8583Authoriser(Iso8583Client client, String acquirerId, String terminalId, AccountTokens tokens) {
    this.client = Objects.requireNonNull(client, "client");
    this.acquirerId = Objects.requireNonNull(acquirerId, "acquirerId");
    this.terminalId = Objects.requireNonNull(terminalId, "terminalId");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
  }

  @Override
  public AuthoriserResult hold(long requestId, long accountId, long payeeAccountId, Money amount, long timeoutMs,
      String reference) {
    return holdAll(List.of(new HoldRequest(requestId, accountId, payeeAccountId, amount, timeoutMs, reference))).get(0);
  }

  /**
   * The 0100s in flight together, {@link #IN_FLIGHT_MAX} at a time (the host takes concurrent 0100s
   * as one ledger batch).
   */
  @Override
  public List<AuthoriserResult> holdAll(List<HoldRequest> holds) {
    List<AuthoriserResult> results = new ArrayList<>(holds.size());
    for (int from = 0; from < holds.size(); from += IN_FLIGHT_MAX) {
      results.addAll(holdWindow(holds.subList(from, Math.min(holds.size(), from + IN_FLIGHT_MAX))));
    }
    return results;
  }

  /** Most 0100s one call has in flight (well inside the link's in-flight bound). */
  static final int IN_FLIGHT_MAX = 512;

  private List<AuthoriserResult> holdWindow(List<HoldRequest> holds) {
    List<CompletableFuture<Outcome>> sent = new ArrayList<>(holds.size());
    List<AuthoriserResult> results = new ArrayList<>(holds.size());
    for (HoldRequest h : holds) {
      Optional<Pan> token = tokens.tokenOf(h.accountId());
      if (token.isEmpty() || h.payeeAccountId() <= 0 || h.payeeAccountId() > PAYEE_MAX) {
        sent.add(null);
        results.add(new AuthoriserResult(AuthoriserResult.Status.UNKNOWN_ACCOUNT, 0,
            token.isEmpty() ? "account " + h.accountId() + " has no token" : "payee account out of field 42"));
        continue;
      }
      results.add(null);
      sent.add(sendAsync(new AuthorisationRequest(transaction(h.requestId(), token.get(), h.payeeAccountId(),
          h.amount()))));
    }
    for (int i = 0; i < holds.size(); i++) {
      if (sent.get(i) != null) {
        results.set(i, resultOf(sent.get(i).join(), holds.get(i).requestId(), "hold " + holds.get(i).requestId()));
      }
    }
    return results;
  }


  /** Needs the hold's account: use {@link #capture(long, HoldRequest, long)}. */
  @Override
  public AuthoriserResult capture(long requestId, long holdId, long amountMinor) {
    throw new UnsupportedOperationException("an ISO 8583 completion names the hold's account token; pass the hold");
  }

  /** Needs the hold's account: use {@link #release(long, HoldRequest)}. */
  @Override
  public AuthoriserResult release(long requestId, long holdId) {
    throw new UnsupportedOperationException("an ISO 8583 reversal names the hold's account token; pass the hold");
  }

  @Override
  public AuthoriserResult capture(long requestId, HoldRequest hold, long amountMinor) {
    Optional<Pan> token = tokens.tokenOf(hold.accountId());
    if (token.isEmpty()) {
      return new AuthoriserResult(AuthoriserResult.Status.UNKNOWN_ACCOUNT, hold.requestId(), "no token");
    }
    CardTransaction t = transaction(requestId, token.get(), hold.payeeAccountId(),
        Money.ofMinor(amountMinor, hold.amount().currency()));
    AdviceRequest completion = AdviceRequest.completion(t, null, originalOf(hold));
    return resultOf(send(completion), hold.requestId(), "capture " + requestId);
  }

  @Override
  public AuthoriserResult release(long requestId, HoldRequest hold) {
    Optional<Pan> token = tokens.tokenOf(hold.accountId());
    if (token.isEmpty()) {
      return new AuthoriserResult(AuthoriserResult.Status.UNKNOWN_ACCOUNT, hold.requestId(), "no token");
    }
    CardTransaction t = transaction(requestId, token.get(), hold.payeeAccountId(), hold.amount());
    ReversalRequest reversal = new ReversalRequest(Mti.REVERSAL_REQUEST, t, ResponseCode.APPROVED, originalOf(hold));
    return resultOf(send(reversal), hold.requestId(), "release " + requestId);
  }

  private Outcome send(Iso8583Message request) {
    return sendAsync(request).join();
  }

  /**
   * Sends {@code request} once no other request with its STAN is in flight. STANs come from request
   * ids, so two requests in flight may draw the same one (in a window of 512 holds, about one window
   * in eight); the client matches answers by STAN and refuses a second request whose key is in
   * flight, which failed the whole batch. The second now goes when the first has its outcome.
   */
  private CompletableFuture<Outcome> sendAsync(Iso8583Message request) {
    int stan = request.matchKey().stan();
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> holder = stanInFlight.putIfAbsent(stan, mine);
    if (holder != null) {
      return holder.thenComposeAsync(done -> sendAsync(request));
    }
    return client.sendAsync(request).whenComplete((outcome, failure) -> {
      stanInFlight.remove(stan, mine);
      mine.complete(null);
    });
  }

  /** Field 90 of a completion or reversal: the hold's 0100, its STAN and field 7 derived as it was sent. */
  private OriginalData originalOf(HoldRequest hold) {
    return new OriginalData(Mti.AUTHORISATION_REQUEST, stanOf(hold.requestId()), transmittedAtOf(hold.requestId()),
        acquirerId, "0");
  }

  private CardTransaction transaction(long requestId, Pan token, long payeeAccountId, Money amount) {
    MonthDayTime at = transmittedAtOf(requestId);
    return new CardTransaction(token, PURCHASE, amount, at, stanOf(requestId), at, TOKEN_EXPIRY_FIELD,
        POS_ENTRY_CREDENTIAL_ON_FILE, null, acquirerId, String.format("%012d", requestId % 1_000_000_000_000L),
        terminalId, String.format("%015d", payeeAccountId), null, null);
  }

  /** Field 11 of a request: 1..999,999 from the id. */
  static int stanOf(long requestId) {
    return (int) (Long.remainderUnsigned(digest(requestId).getLong(0), Iso8583Limits.STAN_MAX)) + 1;
  }

  /** Field 7 of a request: a valid MMDDhhmmss from the id (days 1..28, so every month has it). */
  static MonthDayTime transmittedAtOf(long requestId) {
    long bits = digest(requestId).getLong(8);
    long r = Long.remainderUnsigned(bits, 12L * 28 * 86_400);
    int second = (int) (r % 86_400);
    int day = (int) (r / 86_400 % 28) + 1;
    int month = (int) (r / 86_400 / 28) + 1;
    return new MonthDayTime(MonthDay.of(month, day), LocalTime.ofSecondOfDay(second));
  }

  private static ByteBuffer digest(long requestId) {
    try {
      return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256")
          .digest(("iotpay-iso8583-request|" + requestId).getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  private static AuthoriserResult resultOf(Outcome outcome, long holdId, String what) {
    if (!(outcome instanceof Outcome.Answered answered) || !(answered.response() instanceof CardResponse response)) {
      throw new AuthoriserException("no answer from the issuer to " + what + " (" + outcome + "); send it again", null);
    }
    ResponseCode code = response.responseCode();
    String detail = code.approved() ? "" : code.code() + " " + code.meaning();
    AuthoriserResult.Status status = switch (code) {
      case APPROVED -> AuthoriserResult.Status.APPROVED;
      case INSUFFICIENT_FUNDS -> AuthoriserResult.Status.INSUFFICIENT_FUNDS;
      case INVALID_CARD_NUMBER -> AuthoriserResult.Status.UNKNOWN_ACCOUNT;
      case HOLD_EXPIRED -> AuthoriserResult.Status.HOLD_EXPIRED;
      case UNABLE_TO_LOCATE_RECORD -> AuthoriserResult.Status.UNKNOWN_HOLD;
      case INVALID_TRANSACTION -> AuthoriserResult.Status.HOLD_CLOSED;
      case DUPLICATE_TRANSMISSION -> AuthoriserResult.Status.ALREADY_DONE_DIFFERENTLY;
      case ISSUER_UNAVAILABLE, SYSTEM_MALFUNCTION, MAC_FAILURE ->
          throw new AuthoriserException("the issuer did not decide " + what + ": " + detail, null);
      default -> AuthoriserResult.Status.REFUSED;
    };
    return new AuthoriserResult(status, status == AuthoriserResult.Status.APPROVED ? holdId : 0, detail);
  }
}

package io.iotpay.issuer.authorisation;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerClosedException;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.authorisation.AuthorisationCodec;
import io.iotpay.protocol.authorisation.AuthorisationRequest;
import io.iotpay.protocol.authorisation.AuthorisationResponse;
import io.iotpay.protocol.authorisation.ResultCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's side of authorisations (docs/authorisation.md): takes an encoded
 * {@link AuthorisationRequest}, applies it to the issuer's ledger and answers an encoded
 * {@link AuthorisationResponse}. A hold is a pending transfer payer → payee, a capture posts it, a
 * release voids it; each ledger transfer's id is the request's id.
 *
 * <p><b>Exactly once.</b> The same request again gets the same answer and moves nothing: the answer
 * is remembered by request id (up to {@link AuthorisationHostConfig#answersRememberedMax()}), and
 * behind that the ledger recognises an applied transfer id (same content → OK again). A request id
 * reused with other content is answered {@link ResultCode#ALREADY_DONE_DIFFERENTLY}. After a restart
 * or once its answer is forgotten, a refused request (which moved nothing) is decided afresh.
 *
 * <p><b>Never throws for bad input.</b> Bytes that do not decode get a {@link ResultCode#MALFORMED}
 * answer naming the request id when it can be read (0 otherwise); a ledger that does not answer in
 * time gets {@link ResultCode#ISSUER_UNAVAILABLE}, which the client retries.
 *
 * <p>Thread-safe; requests are applied one at a time, which keeps "same id, same answer" simple.
 */
public final class AuthorisationHost {
  private static final Logger log = LoggerFactory.getLogger(AuthorisationHost.class);

  private final Ledger ledger;
  private final AuthorisationHostConfig config;
  private final Map<Long, Answered> answered;

  /** A request applied or refused for good, and the answer it got. */
  private record Answered(AuthorisationRequest request, AuthorisationResponse response) {}

  /**
   * @param ledger the issuer's ledger, holding the payers' and payees' accounts; never null
   * @param config never null
   */
  public AuthorisationHost(Ledger ledger, AuthorisationHostConfig config) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.config = Objects.requireNonNull(config, "config");
    this.answered = new LinkedHashMap<>(1024, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Answered> eldest) {
        return size() > config.answersRememberedMax();
      }
    };
  }

  /**
   * Answers one encoded request; the link-facing form of {@link #answer(byte[])}.
   *
   * @param request the received bytes; may be null or anything
   * @return the encoded response, at most {@value AuthorisationCodec#RESPONSE_BYTES_MAX} bytes; never null
   */
  public byte[] handle(byte[] request) {
    return AuthorisationCodec.encode(answer(request));
  }

  /**
   * Decodes, applies and answers one request. Never throws for any input.
   *
   * @param request the received bytes; may be null or anything
   * @return the answer; never null
   */
  public synchronized AuthorisationResponse answer(byte[] request) {
    AuthorisationRequest decoded;
    try {
      decoded = AuthorisationCodec.decodeRequest(request);
    } catch (ProtocolException e) {
      long requestId = AuthorisationCodec.peekRequestId(request).orElse(0);
      log.warn("Authorisation request malformed [requestId={}, detail={}]", requestId, e.getMessage());
      return AuthorisationResponse.refused(requestId, ResultCode.MALFORMED, 0, e.getMessage());
    }
    Answered earlier = answered.get(decoded.requestId());
    if (earlier != null) {
      return earlier.request().equals(decoded) ? earlier.response() : reusedId(decoded);
    }
    AuthorisationResponse response = apply(decoded);
    if (!response.result().retryable() && response.result() != ResultCode.ALREADY_DONE_DIFFERENTLY) {
      answered.put(decoded.requestId(), new Answered(decoded, response));
    }
    log.info("Authorisation answered [requestId={}, request={}, result={}, holdId={}]", decoded.requestId(),
        decoded.getClass().getSimpleName(), response.result(), response.holdId());
    return response;
  }

  /**
   * Answers many encoded requests with one ledger batch (one commit) for all those that move money:
   * the answer for each is what {@link #handle} would give had they come one after another. A request
   * id repeated within the batch is answered like a repeat after the first. Never throws for any input.
   *
   * @param requests the received bytes, at most {@value #BATCH_MAX}; each may be null or anything
   * @return the encoded responses, in the same order; never null
   */
  public synchronized List<byte[]> handleAll(List<byte[]> requests) {
    if (requests.size() > BATCH_MAX) {
      throw new IllegalArgumentException("authorisation batch of " + requests.size() + " requests (at most " + BATCH_MAX + ")");
    }
    AuthorisationResponse[] responses = new AuthorisationResponse[requests.size()];
    AuthorisationRequest[] decoded = new AuthorisationRequest[requests.size()];
    Map<Long, Integer> firstIndex = new HashMap<>();
    List<Integer> toApply = new ArrayList<>();
    List<Transfer> transfers = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      try {
        decoded[i] = AuthorisationCodec.decodeRequest(requests.get(i));
      } catch (ProtocolException e) {
        long requestId = AuthorisationCodec.peekRequestId(requests.get(i)).orElse(0);
        log.warn("Authorisation request malformed [requestId={}, detail={}]", requestId, e.getMessage());
        responses[i] = AuthorisationResponse.refused(requestId, ResultCode.MALFORMED, 0, e.getMessage());
        continue;
      }
      AuthorisationRequest request = decoded[i];
      Answered earlier = answered.get(request.requestId());
      if (earlier != null) {
        responses[i] = earlier.request().equals(request) ? earlier.response() : reusedId(request);
        continue;
      }
      Integer first = firstIndex.putIfAbsent(request.requestId(), i);
      if (first != null) {
        continue; // answered below, from the first occurrence
      }
      if (request instanceof AuthorisationRequest.Hold hold) {
        AuthorisationResponse refused = checkAccounts(hold);
        if (refused != null) {
          responses[i] = refused;
          continue;
        }
      }
      toApply.add(i);
      transfers.add(transferOf(request));
    }
    if (!transfers.isEmpty()) {
      List<TransferResult> results;
      try {
        results = ledger.submit(transfers).get(config.ledgerWaitMs(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        results = null;
      } catch (ExecutionException | TimeoutException | LedgerClosedException e) {
        log.warn("Authorisation batch not decided, the ledger did not answer [requests={}, why={}]", transfers.size(), e.toString());
        results = null;
      }
      for (int k = 0; k < toApply.size(); k++) {
        int i = toApply.get(k);
        AuthorisationRequest request = decoded[i];
        long holdId = request instanceof AuthorisationRequest.Hold ? request.requestId() : holdIdOf(request);
        if (results == null) {
          responses[i] = AuthorisationResponse.refused(request.requestId(), ResultCode.ISSUER_UNAVAILABLE, 0, "the ledger did not answer");
          continue;
        }
        ResultCode code = codeOf(results.get(k));
        responses[i] = code == ResultCode.APPROVED
            ? AuthorisationResponse.approved(request.requestId(), holdId)
            : AuthorisationResponse.refused(request.requestId(), code, holdId, "ledger: " + results.get(k));
        if (!responses[i].result().retryable() && responses[i].result() != ResultCode.ALREADY_DONE_DIFFERENTLY) {
          answered.put(request.requestId(), new Answered(request, responses[i]));
        }
      }
    }
    List<byte[]> encoded = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      if (responses[i] == null) {
        int first = firstIndex.get(decoded[i].requestId());
        responses[i] = decoded[first].equals(decoded[i]) ? responses[first] : reusedId(decoded[i]);
      }
      encoded.add(AuthorisationCodec.encode(responses[i]));
    }
    log.info("Authorisation batch answered [requests={}, applied={}]", requests.size(), transfers.size());
    return encoded;
  }

  /** Most requests in one {@link #handleAll} batch. */
  public static final int BATCH_MAX = 10_000;

  private static Transfer transferOf(AuthorisationRequest request) {
    return switch (request) {
      case AuthorisationRequest.Hold hold -> Transfer.pending(hold.requestId(), hold.accountId(), hold.payeeAccountId(),
          hold.amount().amountMinor(), hold.timeoutMs());
      case AuthorisationRequest.Capture capture -> Transfer.post(capture.requestId(), capture.holdId(), capture.amountMinor());
      case AuthorisationRequest.Release release -> Transfer.voidPending(release.requestId(), release.holdId());
    };
  }

  private static long holdIdOf(AuthorisationRequest request) {
    return switch (request) {
      case AuthorisationRequest.Hold hold -> hold.requestId();
      case AuthorisationRequest.Capture capture -> capture.holdId();
      case AuthorisationRequest.Release release -> release.holdId();
    };
  }

  private static AuthorisationResponse reusedId(AuthorisationRequest request) {
    log.warn("Authorisation request id reused with other content [requestId={}]", request.requestId());
    return AuthorisationResponse.refused(request.requestId(), ResultCode.ALREADY_DONE_DIFFERENTLY, 0,
        "request id " + request.requestId() + " was used by a request with other content");
  }

  private AuthorisationResponse apply(AuthorisationRequest request) {
    return switch (request) {
      case AuthorisationRequest.Hold hold -> hold(hold);
      case AuthorisationRequest.Capture capture -> submit(capture.requestId(), capture.holdId(),
          Transfer.post(capture.requestId(), capture.holdId(), capture.amountMinor()));
      case AuthorisationRequest.Release release -> submit(release.requestId(), release.holdId(),
          Transfer.voidPending(release.requestId(), release.holdId()));
    };
  }

  /** The ledger has no currencies on transfers, so the accounts' currency is checked here. */
  private AuthorisationResponse hold(AuthorisationRequest.Hold hold) {
    AuthorisationResponse refused = checkAccounts(hold);
    if (refused != null) {
      return refused;
    }
    return submit(hold.requestId(), hold.requestId(), Transfer.pending(hold.requestId(), hold.accountId(), hold.payeeAccountId(),
        hold.amount().amountMinor(), hold.timeoutMs()));
  }

  /** Both accounts are held here, in the hold's currency; else the refusal to answer (null when fine). */
  private AuthorisationResponse checkAccounts(AuthorisationRequest.Hold hold) {
    CurrencyUnit currency = hold.amount().currency();
    for (long accountId : new long[] {hold.accountId(), hold.payeeAccountId()}) {
      Optional<CurrencyUnit> held = ledger.balance(accountId).map(AccountBalance::account).map(a -> a.currency());
      if (held.isEmpty()) {
        return AuthorisationResponse.refused(hold.requestId(), ResultCode.UNKNOWN_ACCOUNT, 0, "account " + accountId + " is not held here");
      }
      if (!held.get().equals(currency)) {
        return AuthorisationResponse.refused(hold.requestId(), ResultCode.REFUSED, 0,
            "account " + accountId + " holds " + held.get() + ", the hold is in " + currency);
      }
    }
    return null;
  }

  private AuthorisationResponse submit(long requestId, long holdId, Transfer transfer) {
    TransferResult result;
    try {
      result = ledger.submit(List.of(transfer)).get(config.ledgerWaitMs(), TimeUnit.MILLISECONDS).get(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unavailable(requestId, "interrupted");
    } catch (ExecutionException | TimeoutException | LedgerClosedException e) {
      return unavailable(requestId, e.toString());
    }
    ResultCode code = codeOf(result);
    return code == ResultCode.APPROVED
        ? AuthorisationResponse.approved(requestId, holdId)
        : AuthorisationResponse.refused(requestId, code, holdId, "ledger: " + result);
  }

  private static AuthorisationResponse unavailable(long requestId, String why) {
    log.warn("Authorisation not decided, the ledger did not answer [requestId={}, why={}]", requestId, why);
    return AuthorisationResponse.refused(requestId, ResultCode.ISSUER_UNAVAILABLE, 0, "the ledger did not answer: " + why);
  }

  /** The ledger's refusals as the protocol's answers: a data table, one row per group. */
  static ResultCode codeOf(TransferResult result) {
    return switch (result) {
      case OK -> ResultCode.APPROVED;
      case EXCEEDS_CREDITS -> ResultCode.INSUFFICIENT_FUNDS;
      case DEBIT_ACCOUNT_NOT_FOUND, CREDIT_ACCOUNT_NOT_FOUND -> ResultCode.UNKNOWN_ACCOUNT;
      case PENDING_TRANSFER_EXPIRED -> ResultCode.HOLD_EXPIRED;
      case PENDING_TRANSFER_NOT_FOUND, PENDING_TRANSFER_NOT_PENDING -> ResultCode.UNKNOWN_HOLD;
      case PENDING_TRANSFER_ALREADY_POSTED, PENDING_TRANSFER_ALREADY_VOIDED -> ResultCode.HOLD_CLOSED;
      case EXISTS_WITH_DIFFERENT_KIND, EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID, EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID,
          EXISTS_WITH_DIFFERENT_AMOUNT, EXISTS_WITH_DIFFERENT_PENDING_ID, EXISTS_WITH_DIFFERENT_TIMEOUT,
          PENDING_ID_MUST_DIFFER_FROM_ID -> ResultCode.ALREADY_DONE_DIFFERENTLY;
      case LINKED_EVENT_FAILED, LINKED_EVENT_CHAIN_OPEN, ID_MUST_BE_POSITIVE, AMOUNT_MUST_BE_POSITIVE, ACCOUNTS_MUST_BE_DIFFERENT,
          ACCOUNTS_MUST_HAVE_SAME_BOOK, ACCOUNTS_MUST_HAVE_SAME_CURRENCY, PENDING_ID_MUST_BE_ZERO, PENDING_ID_MUST_BE_POSITIVE,
          TIMEOUT_RESERVED_FOR_PENDING_TRANSFER, TIMEOUT_OUT_OF_RANGE, PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID,
          PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID, PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT, EXCEEDS_PENDING_TRANSFER_AMOUNT,
          OVERFLOWS_DEBITS, OVERFLOWS_CREDITS, EXCEEDS_DEBITS, HOLDS_OPEN_LIMIT_REACHED -> ResultCode.REFUSED;
    };
  }
}

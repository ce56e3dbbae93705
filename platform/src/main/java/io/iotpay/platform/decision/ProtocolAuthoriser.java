package io.iotpay.platform.decision;

import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.authorisation.AuthorisationCodec;
import io.iotpay.protocol.authorisation.AuthorisationRequest;
import io.iotpay.protocol.authorisation.AuthorisationResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An {@link Authoriser} that speaks to the issuer in authorisation messages (docs/authorisation.md)
 * over an {@link IssuerLink}: encodes each request, exchanges it and decodes the answer. Stateless
 * and thread-safe when the link is.
 */
public final class ProtocolAuthoriser implements Authoriser {
  private final IssuerLink link;

  /** @param link never null */
  public ProtocolAuthoriser(IssuerLink link) {
    this.link = Objects.requireNonNull(link, "link");
  }

  /** @throws ProtocolException (a programming error) when an argument is outside the message's bounds */
  @Override
  public AuthoriserResult hold(long requestId, long accountId, long payeeAccountId, Money amount, long timeoutMs, String reference) {
    return exchange(new AuthorisationRequest.Hold(requestId, accountId, payeeAccountId, amount, timeoutMs, reference));
  }

  /** @throws ProtocolException (a programming error) when an argument is outside the message's bounds */
  @Override
  public AuthoriserResult capture(long requestId, long holdId, long amountMinor) {
    return exchange(new AuthorisationRequest.Capture(requestId, holdId, amountMinor));
  }

  /** @throws ProtocolException (a programming error) when an argument is outside the message's bounds */
  @Override
  public AuthoriserResult release(long requestId, long holdId) {
    return exchange(new AuthorisationRequest.Release(requestId, holdId));
  }

  /** All holds in one exchange of the link, so the issuer can apply them in one ledger commit. */
  @Override
  public List<AuthoriserResult> holdAll(List<HoldRequest> holds) {
    List<AuthorisationRequest> requests = new ArrayList<>(holds.size());
    List<byte[]> encoded = new ArrayList<>(holds.size());
    for (HoldRequest h : holds) {
      AuthorisationRequest request = new AuthorisationRequest.Hold(h.requestId(), h.accountId(), h.payeeAccountId(), h.amount(),
          h.timeoutMs(), h.reference());
      requests.add(request);
      encoded.add(AuthorisationCodec.encode(request));
    }
    List<byte[]> answers;
    try {
      answers = link.exchangeAll(encoded);
    } catch (IOException e) {
      throw new AuthoriserException("no answer from the issuer to a batch of " + holds.size() + " holds; send it again", e);
    }
    if (answers.size() != requests.size()) {
      throw new AuthoriserException("the issuer answered " + answers.size() + " of a batch of " + requests.size() + " holds", null);
    }
    List<AuthoriserResult> results = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      results.add(decode(requests.get(i), answers.get(i)));
    }
    return results;
  }

  private AuthoriserResult exchange(AuthorisationRequest request) {
    String what = request.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " request " + request.requestId();
    byte[] answer;
    try {
      answer = link.exchange(AuthorisationCodec.encode(request));
    } catch (IOException e) {
      throw new AuthoriserException("no answer from the issuer to " + what + "; send it again", e);
    }
    return decode(request, answer);
  }

  private static AuthoriserResult decode(AuthorisationRequest request, byte[] answer) {
    String what = request.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " request " + request.requestId();
    AuthorisationResponse response;
    try {
      response = AuthorisationCodec.decodeResponse(answer);
    } catch (ProtocolException e) {
      throw new AuthoriserException("the issuer's answer to " + what + " is unreadable: " + e.getMessage(), e);
    }
    if (response.requestId() != request.requestId()) {
      throw new AuthoriserException("the issuer answered request " + response.requestId() + " instead of " + what, null);
    }
    return new AuthoriserResult(statusOf(response, what), response.holdId(), response.detail());
  }

  /** The wire's answers as the platform's statuses; the two that decide nothing become an exception. */
  private static AuthoriserResult.Status statusOf(AuthorisationResponse response, String what) {
    return switch (response.result()) {
      case APPROVED -> AuthoriserResult.Status.APPROVED;
      case INSUFFICIENT_FUNDS -> AuthoriserResult.Status.INSUFFICIENT_FUNDS;
      case UNKNOWN_ACCOUNT -> AuthoriserResult.Status.UNKNOWN_ACCOUNT;
      case HOLD_EXPIRED -> AuthoriserResult.Status.HOLD_EXPIRED;
      case UNKNOWN_HOLD -> AuthoriserResult.Status.UNKNOWN_HOLD;
      case HOLD_CLOSED -> AuthoriserResult.Status.HOLD_CLOSED;
      case ALREADY_DONE_DIFFERENTLY -> AuthoriserResult.Status.ALREADY_DONE_DIFFERENTLY;
      case REFUSED -> AuthoriserResult.Status.REFUSED;
      case MALFORMED, ISSUER_UNAVAILABLE -> throw new AuthoriserException("the issuer did not decide " + what + ": "
          + response.result() + " " + response.detail(), null);
    };
  }
}

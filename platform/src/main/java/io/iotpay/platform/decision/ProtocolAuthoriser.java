package io.iotpay.platform.decision;

import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.authorisation.AuthorisationCodec;
import io.iotpay.protocol.authorisation.AuthorisationRequest;
import io.iotpay.protocol.authorisation.AuthorisationResponse;
import java.io.IOException;
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

  private AuthoriserResult exchange(AuthorisationRequest request) {
    String what = request.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " request " + request.requestId();
    byte[] answer;
    try {
      answer = link.exchange(AuthorisationCodec.encode(request));
    } catch (IOException e) {
      throw new AuthoriserException("no answer from the issuer to " + what + "; send it again", e);
    }
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

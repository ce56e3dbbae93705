package io.iotpay.protocol.authorisation;

import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.ProtocolException;

/**
 * What a payment platform asks of a card or account issuer: hold money, then capture it when the
 * goods or service are delivered, or release it otherwise. Encoded by {@link AuthorisationCodec}
 * (docs/authorisation.md).
 *
 * <p>Every request carries a client-chosen {@code requestId} (1..2^63-1), derived by the client from
 * its own idempotency key, so a retried request is recognised and applied once. The issuer uses it
 * as the id of the ledger transfer it makes: a hold's id is its request id.
 */
public sealed interface AuthorisationRequest
    permits AuthorisationRequest.Hold, AuthorisationRequest.Capture, AuthorisationRequest.Release {

  /** Shortest hold: one minute. */
  long TIMEOUT_MS_MIN = 60_000;
  /** Longest hold: 90 days (a long delivery); bounds how long money can be frozen. */
  long TIMEOUT_MS_MAX = 90L * 86_400_000;
  /** Longest reference, UTF-8 bytes: a device id (64) and a counter fit. */
  int REFERENCE_BYTES_MAX = 128;

  /** The client-chosen id of this request, positive. */
  long requestId();

  /**
   * Hold {@code amount} on {@code accountId} for {@code payeeAccountId}.
   *
   * @param requestId positive; becomes the hold's id
   * @param accountId the payer's account, positive
   * @param payeeAccountId the payee's (merchant's settlement) account, positive, not {@code accountId}
   * @param amount positive; its currency must be the accounts' currency
   * @param timeoutMs business time until the issuer releases the hold by itself,
   *     {@value #TIMEOUT_MS_MIN}..{@value #TIMEOUT_MS_MAX}
   * @param reference the client's own reference for statements and logs, 0..{@value #REFERENCE_BYTES_MAX}
   *     UTF-8 bytes without control characters; never null
   */
  record Hold(long requestId, long accountId, long payeeAccountId, Money amount, long timeoutMs, String reference)
      implements AuthorisationRequest {
    /** @throws ProtocolException naming the first field out of its bound */
    public Hold {
      Fields.positive("hold", "requestId", requestId);
      Fields.positive("hold " + requestId, "accountId", accountId);
      Fields.positive("hold " + requestId, "payeeAccountId", payeeAccountId);
      if (accountId == payeeAccountId) {
        throw new ProtocolException("hold " + requestId + ": payer and payee are the same account " + accountId);
      }
      if (amount == null || !amount.isPositive()) {
        throw new ProtocolException("hold " + requestId + ": amount " + amount + " must be positive");
      }
      if (timeoutMs < TIMEOUT_MS_MIN || timeoutMs > TIMEOUT_MS_MAX) {
        throw new ProtocolException("hold " + requestId + ": timeoutMs " + timeoutMs + " is outside "
            + TIMEOUT_MS_MIN + ".." + TIMEOUT_MS_MAX);
      }
      Fields.text("hold " + requestId, "reference", reference, REFERENCE_BYTES_MAX);
    }
  }

  /**
   * Capture {@code amountMinor} of hold {@code holdId} (at most the held amount; the rest is released).
   *
   * @param requestId positive, not {@code holdId}
   * @param holdId the hold's id (its request id), positive
   * @param amountMinor positive, in the hold's currency
   */
  record Capture(long requestId, long holdId, long amountMinor) implements AuthorisationRequest {
    /** @throws ProtocolException naming the first field out of its bound */
    public Capture {
      Fields.positive("capture", "requestId", requestId);
      Fields.positive("capture " + requestId, "holdId", holdId);
      Fields.positive("capture " + requestId, "amountMinor", amountMinor);
      Fields.differ("capture", requestId, holdId);
    }
  }

  /**
   * Release the whole of hold {@code holdId}.
   *
   * @param requestId positive, not {@code holdId}
   * @param holdId the hold's id (its request id), positive
   */
  record Release(long requestId, long holdId) implements AuthorisationRequest {
    /** @throws ProtocolException naming the first field out of its bound */
    public Release {
      Fields.positive("release", "requestId", requestId);
      Fields.positive("release " + requestId, "holdId", holdId);
      Fields.differ("release", requestId, holdId);
    }
  }
}

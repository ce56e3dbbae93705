package io.iotpay.platform.decision;

import io.iotpay.foundation.money.Money;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an approved payment's money is held, captured and released: the issuer of the paying account.
 * {@link ProtocolAuthoriser} sends each step to the issuer as an authorisation message
 * (docs/authorisation.md). (Tests also have a ledger-only implementation that skips the issuer.)
 *
 * <p><b>Request ids.</b> Every call carries a client-chosen id (positive, derived from the payment's
 * idempotency key by {@code TransferIds}). Calling again with the same id and arguments returns the
 * same result and moves no money twice; that is how a call that ended in {@link AuthoriserException}
 * is completed. An id reused with other arguments answers {@link AuthoriserResult.Status#ALREADY_DONE_DIFFERENTLY}.
 *
 * <p>Implementations are thread-safe.
 */
public interface Authoriser {
  /**
   * Holds {@code amount} on the payer's account for the payee until captured, released or
   * {@code timeoutMs} (business time) passed.
   *
   * @param requestId positive; becomes the hold's id
   * @param accountId the payer's account, positive
   * @param payeeAccountId the payee's settlement account, positive, not {@code accountId}
   * @param amount positive, in the accounts' currency
   * @param timeoutMs 60,000..7,776,000,000 (1 minute..90 days)
   * @param reference the payment's reference for statements, at most 128 UTF-8 bytes, no control characters
   * @return APPROVED with the hold's id, or why not; never null
   * @throws AuthoriserException when the outcome is unknown (the issuer did not answer); call again
   */
  AuthoriserResult hold(long requestId, long accountId, long payeeAccountId, Money amount, long timeoutMs, String reference);

  /**
   * Captures {@code amountMinor} of a hold (at most the held amount; the rest is released).
   *
   * @param requestId positive, not {@code holdId}
   * @param holdId the hold's id, positive
   * @param amountMinor positive
   * @return APPROVED, HOLD_EXPIRED when the hold timed out first, or another refusal; never null
   * @throws AuthoriserException when the outcome is unknown; call again
   */
  AuthoriserResult capture(long requestId, long holdId, long amountMinor);

  /**
   * Releases the whole of a hold.
   *
   * @param requestId positive, not {@code holdId}
   * @param holdId the hold's id, positive
   * @return APPROVED, HOLD_EXPIRED when the hold timed out first, or another refusal; never null
   * @throws AuthoriserException when the outcome is unknown; call again
   */
  AuthoriserResult release(long requestId, long holdId);

  /**
   * Captures {@code amountMinor} of the hold {@code hold} describes (its request id is the hold's id,
   * as {@link #hold} approved it). The default is {@link #capture(long, long, long)}; an authoriser
   * whose issuer finds a hold by what it holds (the account and the original request, as ISO 8583's
   * field 2 and field 90 do) overrides it.
   *
   * @throws AuthoriserException when the outcome is unknown; call again
   */
  default AuthoriserResult capture(long requestId, HoldRequest hold, long amountMinor) {
    return capture(requestId, hold.requestId(), amountMinor);
  }

  /**
   * Releases the whole of the hold {@code hold} describes; the default is {@link #release(long, long)}.
   *
   * @throws AuthoriserException when the outcome is unknown; call again
   */
  default AuthoriserResult release(long requestId, HoldRequest hold) {
    return release(requestId, hold.requestId());
  }

  /** One hold of a batch: the arguments of {@link #hold}. */
  record HoldRequest(long requestId, long accountId, long payeeAccountId, Money amount, long timeoutMs, String reference) {}

  /**
   * Holds many payments at once (an issuer may apply them in one ledger commit); each result is what
   * {@link #hold} would have answered. The default holds them one by one.
   *
   * @return the results in the order of {@code holds}; never null
   * @throws AuthoriserException when the outcome of the batch is unknown; call again with the same requests
   */
  default List<AuthoriserResult> holdAll(List<HoldRequest> holds) {
    List<AuthoriserResult> results = new ArrayList<>(holds.size());
    for (HoldRequest h : holds) {
      results.add(hold(h.requestId(), h.accountId(), h.payeeAccountId(), h.amount(), h.timeoutMs(), h.reference()));
    }
    return results;
  }
}

package io.iotpay.platform.decision;

import io.iotpay.foundation.money.Money;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@link Authoriser} that applies each step to a ledger in this process, with no issuer in between:
 * a hold is a pending transfer payer → payee, a capture posts it, a release voids it, each transfer's
 * id the request id (the ledger recognises a retried id). Test code only: production always goes through the issuer
 * ({@link ProtocolAuthoriser}); tests use it to check the decision service against a bare ledger. The
 * accounts' currency is not checked (the ledger's transfers carry none).
 */
public final class LedgerAuthoriser implements Authoriser {
  /** The ledger results the service tells apart; any other refusal is REFUSED naming the result. */
  private static final Map<TransferResult, AuthoriserResult.Status> STATUS_BY_RESULT = Map.of(
      TransferResult.OK, AuthoriserResult.Status.APPROVED,
      TransferResult.EXCEEDS_CREDITS, AuthoriserResult.Status.INSUFFICIENT_FUNDS,
      TransferResult.DEBIT_ACCOUNT_NOT_FOUND, AuthoriserResult.Status.UNKNOWN_ACCOUNT,
      TransferResult.CREDIT_ACCOUNT_NOT_FOUND, AuthoriserResult.Status.UNKNOWN_ACCOUNT,
      TransferResult.PENDING_TRANSFER_EXPIRED, AuthoriserResult.Status.HOLD_EXPIRED,
      TransferResult.PENDING_TRANSFER_NOT_FOUND, AuthoriserResult.Status.UNKNOWN_HOLD,
      TransferResult.PENDING_TRANSFER_ALREADY_POSTED, AuthoriserResult.Status.HOLD_CLOSED,
      TransferResult.PENDING_TRANSFER_ALREADY_VOIDED, AuthoriserResult.Status.HOLD_CLOSED);

  private final Ledger ledger;
  private final long ledgerWaitMs;

  /**
   * @param ledger the book holding the payers' and payees' accounts; never null
   * @param ledgerWaitMs how long a step waits for the ledger to commit before {@link AuthoriserException}, positive
   */
  public LedgerAuthoriser(Ledger ledger, long ledgerWaitMs) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    if (ledgerWaitMs <= 0) {
      throw new IllegalArgumentException("ledgerWaitMs " + ledgerWaitMs + " must be positive");
    }
    this.ledgerWaitMs = ledgerWaitMs;
  }

  @Override
  public AuthoriserResult hold(long requestId, long accountId, long payeeAccountId, Money amount, long timeoutMs, String reference) {
    return submit(Transfer.pending(requestId, accountId, payeeAccountId, amount.amountMinor(), timeoutMs), requestId);
  }

  @Override
  public AuthoriserResult capture(long requestId, long holdId, long amountMinor) {
    return submit(Transfer.post(requestId, holdId, amountMinor), holdId);
  }

  @Override
  public AuthoriserResult release(long requestId, long holdId) {
    return submit(Transfer.voidPending(requestId, holdId), holdId);
  }

  private AuthoriserResult submit(Transfer transfer, long holdId) {
    TransferResult result;
    try {
      result = ledger.submit(List.of(transfer)).get(ledgerWaitMs, TimeUnit.MILLISECONDS).get(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuthoriserException("interrupted waiting for the ledger: transfer " + transfer.id(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AuthoriserException("the ledger did not complete transfer " + transfer.id(), e);
    }
    AuthoriserResult.Status status = result.name().startsWith("EXISTS_WITH_DIFFERENT_")
        ? AuthoriserResult.Status.ALREADY_DONE_DIFFERENTLY
        : STATUS_BY_RESULT.getOrDefault(result, AuthoriserResult.Status.REFUSED);
    return new AuthoriserResult(status, holdId, status == AuthoriserResult.Status.APPROVED ? "" : "ledger: " + result);
  }
}

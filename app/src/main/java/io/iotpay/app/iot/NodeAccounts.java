package io.iotpay.app.iot;

import io.iotpay.foundation.crypto.DigestAlgorithm;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.AccountResult;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.platform.operator.AccountLedger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The node's ledger behind the operator API's accounts: every account in book {@value #BOOK}; a
 * deposit is a transfer from the currency's cash-in account ({@link #cashInAccount}, outside the
 * API's account range, opened on first use and allowed to go negative: the money the bank received)
 * to the account, with an id derived from the account and the deposit id, so a retry is the ledger's
 * idempotent identical transfer and another amount under the same id is refused.
 */
final class NodeAccounts implements AccountLedger {
  /** The book of the node's issuer accounts (as the demo's). */
  static final long BOOK = 1;
  /** Cash-in accounts are this plus the currency's ISO 4217 numeric code. */
  static final long CASH_IN_BASE = 900_000_000_000L;
  private static final long WAIT_SECONDS = 30;

  private final Ledger ledger;

  NodeAccounts(Ledger ledger) {
    this.ledger = ledger;
  }

  /** The cash-in account of {@code currency}. */
  static long cashInAccount(CurrencyUnit currency) {
    return CASH_IN_BASE + currency.numericCode();
  }

  @Override
  public Opening open(long accountId, String currency, boolean customerFunds) {
    AccountFlags flags = customerFunds ? AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS : AccountFlags.NONE;
    AccountResult result = create(new Account(accountId, BOOK, CurrencyUnit.of(currency), flags));
    return result == AccountResult.OK ? Opening.OPENED : Opening.EXISTS_DIFFERENTLY;
  }

  @Override
  public Optional<Balances> balances(long accountId) {
    return ledger.balance(accountId).map(NodeAccounts::balances);
  }

  private static Balances balances(AccountBalance b) {
    return new Balances(b.account().currency().alphaCode(), b.creditsPostedMinor(), b.debitsPostedMinor(), b.debitsPendingMinor(),
        b.creditsPendingMinor(), b.creditsPostedMinor() - b.debitsPostedMinor() - b.debitsPendingMinor());
  }

  @Override
  public Deposit deposit(long accountId, String depositId, long amountMinor) {
    Optional<AccountBalance> account = ledger.balance(accountId);
    if (account.isEmpty()) {
      return Deposit.UNKNOWN_ACCOUNT;
    }
    CurrencyUnit currency = account.get().account().currency();
    long cashIn = cashInAccount(currency);
    if (ledger.balance(cashIn).isEmpty() && create(new Account(cashIn, BOOK, currency, AccountFlags.NONE)) != AccountResult.OK) {
      throw new IllegalStateException("cash-in account " + cashIn + " cannot be opened");
    }
    TransferResult result = await(ledger.submit(List.of(Transfer.single(transferId(accountId, depositId), cashIn, accountId, amountMinor))))
        .get(0);
    return switch (result) {
      case OK -> Deposit.POSTED;
      case EXISTS_WITH_DIFFERENT_AMOUNT, EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID, EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID,
          EXISTS_WITH_DIFFERENT_KIND, EXISTS_WITH_DIFFERENT_PENDING_ID, EXISTS_WITH_DIFFERENT_TIMEOUT -> Deposit.CONFLICT;
      default -> throw new IllegalStateException("deposit " + depositId + " to " + accountId + " refused by the ledger: " + result);
    };
  }

  /** A positive 63-bit id from SHA-256 of the account and deposit id (a collision needs ~2^31 deposits). */
  static long transferId(long accountId, String depositId) {
    byte[] digest = DigestAlgorithm.SHA_256.digest(("iotpay-deposit:" + accountId + ":" + depositId).getBytes(StandardCharsets.UTF_8));
    long id = ByteBuffer.wrap(digest).getLong() & Long.MAX_VALUE;
    return id == 0 ? 1 : id;
  }

  private AccountResult create(Account account) {
    return await(ledger.createAccounts(List.of(account))).get(0);
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
    try {
      return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the ledger wrote", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the ledger did not write", e);
    }
  }
}

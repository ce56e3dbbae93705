package io.iotpay.platform.operator;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.AccountResult;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.platform.decision.PlatformFixture;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The operator API's accounts on the test platform's real ledger (the node wires its own, in the app):
 * accounts in book 1, deposits from the fixture's funding account, one transfer id per deposit id.
 */
final class FixtureAccounts implements AccountLedger {
  private final Ledger ledger;
  private final Map<String, Long> transferIds = new ConcurrentHashMap<>();

  FixtureAccounts(Ledger ledger) {
    this.ledger = ledger;
  }

  @Override
  public Opening open(long accountId, String currency, boolean customerFunds) {
    try {
      AccountResult result = ledger.createAccounts(List.of(new Account(accountId, 1, CurrencyUnit.of(currency),
          customerFunds ? AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS : AccountFlags.NONE))).get(30, TimeUnit.SECONDS).get(0);
      return result == AccountResult.OK ? Opening.OPENED : Opening.EXISTS_DIFFERENTLY;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Optional<Balances> balances(long accountId) {
    return ledger.balance(accountId).map(b -> new Balances(b.account().currency().alphaCode(), b.creditsPostedMinor(),
        b.debitsPostedMinor(), b.debitsPendingMinor(), b.creditsPendingMinor(),
        b.creditsPostedMinor() - b.debitsPostedMinor() - b.debitsPendingMinor()));
  }

  @Override
  public Deposit deposit(long accountId, String depositId, long amountMinor) {
    if (ledger.balance(accountId).isEmpty()) {
      return Deposit.UNKNOWN_ACCOUNT;
    }
    long id = transferIds.computeIfAbsent(accountId + "/" + depositId, key -> 1_000_000L + transferIds.size());
    try {
      TransferResult result = ledger.submit(List.of(Transfer.single(id, PlatformFixture.FUNDING_ACCOUNT, accountId, amountMinor)))
          .get(30, TimeUnit.SECONDS).get(0);
      return result == TransferResult.OK ? Deposit.POSTED : Deposit.CONFLICT;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

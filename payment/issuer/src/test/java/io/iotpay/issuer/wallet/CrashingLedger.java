package io.iotpay.issuer.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.AccountResult;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerMetrics;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The issuer's real ledger, failing a submission as a crash would (before or after applying it):
 * the first {@link #passes} submissions go through, the next one crashes, every later one too.
 */
final class CrashingLedger implements Ledger {
  /** Where the injected crash comes: the transfers never reach the ledger, or they do and the answer is lost. */
  enum Crash {
    BEFORE_THE_LEDGER_APPLIED,
    AFTER_THE_LEDGER_APPLIED
  }

  private final Ledger real;
  volatile Crash crash;
  /** Submissions let through before the crash. */
  volatile int passes;

  CrashingLedger(Ledger real) {
    this.real = real;
  }

  @Override
  public CompletableFuture<List<TransferResult>> submit(List<Transfer> transfers) {
    Crash now = crash;
    if (now == null || passes-- > 0) {
      return real.submit(transfers);
    }
    if (now == Crash.AFTER_THE_LEDGER_APPLIED) {
      real.submit(transfers).orTimeout(30, TimeUnit.SECONDS).join().forEach(r -> assertThat(r).isEqualTo(TransferResult.OK));
    }
    throw new IllegalStateException("crash injected " + now);
  }

  @Override
  public void metrics(LedgerMetrics metrics) {
    real.metrics(metrics);
  }

  @Override
  public CompletableFuture<List<AccountResult>> createAccounts(List<Account> accounts) {
    return real.createAccounts(accounts);
  }

  @Override
  public CompletableFuture<Integer> expireDue() {
    return real.expireDue();
  }

  @Override
  public Optional<AccountBalance> balance(long accountId) {
    return real.balance(accountId);
  }

  @Override
  public Map<Long, AccountBalance> balances() {
    return real.balances();
  }

  @Override
  public void close() {
    // the real ledger is closed by the test's restart
  }
}

package io.iotpay.switching.settlement;

import io.iotpay.foundation.Assert;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountResult;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.PartyId;
import io.iotpay.switching.SwitchConfig;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Posts a day's clearing and settlement to the switch's book (docs/clearing-files.md §7): the fares
 * each issuer owes each operator (due from issuer / due to operator), then each side settled
 * through the settlement account, which ends the day at zero because the positions sum to zero.
 * The receiving participants are the transit operators followed by the online acquirers (their
 * due-to accounts are numbered in that order, so adding acquirers leaves the operators' ids as
 * they were).
 */
public final class SettlementPoster {
  static final long SETTLEMENT_ACCOUNT = 1;
  static final long DUE_FROM_ISSUER_BASE = 1_000;
  static final long DUE_TO_OPERATOR_BASE = 2_000;
  private static final long TRANSFERS_PER_DAY_MAX = 100_000;

  private final SwitchConfig config;
  private final Ledger ledger;
  private final List<PartyId> issuers;
  private final List<PartyId> operators;

  public SettlementPoster(SwitchConfig config, Ledger ledger, List<PartyId> issuers, List<PartyId> operators) {
    this.config = config;
    this.ledger = ledger;
    this.issuers = issuers;
    this.operators = operators;
  }

  public void openAccounts() {
    List<Account> accounts = new ArrayList<>();
    accounts.add(Account.of(config.accountIdBase() + SETTLEMENT_ACCOUNT, config.bookId(), config.currency()));
    for (PartyId issuer : issuers) {
      accounts.add(Account.of(dueFromIssuer(issuer), config.bookId(), config.currency()));
    }
    for (PartyId operator : operators) {
      accounts.add(Account.of(dueToOperator(operator), config.bookId(), config.currency()));
    }
    for (AccountResult result : ledger.createAccounts(accounts).join()) {
      Assert.that(result == AccountResult.OK, "switch account not created [result={}]", result);
    }
  }

  public long settlementAccount() {
    return config.accountIdBase() + SETTLEMENT_ACCOUNT;
  }

  public long dueFromIssuer(PartyId issuer) {
    int index = issuers.indexOf(issuer);
    Assert.that(index >= 0, "not an issuer [party={}]", issuer);
    return config.accountIdBase() + DUE_FROM_ISSUER_BASE + index;
  }

  public long dueToOperator(PartyId operator) {
    int index = operators.indexOf(operator);
    Assert.that(index >= 0, "not an operator [party={}]", operator);
    return config.accountIdBase() + DUE_TO_OPERATOR_BASE + index;
  }

  /**
   * Posts day T; ids are derived from T, so a repeated call after a crash is an idempotent retry.
   * Each gross amount moves from the payer's account to the receiver's, then each side is settled
   * through the settlement account. Transit fares run issuer → operator; an online refund runs
   * acquirer → issuer (the acquirer's account is one of the receivers' accounts, the issuer's one of
   * the payers').
   *
   * @param grossMinor payer → receiver → amount (transit: issuer → operator → fares)
   */
  public void post(LocalDate businessDate, Map<PartyId, Map<PartyId, Long>> grossMinor) {
    List<Transfer> transfers = new ArrayList<>();
    long idBase = Math.addExact(config.transferIdBase(), Math.multiplyExact(businessDate.toEpochDay(), TRANSFERS_PER_DAY_MAX));
    Map<PartyId, Long> receiverTotals = new TreeMap<>(SwitchConfig.PARTY_ORDER);
    for (var payer : grossMinor.entrySet()) {
      long payerTotal = 0;
      for (var receiver : payer.getValue().entrySet()) {
        if (receiver.getValue() > 0) {
          transfers.add(Transfer.single(idBase + transfers.size() + 1, accountOf(payer.getKey()),
              accountOf(receiver.getKey()), receiver.getValue()));
        }
        payerTotal = Math.addExact(payerTotal, receiver.getValue());
        receiverTotals.merge(receiver.getKey(), receiver.getValue(), Math::addExact);
      }
      if (payerTotal > 0) {
        transfers.add(Transfer.single(idBase + transfers.size() + 1, settlementAccount(),
            accountOf(payer.getKey()), payerTotal));
      }
    }
    for (var receiver : receiverTotals.entrySet()) {
      if (receiver.getValue() > 0) {
        transfers.add(Transfer.single(idBase + transfers.size() + 1, accountOf(receiver.getKey()),
            settlementAccount(), receiver.getValue()));
      }
    }
    Assert.that(transfers.size() < TRANSFERS_PER_DAY_MAX, "too many settlement transfers [count={}]", transfers.size());
    submitLinked(transfers);
  }

  /** An issuer's due-from account, else the receiving participant's due-to account. */
  private long accountOf(PartyId party) {
    return issuers.contains(party) ? dueFromIssuer(party) : dueToOperator(party);
  }

  /** One linked chain per ledger batch, so a day's postings land whole (or the batch is retried). */
  private void submitLinked(List<Transfer> transfers) {
    int batchMax = 8_000;
    for (int from = 0; from < transfers.size(); from += batchMax) {
      List<Transfer> batch = new ArrayList<>();
      int to = Math.min(transfers.size(), from + batchMax);
      for (int i = from; i < to; i++) {
        batch.add(i < to - 1 ? transfers.get(i).asLinked() : transfers.get(i));
      }
      List<TransferResult> results = ledger.submit(batch).join();
      for (int i = 0; i < results.size(); i++) {
        Assert.that(results.get(i) == TransferResult.OK, "settlement transfer refused [id={}, result={}]",
            batch.get(i).id(), results.get(i));
      }
    }
  }
}

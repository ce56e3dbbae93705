package io.iotpay.bench.ledger;

import java.util.SplittableRandom;

/**
 * The benchmark's transfers: accounts 1..accountCount of one book; a share of transfers touch the
 * hot account (1) on one side, the rest move money between two other accounts chosen at random.
 */
final class Workload {
  static final long HOT_ACCOUNT_ID = 1;

  private final int accountCount;
  private final int hotSharePercent;
  private final SplittableRandom random;

  Workload(int accountCount, int hotSharePercent, long seed) {
    this.accountCount = accountCount;
    this.hotSharePercent = hotSharePercent;
    this.random = new SplittableRandom(seed);
  }

  /** Picks a transfer's accounts and amount: {@code [debitId, creditId, amountMinor]}. */
  long[] next() {
    long debit;
    long credit;
    if (random.nextInt(100) < hotSharePercent) {
      long other = 2 + random.nextInt(accountCount - 1);
      boolean hotPays = random.nextBoolean();
      debit = hotPays ? HOT_ACCOUNT_ID : other;
      credit = hotPays ? other : HOT_ACCOUNT_ID;
    } else {
      debit = 2 + random.nextInt(accountCount - 1);
      do {
        credit = 2 + random.nextInt(accountCount - 1);
      } while (credit == debit);
    }
    return new long[] {debit, credit, 1 + random.nextInt(1000)};
  }
}

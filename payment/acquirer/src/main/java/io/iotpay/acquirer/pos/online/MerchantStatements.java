package io.iotpay.acquirer.pos.online;

import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.foundation.Assert;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a merchant sees of its day at the acquirer host (read only, over the host's store): the
 * day's figures ({@link #day}) and its transactions line by line ({@link #lines}), read in pages of
 * a bounded number of rows so a day of any size is streamed, never held in memory.
 */
public final class MerchantStatements {
  /** Rows read from the store at a time by {@link #lines}. */
  public static final int PAGE_ROWS = 500;

  private final OnlineHostStore store;
  private final String currency;
  private final int mdrBasisPoints;
  private final int pageRows;

  MerchantStatements(OnlineHostStore store, String currency, int mdrBasisPoints, int pageRows) {
    Assert.that(pageRows > 0, "pageRows must be positive");
    this.store = store;
    this.currency = currency;
    this.mdrBasisPoints = mdrBasisPoints;
    this.pageRows = pageRows;
  }

  /** The merchant's figures for {@code businessDate} (all zero for a day it did not transact). */
  public MerchantDay day(MerchantId merchantId, LocalDate businessDate) {
    Assert.notNull(merchantId, "merchantId");
    Assert.notNull(businessDate, "businessDate");
    String day = businessDate.toString();
    long purchases = 0;
    long purchasesMinor = 0;
    long refunds = 0;
    long refundsMinor = 0;
    long refundsVoid = 0;
    long reversed = 0;
    long declined = 0;
    long pending = 0;
    for (OnlineHostStore.DayTotal t : store.dayTotals(merchantId.value(), day)) {
      if (t.kind().equals("REFUND")) {
        if (t.originalReversed()) {
          refundsVoid += t.count();
        } else {
          refunds += t.count();
          refundsMinor = Math.addExact(refundsMinor, t.sumMinor());
        }
        continue;
      }
      switch (t.state()) {
        case APPROVED, CAPTURED -> {
          purchases += t.count();
          purchasesMinor = Math.addExact(purchasesMinor, t.sumMinor());
        }
        case REVERSAL_QUEUED, REVERSED -> reversed += t.count();
        case DECLINED -> declined += t.count();
        case SENT -> pending += t.count();
        case REFUND -> throw new AcquirerStoreException("a purchase row in state REFUND", null);
      }
    }
    Optional<OnlineHostStore.PayoutRow> payout = store.payout(day, merchantId.value());
    long mdr = payout.map(OnlineHostStore.PayoutRow::mdrMinor).orElse(AcquirerHost.mdr(purchasesMinor, mdrBasisPoints));
    long net = payout.map(OnlineHostStore.PayoutRow::netMinor).orElse(purchasesMinor - refundsMinor - mdr);
    return new MerchantDay(merchantId, businessDate, currency, store.isClosed(day), purchases, purchasesMinor, refunds,
        refundsMinor, refundsVoid, reversed, declined, pending, mdrBasisPoints, mdr, net, businessDate.plusDays(1),
        payout.map(OnlineHostStore.PayoutRow::posted).orElse(false));
  }

  /**
   * The merchant's transactions of {@code businessDate} as they stand now: how many, and a way to
   * read exactly those (a request stored later is not among them).
   */
  public Lines lines(MerchantId merchantId, LocalDate businessDate) {
    Assert.notNull(merchantId, "merchantId");
    Assert.notNull(businessDate, "businessDate");
    long[] extent = store.dayExtent(merchantId.value(), businessDate.toString());
    return new Lines(merchantId.value(), businessDate.toString(), extent[0], extent[1]);
  }

  /** A day's transactions up to the last one stored when {@link #lines} was called. */
  public final class Lines {
    private final String merchantId;
    private final String businessDate;
    private final long count;
    private final long lastId;

    private Lines(String merchantId, String businessDate, long count, long lastId) {
      this.merchantId = merchantId;
      this.businessDate = businessDate;
      this.count = count;
      this.lastId = lastId;
    }

    /** How many lines {@link #forEach} hands over. */
    public long count() {
      return count;
    }

    /**
     * Hands the lines to {@code sink} one by one, oldest first, reading {@link #PAGE_ROWS} rows at a
     * time. When no state changed meanwhile, their fees add up to {@link MerchantDay#mdrMinor} and
     * their nets to {@link MerchantDay#netMinor}.
     */
    public void forEach(Consumer<StatementLine> sink) {
      Assert.notNull(sink, "sink");
      long after = 0;
      long payableSoFar = 0;
      while (true) {
        List<OnlineHostStore.LineRow> page = store.dayLines(merchantId, businessDate, after, lastId, pageRows);
        for (OnlineHostStore.LineRow line : page) {
          OnlineHostStore.RequestRow r = line.request();
          long fee = 0;
          long net = 0;
          if (r.kind().equals("PURCHASE")) {
            if (payable(r.state())) {
              long before = payableSoFar;
              payableSoFar = Math.addExact(payableSoFar, r.amountMinor());
              fee = AcquirerHost.mdr(payableSoFar, mdrBasisPoints) - AcquirerHost.mdr(before, mdrBasisPoints);
              net = r.amountMinor() - fee;
            }
          } else if (line.originalState() != null && payable(line.originalState())) {
            net = -r.amountMinor();
          }
          sink.accept(new StatementLine(Instant.ofEpochMilli(line.createdAtMs()), r.terminalId(), r.stan(), r.rrn(),
              r.panMasked(), r.kind(), r.state(), r.amountMinor(), r.currency(),
              r.approvalCode() == null ? "" : r.approvalCode(), fee, net));
          after = r.id();
        }
        if (page.size() < pageRows) {
          return;
        }
      }
    }
  }

  private static boolean payable(TransactionState state) {
    return state == TransactionState.APPROVED || state == TransactionState.CAPTURED;
  }
}

package io.iotpay.switching.settlement;

import java.time.LocalDate;

/**
 * The settlement window rule every scheme shares: business day T settles on T+1 or later, once.
 */
public final class SettlementWindow {
  private SettlementWindow() {}

  /**
   * @param alreadySettled whether T was settled before
   * @throws IllegalStateException when {@code today} is not after T, or T was settled already
   */
  public static void requireOpen(LocalDate businessDate, LocalDate today, boolean alreadySettled) {
    if (!today.isAfter(businessDate)) {
      throw new IllegalStateException("day " + businessDate + " can be settled from " + businessDate.plusDays(1)
          + ", today is " + today);
    }
    if (alreadySettled) {
      throw new IllegalStateException("day " + businessDate + " is already settled");
    }
  }
}

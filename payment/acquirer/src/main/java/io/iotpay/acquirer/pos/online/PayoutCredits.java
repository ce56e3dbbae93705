package io.iotpay.acquirer.pos.online;

import java.time.LocalDate;
import java.util.Map;

/**
 * Credits to merchants that another acceptance channel took and the card payout pays with its own
 * (QR push credits, {@code acquirer.pos.qr.QrCreditHost}, docs/qr.md): the payout of a day credits
 * each merchant what the channel credited it, less what it took back after an earlier payout, net of
 * the MDR, in the same transfers as the card net.
 */
public interface PayoutCredits {
  /**
   * A merchant's channel credits for one payout.
   *
   * @param creditedMinor credits not paid out before, each taken by this payout once
   * @param takenBackMinor credits paid out by an earlier payout and taken back since
   */
  record Totals(long creditedMinor, long takenBackMinor) {}

  /**
   * Takes, for the payout of {@code businessDate}, every credit not taken by an earlier payout and
   * every take-back of a credit already paid out: once per day, so a second call for the same day
   * returns the same totals and takes nothing new.
   *
   * @return per merchant id, its totals (merchants with nothing absent)
   */
  Map<String, Totals> takeForPayout(LocalDate businessDate);
}

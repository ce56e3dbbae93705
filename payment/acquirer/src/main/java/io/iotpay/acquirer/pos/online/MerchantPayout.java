package io.iotpay.acquirer.pos.online;

import io.iotpay.acquirer.pos.merchant.MerchantId;

/**
 * What one merchant is paid for one business day: {@code net = captured + qrCredited − refunded −
 * qrTakenBack − mdr}, with {@code mdr = captured × rate / 10,000 + qrCredited × rate / 10,000}, each
 * rounded half up (per merchant per day).
 *
 * @param merchantId the merchant
 * @param accountId its payable account in the acquirer's ledger
 * @param capturedMinor the day's captures presented
 * @param refundedMinor the day's refunds presented
 * @param qrCreditedMinor QR push credits this payout took (docs/qr.md)
 * @param qrTakenBackMinor QR push credits paid out earlier and taken back (reversed) since
 * @param mdrMinor the merchant discount kept by the acquirer, cards and push credits
 * @param netMinor credited to the merchant (negative: the merchant owes it, debited)
 */
public record MerchantPayout(MerchantId merchantId, long accountId, long capturedMinor, long refundedMinor,
    long qrCreditedMinor, long qrTakenBackMinor, long mdrMinor, long netMinor) {}

package io.iotpay.acquirer.pos.online;

import io.iotpay.acquirer.pos.merchant.MerchantId;

/**
 * What one merchant is paid for one business day: {@code net = captured − refunded − mdr}, with
 * {@code mdr = captured × rate / 10,000} rounded half up (per merchant per day).
 *
 * @param merchantId the merchant
 * @param accountId its payable account in the acquirer's ledger
 * @param capturedMinor the day's captures presented
 * @param refundedMinor the day's refunds presented
 * @param mdrMinor the merchant discount kept by the acquirer
 * @param netMinor credited to the merchant (negative: the merchant owes it, debited)
 */
public record MerchantPayout(
    MerchantId merchantId, long accountId, long capturedMinor, long refundedMinor, long mdrMinor, long netMinor) {}

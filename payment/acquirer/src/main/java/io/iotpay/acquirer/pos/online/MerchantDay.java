package io.iotpay.acquirer.pos.online;

import io.iotpay.acquirer.pos.merchant.MerchantId;
import java.time.LocalDate;

/**
 * One merchant's business day at the acquirer host, every amount in minor units of {@code currency}.
 * Before day end the fee and net are what day end would compute now; once the payout is stored
 * they are the payout's.
 *
 * @param merchantId the merchant
 * @param businessDate the business day (UTC)
 * @param currency ISO 4217 alpha code of every amount
 * @param closed the day's batch is closed (its approved purchases captured)
 * @param purchasesCount approved purchases, captured or not yet
 * @param purchasesMinor their sum
 * @param refundsCount refunds that will be presented (their purchase is not reversed)
 * @param refundsMinor their sum
 * @param refundsVoidCount refunds of a purchase reversed after the refund: never presented, never paid
 * @param reversedCount purchases reversed or waiting for their reversal to be acknowledged
 * @param declinedCount purchases declined or refused
 * @param pendingCount purchases still waiting for the switch's answer
 * @param mdrBasisPoints the merchant discount rate
 * @param mdrMinor the merchant discount: {@code purchasesMinor × rate / 10,000}, rounded half up
 * @param netMinor {@code purchasesMinor − refundsMinor − mdrMinor} (negative: the merchant owes it)
 * @param payoutDate the day the net is paid (T+1)
 * @param paid the payout is posted in the acquirer's ledger
 */
public record MerchantDay(MerchantId merchantId, LocalDate businessDate, String currency, boolean closed,
    long purchasesCount, long purchasesMinor, long refundsCount, long refundsMinor, long refundsVoidCount,
    long reversedCount, long declinedCount, long pendingCount, int mdrBasisPoints, long mdrMinor, long netMinor,
    LocalDate payoutDate, boolean paid) {}

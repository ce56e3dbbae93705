package io.iotpay.acquirer.pos.online;

import java.time.Instant;

/**
 * One transaction of a merchant's day, as the bookkeeping export shows it. The day's fee is spread
 * over its payable purchases so that the lines add up to the day exactly: a purchase's fee is
 * {@code mdr(purchases up to and including it) − mdr(purchases before it)}.
 *
 * @param receivedAt when the host received the request
 * @param terminalId field 41
 * @param stan field 11
 * @param rrn field 37
 * @param panMasked the card number, masked (never in full)
 * @param type {@code PURCHASE} or {@code REFUND}
 * @param state where it stands ({@link TransactionState} name)
 * @param amountMinor the amount, minor units
 * @param currency ISO 4217 alpha code
 * @param approvalCode field 38, or empty
 * @param feeMinor this line's share of the day's merchant discount
 * @param netMinor what it adds to the payout: amount − fee for a payable purchase, −amount for a
 *     payable refund, 0 otherwise
 */
public record StatementLine(Instant receivedAt, String terminalId, int stan, String rrn, String panMasked, String type,
    TransactionState state, long amountMinor, String currency, String approvalCode, long feeMinor, long netMinor) {}

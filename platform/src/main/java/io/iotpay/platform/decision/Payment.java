package io.iotpay.platform.decision;

import io.iotpay.foundation.money.Money;

/**
 * An approved payment and where it is in its life.
 *
 * @param key never null
 * @param holdTransferId the ledger hold, positive
 * @param debitAccountId the user's account
 * @param creditAccountId the merchant's settlement account
 * @param amount never null
 * @param state never null
 */
public record Payment(IdempotencyKey key, long holdTransferId, long debitAccountId, long creditAccountId, Money amount, PaymentState state) {
  Payment withState(PaymentState value) {
    return new Payment(key, holdTransferId, debitAccountId, creditAccountId, amount, value);
  }
}

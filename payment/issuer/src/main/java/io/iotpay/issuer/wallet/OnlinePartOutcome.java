package io.iotpay.issuer.wallet;

/** The issuer's definitive answer to an online part; the same part always gets the same answer. */
public enum OnlinePartOutcome {
  /**
   * Debited from the online account, or when it could not pay from the linked bank account
   * ({@link OnlinePartSource}), and credited to the merchant.
   */
  COMPLETED,
  /**
   * Neither the online account nor a debitable linked bank account could pay it: the card is told at
   * its next tap (debt or block).
   */
  FAILED,
  /** Not a genuine part (unknown card, signature not the card's, currency or amount wrong): nothing moved. */
  REFUSED
}

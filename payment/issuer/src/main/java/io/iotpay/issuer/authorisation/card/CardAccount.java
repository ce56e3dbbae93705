package io.iotpay.issuer.authorisation.card;

import io.iotpay.foundation.Assert;
import java.time.YearMonth;

/**
 * A card as the authorisation host knows it. The PAN itself is never stored: {@code panHash} is a
 * keyed hash for look-up and {@code panMasked} the form operators see.
 *
 * @param panHash hex HMAC of the PAN under the host's look-up key
 * @param panMasked first six and last four digits
 * @param panSequence the card's PSN (field 23), 0..99
 * @param state ACTIVE or BLOCKED
 * @param expiry last month the card is valid
 * @param keyLabel the custody label of the issuer master key (IMK-AC) the card's keys derive from
 * @param accountId the cardholder's ledger account (debits must not exceed credits: a debit card's
 *     balance, or a credit card's line funded with its limit)
 * @param dailyCountMax approved transactions per business day at most
 * @param dailyAmountMaxMinor approved amount per business day at most, minor units
 */
public record CardAccount(String panHash, String panMasked, int panSequence, CardState state, YearMonth expiry,
    String keyLabel, long accountId, int dailyCountMax, long dailyAmountMaxMinor) {

  /** Whether the host authorises for the card. */
  public enum CardState {
    ACTIVE,
    BLOCKED
  }

  public CardAccount {
    Assert.notNull(panHash, "panHash");
    Assert.notNull(panMasked, "panMasked");
    Assert.that(panSequence >= 0 && panSequence <= 99, "PSN {} is not 0..99", panSequence);
    Assert.notNull(state, "state");
    Assert.notNull(expiry, "expiry");
    Assert.notNull(keyLabel, "keyLabel");
    Assert.that(accountId > 0 && dailyCountMax >= 0 && dailyAmountMaxMinor >= 0, "account and limits");
  }

  /** The same card in another state. */
  public CardAccount withState(CardState newState) {
    return new CardAccount(panHash, panMasked, panSequence, newState, expiry, keyLabel, accountId, dailyCountMax,
        dailyAmountMaxMinor);
  }
}

package io.iotpay.terminal.wallet;

/**
 * The simple rule: pay offline when the balance covers it; otherwise split when the card's rating
 * band is at least {@code ratingMin}, no online part is pending, and the shortfall fits the card's
 * overdraw allowance; otherwise decline. The offline part is the whole balance.
 *
 * @param ratingMin lowest rating band (0..255) that may split
 */
public record RatingSplitPolicy(int ratingMin) implements SplitPolicy {

  @Override
  public Decision decide(long amountMinor, CardState card) {
    if (card.blocked()) {
      return new Decision.Decline("card blocked");
    }
    if (amountMinor <= card.balanceMinor()) {
      return new Decision.Pay(amountMinor, 0);
    }
    long shortfallMinor = amountMinor - card.balanceMinor();
    if (card.rating() < ratingMin) {
      return new Decision.Decline("insufficient balance; rating " + card.rating() + " below " + ratingMin);
    }
    if (card.pending()) {
      return new Decision.Decline("insufficient balance; an online part is already pending");
    }
    if (shortfallMinor > card.allowanceMinor()) {
      return new Decision.Decline("insufficient balance; shortfall above the overdraw allowance");
    }
    return new Decision.Pay(card.balanceMinor(), shortfallMinor);
  }
}

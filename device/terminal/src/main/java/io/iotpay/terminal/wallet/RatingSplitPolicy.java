package io.iotpay.terminal.wallet;

/**
 * The simple rule: pay offline when the balance covers it; otherwise split when the card's rating
 * band is at least {@code ratingMin}, the rating on the card allows this POS's kind of purchase, no
 * online part is pending, and the shortfall fits the card's overdraw allowance; otherwise decline.
 * The offline part is the whole balance.
 *
 * @param ratingMin lowest rating band (0..255) that may split
 * @param kindBit this POS's kind of purchase as a bit of the rating's kinds mask (0..7; canteen 0,
 *     bus 1, metro 2, shop 3, vending 4 as docs/credit.md lists them), or {@link #ANY_KIND} for a POS
 *     that does not check kinds
 */
public record RatingSplitPolicy(int ratingMin, int kindBit) implements SplitPolicy {
  /** A POS that splits whatever the rating's kinds. */
  public static final int ANY_KIND = -1;

  public RatingSplitPolicy {
    if (kindBit < ANY_KIND || kindBit > 7) {
      throw new IllegalArgumentException("kind bit " + kindBit + " is not 0..7 or ANY_KIND");
    }
  }

  /** A policy that does not check the kind of purchase. */
  public RatingSplitPolicy(int ratingMin) {
    this(ratingMin, ANY_KIND);
  }

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
    if (kindBit != ANY_KIND && (card.splitKinds() & (1 << kindBit)) == 0) {
      return new Decision.Decline("insufficient balance; the rating does not allow splits for this kind of purchase");
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

package io.iotpay.issuer.credit;

import java.util.EnumSet;
import java.util.Set;

/**
 * The merchant's transaction type as the wallet POS reports it. A rating lists the kinds for which
 * the POS may split a purchase the offline balance cannot cover. Each kind has a fixed bit in the
 * one-byte mask written to the card; the bit never changes once published.
 */
public enum PurchaseKind {
  CANTEEN(0),
  BUS(1),
  METRO(2),
  SHOP(3),
  VENDING(4);

  private final int bit;

  PurchaseKind(int bit) {
    this.bit = bit;
  }

  /** The kind's bit in the card's mask (0..7). */
  public int bit() {
    return bit;
  }

  /** The card's one-byte mask of a set of kinds. */
  public static int maskOf(Set<PurchaseKind> kinds) {
    int mask = 0;
    for (PurchaseKind kind : kinds) {
      mask |= 1 << kind.bit;
    }
    return mask;
  }

  /**
   * The kinds of a mask.
   *
   * @throws CreditInputException if the mask is outside 0..255 or sets a bit no kind has
   */
  public static Set<PurchaseKind> ofMask(int mask) {
    if (mask < 0 || mask > 0xFF) {
      throw new CreditInputException("purchase-kind mask " + mask + " is not one byte");
    }
    EnumSet<PurchaseKind> kinds = EnumSet.noneOf(PurchaseKind.class);
    int left = mask;
    for (PurchaseKind kind : values()) {
      if ((mask & (1 << kind.bit)) != 0) {
        kinds.add(kind);
        left &= ~(1 << kind.bit);
      }
    }
    if (left != 0) {
      throw new CreditInputException("purchase-kind mask " + Integer.toHexString(mask) + " sets unknown bits "
          + Integer.toHexString(left));
    }
    return kinds;
  }
}

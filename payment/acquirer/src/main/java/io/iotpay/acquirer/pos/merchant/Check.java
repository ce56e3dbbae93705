package io.iotpay.acquirer.pos.merchant;

/**
 * The automatic checks of a review. A {@link #hard()} check that fails rejects the merchant at
 * once; any other failure or an undecided check leaves the merchant in review for a human.
 */
public enum Check {
  /** Another merchant (in any state but REJECTED) holds the same business licence number. */
  DUPLICATE_LICENCE(true),
  /** The owner's normalised identity number is on the acquirer's sanctions/deny list file. */
  SANCTIONS(true),
  /** The merchant category code is not in the acquirer's served list: no human can change that. */
  MCC_SERVED(true),
  /** The penny test: a zero-amount account verification of the settlement account at its bank. */
  SETTLEMENT_ACCOUNT(false);

  private final boolean hard;

  Check(boolean hard) {
    this.hard = hard;
  }

  /** Whether a FAIL rejects without a human decision. */
  public boolean hard() {
    return hard;
  }
}

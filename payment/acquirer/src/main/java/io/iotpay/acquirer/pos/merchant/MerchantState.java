package io.iotpay.acquirer.pos.merchant;

import java.util.Set;

/**
 * A merchant's state. The allowed transitions are the table in {@link #next()}; everything else is
 * refused with {@link OnboardingException.Reason#ILLEGAL_TRANSITION}.
 */
public enum MerchantState {
  REGISTERED,
  IN_REVIEW,
  ACTIVATED,
  REJECTED,
  SUSPENDED;

  /** The states this one may move to (REJECTED is final). */
  public Set<MerchantState> next() {
    return switch (this) {
      case REGISTERED -> Set.of(IN_REVIEW);
      case IN_REVIEW -> Set.of(ACTIVATED, REJECTED);
      case ACTIVATED -> Set.of(SUSPENDED);
      case SUSPENDED -> Set.of(ACTIVATED);
      case REJECTED -> Set.of();
    };
  }

  public boolean mayMoveTo(MerchantState to) {
    return next().contains(to);
  }
}

package io.iotpay.platform.decision;

import java.util.Objects;

/**
 * What the issuer decided for one hold, capture or release.
 *
 * @param status never null
 * @param holdId the hold concerned: positive when APPROVED, else 0 or the hold's id
 * @param detail why, for the decision's reasons and logs; never null (empty when approved)
 */
public record AuthoriserResult(Status status, long holdId, String detail) {
  /** The issuer's decision. Anything but {@link #APPROVED} moved no money. */
  public enum Status {
    APPROVED,
    /** The payer's account cannot cover the hold. */
    INSUFFICIENT_FUNDS,
    /** The payer's or payee's account is unknown to the issuer. */
    UNKNOWN_ACCOUNT,
    /** The hold timed out before the capture or release; its money is free again. */
    HOLD_EXPIRED,
    /** No hold has this id. */
    UNKNOWN_HOLD,
    /** The hold was already captured or released by another request. */
    HOLD_CLOSED,
    /** The request id was used before with other content. */
    ALREADY_DONE_DIFFERENTLY,
    /** Any other refusal (currency, limits); see the detail. */
    REFUSED
  }

  /** @throws IllegalArgumentException when an approval has no hold id (a broken authoriser) */
  public AuthoriserResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
    if (status == Status.APPROVED && holdId <= 0) {
      throw new IllegalArgumentException("an approval must name its hold, got holdId " + holdId);
    }
  }

  /** Whether the step was applied. */
  public boolean approved() {
    return status == Status.APPROVED;
  }
}

package io.iotpay.issuer.credit;

import io.iotpay.foundation.money.Money;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A cardholder's credit rating for one business date: what the next tap writes onto the card.
 *
 * @param cardholder who
 * @param businessDate the date the facts were scored as of
 * @param scorecardVersion the scorecard that scored it
 * @param score the points total
 * @param band the band of the score
 * @param allowance the offline overdraw allowance, in the wallet's currency, ≥ 0
 * @param splitKinds kinds of purchase the POS may split
 * @param reasons why the score is not higher, worst first, at most {@link ScorecardSettings#REASONS_MAX}
 */
public record Rating(CardholderId cardholder, LocalDate businessDate, int scorecardVersion, int score, RatingBand band,
    Money allowance, Set<PurchaseKind> splitKinds, List<ReasonCode> reasons) {
  public Rating {
    Objects.requireNonNull(cardholder, "cardholder");
    Objects.requireNonNull(businessDate, "businessDate");
    Objects.requireNonNull(band, "band");
    Objects.requireNonNull(allowance, "allowance");
    splitKinds = splitKinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(splitKinds));
    reasons = List.copyOf(reasons);
    if (allowance.isNegative() || reasons.size() > ScorecardSettings.REASONS_MAX) {
      throw new CreditInputException("rating of cardholder " + cardholder.value() + ": negative allowance or more than "
          + ScorecardSettings.REASONS_MAX + " reasons");
    }
  }

  /** The reason codes alone, worst first. */
  public List<String> reasonCodes() {
    return reasons.stream().map(ReasonCode::code).toList();
  }
}

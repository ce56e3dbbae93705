package io.iotpay.issuer.credit;

import io.iotpay.foundation.money.CurrencyUnit;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a rating band allows: the lowest score in the band, the purchase kinds the POS may split,
 * and the offline overdraw allowance per currency.
 *
 * @param band the band
 * @param scoreMin lowest score in the band (the last band must take every score: use Integer.MIN_VALUE)
 * @param splitKinds kinds of purchase the POS may split when the offline balance is short
 * @param allowanceMinor the allowance per currency, minor units ≥ 0; a currency absent here gets 0
 */
public record BandPolicy(RatingBand band, int scoreMin, Set<PurchaseKind> splitKinds,
    Map<CurrencyUnit, Long> allowanceMinor) {
  public BandPolicy {
    Objects.requireNonNull(band, "band");
    splitKinds = splitKinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(splitKinds));
    allowanceMinor = Map.copyOf(allowanceMinor);
    for (Map.Entry<CurrencyUnit, Long> entry : allowanceMinor.entrySet()) {
      if (entry.getValue() < 0) {
        throw new CreditInputException("band " + band + ": negative allowance in " + entry.getKey().alphaCode());
      }
    }
  }

  /** The allowance in a currency, 0 for a currency the policy does not name. */
  public long allowanceMinor(CurrencyUnit currency) {
    return allowanceMinor.getOrDefault(currency, 0L);
  }
}

package io.iotpay.protocol.settlement;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.ProtocolException;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The switch's multilateral net settlement of business day T, run on T+1: what each participant
 * pays or receives. Positions sum to zero, one per participant.
 *
 * @param businessDate the day T settled
 * @param currency the settlement currency
 * @param positions one per participant
 * @param recordsSettled how many transactions the positions cover
 */
public record SettlementReport(LocalDate businessDate, CurrencyUnit currency, List<NetPosition> positions, long recordsSettled) {
  /** @throws ProtocolException when fields are missing, currencies differ, a party repeats or positions do not sum to zero */
  public SettlementReport {
    if (businessDate == null || currency == null || positions == null) {
      throw new ProtocolException("settlement report: business date, currency and positions are required");
    }
    positions = List.copyOf(positions);
    Money sum = Money.zero(currency);
    Set<io.iotpay.protocol.PartyId> seen = new HashSet<>();
    for (NetPosition position : positions) {
      if (!position.net().currency().equals(currency)) {
        throw new ProtocolException("settlement " + businessDate + ": position of " + position.party() + " is in "
            + position.net().currency() + ", not " + currency);
      }
      if (!seen.add(position.party())) {
        throw new ProtocolException("settlement " + businessDate + ": party " + position.party() + " appears twice");
      }
      sum = sum.plus(position.net());
    }
    if (!sum.isZero()) {
      throw new ProtocolException("settlement " + businessDate + ": positions sum to " + sum + ", not zero");
    }
  }
}

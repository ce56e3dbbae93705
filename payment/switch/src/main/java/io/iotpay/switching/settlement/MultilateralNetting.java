package io.iotpay.switching.settlement;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.protocol.settlement.SettlementReport;
import io.iotpay.switching.SwitchConfig;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Multilateral netting of one settlement window (docs/clearing-files.md §7): each payer's gross
 * amounts to each receiver become one net position per participant, and the positions sum to zero.
 * Shared by every scheme: it knows amounts between parties, not what carried them. Stateless.
 */
public final class MultilateralNetting {
  private MultilateralNetting() {}

  /**
   * Nets a window's gross amounts.
   *
   * @param payers every paying participant (listed with a zero position when it owes nothing)
   * @param receivers every receiving participant (likewise)
   * @param grossMinor payer → receiver → amount, minor units
   * @param recordsSettled how many records the window settles (carried into the report)
   * @return the positions in party order, summing to zero
   * @throws ArithmeticException when a position overflows a long
   */
  public static SettlementReport net(LocalDate businessDate, CurrencyUnit currency, List<PartyId> payers,
      List<PartyId> receivers, Map<PartyId, Map<PartyId, Long>> grossMinor, long recordsSettled) {
    Map<PartyId, Long> netMinor = new TreeMap<>(SwitchConfig.PARTY_ORDER);
    payers.forEach(payer -> netMinor.put(payer, 0L));
    receivers.forEach(receiver -> netMinor.put(receiver, 0L));
    for (Map.Entry<PartyId, Map<PartyId, Long>> payer : grossMinor.entrySet()) {
      for (Map.Entry<PartyId, Long> receiver : payer.getValue().entrySet()) {
        netMinor.merge(payer.getKey(), -receiver.getValue(), Math::addExact);
        netMinor.merge(receiver.getKey(), receiver.getValue(), Math::addExact);
      }
    }
    List<NetPosition> positions = new ArrayList<>();
    netMinor.forEach((party, net) -> positions.add(new NetPosition(party, Money.ofMinor(net, currency))));
    return new SettlementReport(businessDate, currency, positions, recordsSettled);
  }
}

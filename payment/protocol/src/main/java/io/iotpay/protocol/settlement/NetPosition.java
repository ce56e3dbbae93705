package io.iotpay.protocol.settlement;

import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;

/**
 * One participant's multilateral net position for a business day: positive = it receives,
 * negative = it pays. The positions of one settlement sum to zero.
 */
public record NetPosition(PartyId party, Money net) {
  public NetPosition {
    if (party == null || net == null) {
      throw new ProtocolException("net position: party and amount are required");
    }
  }
}

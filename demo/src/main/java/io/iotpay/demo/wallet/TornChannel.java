package io.iotpay.demo.wallet;

import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;

/** A tap torn after the card executed the first command with this INS: its answer is lost. */
public final class TornChannel implements CardChannel {
  private final CardChannel inner;
  private final int ins;
  private boolean torn;

  public TornChannel(CardChannel inner, int ins) {
    this.inner = inner;
    this.ins = ins;
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    ResponseApdu response = inner.transmit(command);
    if (!torn && (command.ins() & 0xFF) == ins) {
      torn = true;
      throw new CardGoneException("answer lost: the card left the field");
    }
    return response;
  }
}

package io.iotpay.foundation.card;

import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import javax.smartcardio.CardException;

/**
 * A {@link CardChannel} over {@code javax.smartcardio}: a PC/SC reader, or jCardSim's
 * {@code CardTerminalSimulator}, which implements the same API (so tests drive simulated cards through
 * exactly the code path a real reader uses).
 */
public final class SmartcardioCardChannel implements CardChannel {
  private final javax.smartcardio.CardChannel channel;

  public SmartcardioCardChannel(javax.smartcardio.CardChannel channel) {
    this.channel = channel;
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    try {
      return ResponseApdu.parse(channel.transmit(new javax.smartcardio.CommandAPDU(command.encode())).getBytes());
    } catch (CardException | IllegalStateException e) {
      throw new CardGoneException("card exchange failed: " + e.getMessage(), e);
    }
  }
}

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

  /**
   * Sends one command through the reader.
   *
   * @throws CardGoneException when the exchange broke off: the reader or card failed
   *     ({@code CardException}, {@code IllegalStateException} for a closed channel), or the reader
   *     reported success with fewer than the two status bytes. javax.smartcardio refuses such a
   *     reply with an {@code IllegalArgumentException} from {@code ResponseAPDU}; vpcd gives one
   *     when the card is pulled mid-exchange. A kernel must treat it as a torn exchange, not crash.
   */
  @Override
  public ResponseApdu transmit(CommandApdu command) {
    byte[] reply;
    try {
      reply = channel.transmit(new javax.smartcardio.CommandAPDU(command.encode())).getBytes();
    } catch (CardException | IllegalStateException e) {
      throw new CardGoneException("card exchange failed: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new CardGoneException("card exchange torn: the reader returned no status word", e);
    }
    if (reply.length < 2) {
      throw new CardGoneException("card exchange torn: a response of " + reply.length + " bytes has no status word");
    }
    return ResponseApdu.parse(reply);
  }
}

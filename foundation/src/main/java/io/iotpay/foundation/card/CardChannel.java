package io.iotpay.foundation.card;

import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;

/**
 * The one way a terminal, a phone's wallet or an issuer's relay talks to a card or secure element:
 * command APDU in, response APDU out. Implementations: {@link SmartcardioCardChannel} (a real PC/SC
 * reader through {@code javax.smartcardio}, and jCardSim's simulated terminal behind the same API)
 * and {@link FaultyCardChannel} (loses commands or responses, or pulls the card, for tearing tests).
 */
public interface CardChannel {
  /**
   * Sends one command and returns the card's response.
   *
   * @param command never null
   * @return the response, never null
   * @throws CardGoneException when the card left the field or the command or its response was lost
   */
  ResponseApdu transmit(CommandApdu command);
}

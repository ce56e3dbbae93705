package io.iotpay.phone.transit;

import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.enrolment.ServiceApplication;
import io.iotpay.protocol.script.CardScript;
import io.iotpay.protocol.script.CardScriptResult;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phone's wallet app for the metro service: applies to the card's issuer and relays the
 * issuer's card scripts to the secure element. It is an untrusted relay by design: it holds no key,
 * and everything that changes the card is protected end to end between issuer and card (SCP02
 * C-MACs chained per session, the Push MAC under a Push-ATC key, a monotonic Push ATC), so a
 * tampering relay can only make a script fail.
 */
public final class WalletClient {
  private static final Logger LOG = LoggerFactory.getLogger(WalletClient.class);
  /** Status words after which the relay goes on: success, and "block already held" of STORE DATA. */
  private static final int SW_OK = 0x9000;
  private static final int SW_HELD = 0x6200;

  private final CardChannel secureElement;
  private final Pan pan;
  private final int panSequence;
  private int applications;

  /**
   * @param secureElement the channel to the phone's SE, never null
   * @param pan the card's PAN as the wallet shows it (masked in every log line)
   * @param panSequence the card's PAN sequence number
   */
  public WalletClient(CardChannel secureElement, Pan pan, int panSequence) {
    this.secureElement = secureElement;
    this.pan = pan;
    this.panSequence = panSequence;
  }

  /** The rider's application for the metro service, to send to the issuer. */
  public ServiceApplication applyForMetro() {
    applications++;
    return new ServiceApplication("wallet-" + pan.digits().substring(pan.digits().length() - 4) + "-" + applications,
        pan, panSequence, "METRO");
  }

  /**
   * Sends the script's commands to the SE in order and reports every response; stops after the
   * first that fails (any status but 9000 / 6200) or when the SE goes away (the result then has
   * fewer responses than commands).
   */
  public CardScriptResult relay(CardScript script) {
    List<ResponseApdu> responses = new ArrayList<>();
    for (CommandApdu command : script.commands()) {
      ResponseApdu response;
      try {
        response = secureElement.transmit(command);
      } catch (CardGoneException e) {
        LOG.info("script {} for {} stopped: {}", script.scriptId(), pan, e.getMessage());
        break;
      }
      responses.add(response);
      if (response.sw() != SW_OK && response.sw() != SW_HELD) {
        break;
      }
    }
    return new CardScriptResult(script.scriptId(), responses);
  }
}

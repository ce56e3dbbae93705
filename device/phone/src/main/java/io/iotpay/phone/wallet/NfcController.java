package io.iotpay.phone.wallet;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model of the phone's NFC controller in off-host card emulation (docs/wallet.md, "The phone both
 * ways"): a reader's APDUs reach the secure element only through an AID routing table. A SELECT by
 * name of a routed AID is passed to the SE, and the commands after it go to the application it
 * selected; a SELECT of an AID not in the table is answered {@code 6A82} by the controller and never
 * reaches the SE, so the SE's other applets (the QR token applet, the acquiring SDK's terminal key
 * applet) cannot be reached from the contactless side unless their AID is routed. A route may ask for
 * the screen to be unlocked: while it is locked, that AID is not routed either.
 *
 * <p>What is modelled, not run: the radio. The RF field, anticollision and ISO 14443-4 framing do
 * not exist here; {@link #field()} is a reader coming into the field, and its {@link CardChannel}
 * takes the APDUs as the controller would after ISO-DEP activation. The SE's contactless
 * interface (SWP on a phone) is the {@link CardChannel} given at construction. Not thread-safe: one
 * reader in the field at a time.
 */
public final class NfcController {
  /** Routing entries the controller holds (a real controller's table is a few hundred bytes). */
  public static final int ROUTES_MAX = 16;
  /** The controller's answer to a SELECT of an AID it does not route: file (application) not found. */
  public static final int SW_NOT_ROUTED = 0x6A82;
  /** The controller's answer to any other command while no routed application is selected. */
  public static final int SW_NOTHING_SELECTED = 0x6D00;
  private static final int AID_BYTES_MIN = 5;
  private static final int AID_BYTES_MAX = 16;
  private static final Logger LOG = LoggerFactory.getLogger(NfcController.class);

  /** One routing entry: this AID goes to the secure element, only with the screen unlocked when asked. */
  public record Route(String aidHex, boolean unlockRequired) {}

  private final CardChannel secureElement;
  private final Map<String, Route> routes = new LinkedHashMap<>();
  private boolean screenUnlocked;

  /** @param secureElement the SE's contactless interface; never null */
  public NfcController(CardChannel secureElement) {
    this.secureElement = Assert.notNull(secureElement, "secureElement");
  }

  /**
   * Routes {@code aid} to the secure element (an app that owns an applet registers its AID when the
   * user enables it for contactless payment).
   *
   * @throws IllegalArgumentException when the AID is not 5..16 bytes or the table is full; nothing changes
   */
  public void route(byte[] aid, boolean unlockRequired) {
    Assert.notNull(aid, "aid");
    if (aid.length < AID_BYTES_MIN || aid.length > AID_BYTES_MAX) {
      throw new IllegalArgumentException("an AID is 5..16 bytes, not " + aid.length);
    }
    String key = Hex.encode(aid);
    if (!routes.containsKey(key) && routes.size() >= ROUTES_MAX) {
      throw new IllegalArgumentException("the routing table holds " + ROUTES_MAX + " AIDs");
    }
    routes.put(key, new Route(key, unlockRequired));
    LOG.info("AID routed to the secure element [aid={}, unlockRequired={}]", key, unlockRequired);
  }

  /** Removes {@code aid}'s route (the user disabled the app for contactless payment); absent is fine. */
  public void unroute(byte[] aid) {
    Assert.notNull(aid, "aid");
    if (routes.remove(Hex.encode(aid)) != null) {
      LOG.info("AID route removed [aid={}]", Hex.encode(aid));
    }
  }

  public List<Route> routes() {
    return List.copyOf(routes.values());
  }

  /** The phone's screen lock as the controller's power state sees it. */
  public void screenUnlocked(boolean unlocked) {
    this.screenUnlocked = unlocked;
  }

  /** A reader came into the field: a new session, with no application selected. */
  public CardChannel field() {
    return new Session();
  }

  private boolean routable(byte[] aid) {
    Route route = routes.get(Hex.encode(aid));
    return route != null && (screenUnlocked || !route.unlockRequired());
  }

  /** One reader's session in the field: what it selected through the table. */
  private final class Session implements CardChannel {
    private byte[] selected;

    @Override
    public ResponseApdu transmit(CommandApdu command) {
      if (command.cla() == 0x00 && command.ins() == 0xA4 && command.p1() == 0x04) {
        selected = null;
        if (!routable(command.data())) {
          return new ResponseApdu(new byte[0], SW_NOT_ROUTED);
        }
        ResponseApdu answer = secureElement.transmit(command);
        selected = answer.isOk() ? command.data() : null;
        return answer;
      }
      if (selected == null || !routable(selected)) {
        return new ResponseApdu(new byte[0], SW_NOTHING_SELECTED);
      }
      return secureElement.transmit(command);
    }
  }
}

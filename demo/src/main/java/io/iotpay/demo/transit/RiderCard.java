package io.iotpay.demo.transit;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.card.transit.TransitApplet;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.SmartcardioCardChannel;
import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.issuer.card.IssuedCard;
import io.iotpay.protocol.transit.TransitRecord;
import java.util.Arrays;
import javacard.framework.AID;
import javax.smartcardio.Card;
import javax.smartcardio.CardException;

/**
 * A rider's phone secure element: the real transit applet installed in jCardSim with the issuer's
 * install parameters, reached through {@link SmartcardioCardChannel} like a PC/SC reader. Each
 * {@link #present()} is a new presentation to a reader (the card's transient state is reset, as
 * when a phone leaves one gate's field and enters another's).
 *
 * <p>It also plays the observer the demo needs to check conservation from the cards themselves:
 * quota (9F79), lock (DF63) and the newest log record's ATC, read outside any gate.
 */
final class RiderCard {
  private static final int SW_OK = 0x9000;
  private static final int SW_NO_RECORD = 0x6A83;
  private static final int LOG_SFI = 0x1E;

  private final IssuedCard issued;
  private final byte[] aid;
  private final CardSimulator simulator = new CardSimulator();
  private Card card;

  RiderCard(IssuedCard issued, byte[] aid) {
    this.issued = issued;
    this.aid = aid.clone();
    byte[] install = issued.installParameters();
    simulator.installApplet(new AID(aid, (short) 0, (byte) aid.length), TransitApplet.class, install, (short) 0,
        (byte) install.length);
  }

  IssuedCard issued() {
    return issued;
  }

  /** The card enters a reader's field: a fresh connection (earlier transient state gone). */
  CardChannel present() {
    try {
      if (card != null) {
        card.disconnect(true);
      }
      card = CardTerminalSimulator.terminal(simulator).connect("T=1");
      return new SmartcardioCardChannel(card.getBasicChannel());
    } catch (CardException e) {
      throw new IllegalStateException("simulated card of " + issued.pan() + " did not connect", e);
    }
  }

  /** The quota 9F79 now on the card. */
  long quotaMinor() {
    return amount(0x9F79);
  }

  /** The amount DF63 locked by an open journey, 0 when none. */
  long lockedMinor() {
    return amount(0xDF63);
  }

  /** The card transaction key of the newest record in the card's log, or null when the log is empty. */
  TransitRecord.CardTransactionKey newestLogKey() {
    CardChannel channel = selected();
    ResponseApdu response = channel.transmit(new CommandApdu(0x00, 0xB2, 1, (LOG_SFI << 3) | 4, new byte[0], 256));
    if (response.sw() == SW_NO_RECORD) {
      return null;
    }
    byte[] data = ok(response, "READ RECORD of the log").data();
    int atc = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
    return new TransitRecord.CardTransactionKey(issued.pan(), issued.panSequence(), atc);
  }

  private long amount(int tag) {
    CardChannel channel = selected();
    byte[] data = ok(channel.transmit(new CommandApdu(0x80, 0xCA, tag >> 8, tag & 0xFF, new byte[0], 256)),
        String.format("GET DATA %X", tag)).data();
    // tag (2) ‖ length 06 ‖ n12 value
    return Bcd.decodeAmount(Arrays.copyOfRange(data, 3, 9));
  }

  private CardChannel selected() {
    CardChannel channel = present();
    ok(channel.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, aid, 256)), "SELECT");
    return channel;
  }

  private ResponseApdu ok(ResponseApdu response, String what) {
    if (response.sw() != SW_OK) {
      throw new IllegalStateException(String.format("card %s: %s answered %04X", issued.pan(), what, response.sw()));
    }
    return response;
  }
}

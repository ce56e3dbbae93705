package io.iotpay.bench.wallet;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.SmartcardioCardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import javacard.framework.AID;
import javacard.framework.Applet;
import javax.smartcardio.CardException;

/**
 * One applet in jCardSim behind a {@link CardChannel} (a model of the card's chip; the applet is
 * the real one). {@link #tap()} is the card leaving and coming back: its transient state is lost.
 */
public final class SimulatedCard {
  static {
    // jCardSim's RandomData is a fixed-seed generator unless told to seed from SecureRandom; a real
    // card has a TRNG, and two simulated cards must not draw the same keys or challenges.
    System.setProperty("com.licel.jcardsim.randomdata.secure", "1");
  }

  private final CardSimulator simulator = new CardSimulator();
  private javax.smartcardio.Card card;
  private CardChannel channel;
  /** The application the chip has selected, as the {@link #logicalChannel}s saw it. */
  private byte[] selected;

  public SimulatedCard(byte[] aid, Class<? extends Applet> applet, byte[] installData) {
    install(aid, applet, installData);
    tap();
  }

  /** A chip with no applet yet (a phone's secure element, which holds several: {@link #install}). */
  public SimulatedCard() {
    tap();
  }

  /** Installs one more applet on this chip (install data: AID ‖ no control data ‖ {@code installData}). */
  public void install(byte[] aid, Class<? extends Applet> applet, byte[] installData) {
    byte[] install = new byte[1 + aid.length + 2 + installData.length];
    install[0] = (byte) aid.length;
    System.arraycopy(aid, 0, install, 1, aid.length);
    install[1 + aid.length + 1] = (byte) installData.length;
    System.arraycopy(installData, 0, install, aid.length + 3, installData.length);
    simulator.installApplet(new AID(aid, (short) 0, (byte) aid.length), applet, install, (short) 0,
        (byte) install.length);
  }

  /**
   * A model of an OMAPI logical channel to the applet {@code aid} on this chip, which jCardSim lacks
   * (one basic channel): before a command, the application is selected again when another was
   * selected since (which resets that applet's transient session, as a real SE's second channel
   * would not; the callers never interleave two applets inside one command sequence).
   */
  public CardChannel logicalChannel(byte[] aid) {
    byte[] own = aid.clone();
    return command -> {
      if (command.cla() == 0x00 && command.ins() == 0xA4 && command.p1() == 0x04) {
        ResponseApdu r = channel.transmit(command);
        selected = r.isOk() ? command.data() : null;
        return r;
      }
      if (!java.util.Arrays.equals(selected, own)) {
        ResponseApdu r = channel.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, own, 256));
        if (!r.isOk()) {
          return r;
        }
        selected = own;
      }
      return channel.transmit(command);
    };
  }

  /** The card's channel for this tap. */
  public CardChannel channel() {
    return channel;
  }

  /** The next tap: disconnects (transient state lost) and connects again. */
  public CardChannel tap() {
    try {
      if (card != null) {
        card.disconnect(true);
      }
      selected = null;
      card = CardTerminalSimulator.terminal(simulator).connect("T=1");
      channel = new SmartcardioCardChannel(card.getBasicChannel());
      return channel;
    } catch (CardException e) {
      throw new IllegalStateException("simulated card did not connect", e);
    }
  }

  public byte[] ok(CommandApdu command) {
    ResponseApdu r = channel.transmit(command);
    if (!r.isOk()) {
      throw new IllegalStateException("card answered " + Integer.toHexString(r.sw()) + " to " + command);
    }
    return r.data();
  }
}

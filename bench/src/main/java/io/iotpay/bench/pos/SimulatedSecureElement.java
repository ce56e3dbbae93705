package io.iotpay.bench.pos;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.card.se.SeApplet;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.SmartcardioCardChannel;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.phone.pos.SecureElement;
import javacard.framework.AID;
import java.util.function.UnaryOperator;
import javax.smartcardio.CardException;

/**
 * A phone's secure element as a model: the real {@link SeApplet} in jCardSim behind
 * javax.smartcardio (on a phone, the SE's OMAPI channel). The key pair it makes never leaves it.
 */
public final class SimulatedSecureElement {
  static {
    System.setProperty("com.licel.jcardsim.randomdata.secure", "1"); // real entropy for the simulated chip's keys
  }

  private SimulatedSecureElement() {}

  /** A fresh SE of {@code suite} with nothing in it yet. */
  public static SecureElement create(AlgorithmSuite suite) {
    return create(suite, channel -> channel);
  }

  /** As {@link #create(AlgorithmSuite)}, reached through {@code wrap} of its channel (e.g. to time it). */
  static SecureElement create(AlgorithmSuite suite, UnaryOperator<CardChannel> wrap) {
    CardSimulator simulator = new CardSimulator();
    byte[] aid = SecureElement.AID;
    // Install data: AID length, AID, no control info, one byte of applet data (the suite).
    byte[] parameters = java.nio.ByteBuffer.allocate(aid.length + 4).put((byte) aid.length).put(aid).put((byte) 0)
        .put((byte) 1).put(suite == AlgorithmSuite.INTERNATIONAL ? (byte) 1 : (byte) 2).array();
    simulator.installApplet(new AID(aid, (short) 0, (byte) aid.length), SeApplet.class, parameters, (short) 0,
        (byte) parameters.length);
    try {
      return new SecureElement(wrap.apply(new SmartcardioCardChannel(
          CardTerminalSimulator.terminal(simulator).connect("T=1").getBasicChannel())));
    } catch (CardException e) {
      throw new IllegalStateException("the simulated secure element did not connect", e);
    }
  }
}

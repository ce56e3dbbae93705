package io.iotpay.issuer;

import io.iotpay.issuer.card.IssuedCard;
import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.card.transit.TransitApplet;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.SmartcardioCardChannel;
import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import java.util.Arrays;
import javacard.framework.AID;
import javax.smartcardio.CardException;

/** The real transit applet installed in jCardSim with the issuer's install parameters, reached through javax.smartcardio. */
final class SimCard {
  final CardChannel channel;

  SimCard(IssuedCard issued, byte[] aid) {
    CardSimulator simulator = new CardSimulator();
    byte[] install = issued.installParameters();
    simulator.installApplet(new AID(aid, (short) 0, (byte) aid.length), TransitApplet.class, install, (short) 0,
        (byte) install.length);
    try {
      channel = new SmartcardioCardChannel(CardTerminalSimulator.terminal(simulator).connect("T=1").getBasicChannel());
    } catch (CardException e) {
      throw new IllegalStateException("simulated card did not connect", e);
    }
  }

  ResponseApdu send(CommandApdu command) {
    return channel.transmit(command);
  }

  /** 9F79 read back from the card: SELECT then GET DATA. */
  long quotaMinor(byte[] aid) {
    send(new CommandApdu(0x00, 0xA4, 0x04, 0x00, aid, 256));
    ResponseApdu response = send(new CommandApdu(0x80, 0xCA, 0x9F, 0x79, new byte[0], 256));
    if (response.sw() != 0x9000) {
      throw new IllegalStateException(String.format("GET DATA 9F79 answered %04X", response.sw()));
    }
    return Bcd.decodeAmount(Arrays.copyOfRange(response.data(), 3, 9));
  }
}

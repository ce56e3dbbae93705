package io.iotpay.issuer.gp;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.card.gp.GpWalletApplet;
import io.iotpay.card.gp.SecurityDomainApplet;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.SmartcardioCardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import javacard.framework.AID;
import javacard.framework.Applet;
import javax.smartcardio.CardException;

/**
 * A model of the card's GlobalPlatform runtime (the OPEN), which jCardSim lacks: a card holding
 * the ISD, where an INSTALL [for install] that the selected security domain accepted (9000, after
 * checking its C-MAC and its authority) is carried out with jCardSim's {@code installApplet}. The
 * new applet's control data is the accepting domain's AID, its data the C9 install parameters. The
 * authority decisions are the applets'; this class only instantiates what they approved.
 */
public final class OpenModel implements CardChannel {
  private static final Map<String, Class<? extends Applet>> LOAD_FILES = Map.of(
      HexFormat.of().formatHex(GpCommands.DOMAIN_LOAD_FILE), SecurityDomainApplet.class,
      HexFormat.of().formatHex(GpCommands.WALLET_LOAD_FILE), GpWalletApplet.class);

  private final CardSimulator simulator = new CardSimulator();
  private final CardChannel reader;
  private byte[] selected = new byte[0];

  /** A card whose ISD at {@code isdAid} holds {@code isdData} (role, suite, version, keys, KDD). */
  public OpenModel(byte[] isdAid, byte[] isdData) {
    install(isdAid, SecurityDomainApplet.class, new byte[0], isdData);
    try {
      reader = new SmartcardioCardChannel(CardTerminalSimulator.terminal(simulator).connect("T=1").getBasicChannel());
    } catch (CardException e) {
      throw new IllegalStateException("simulated card did not connect", e);
    }
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    ResponseApdu response = reader.transmit(command);
    if (response.sw() != 0x9000) {
      return response;
    }
    if (command.cla() == 0x00 && command.ins() == 0xA4) {
      selected = command.data();
    } else if ((command.cla() & ~0x04) == 0x80 && command.ins() == 0xE6 && command.p1() == 0x0C) {
      carryOut(command.data());
    }
    return response;
  }

  /** Walks the INSTALL data (the C-MAC after it is ignored) and instantiates the applet. */
  private void carryOut(byte[] data) {
    int p = 0;
    byte[] loadFile = Arrays.copyOfRange(data, p + 1, p + 1 + (data[p] & 0xFF));
    p += 1 + loadFile.length;
    p += 1 + (data[p] & 0xFF);
    byte[] application = Arrays.copyOfRange(data, p + 1, p + 1 + (data[p] & 0xFF));
    p += 1 + application.length;
    p += 1 + (data[p] & 0xFF);
    int parametersEnd = p + 1 + (data[p] & 0xFF);
    if ((data[p + 1] & 0xFF) != GpCommands.TAG_APPLICATION_PARAMETERS) {
      throw new IllegalStateException("install parameters without C9");
    }
    byte[] c9 = Arrays.copyOfRange(data, p + 3, parametersEnd);
    Class<? extends Applet> applet = LOAD_FILES.get(HexFormat.of().formatHex(loadFile));
    if (applet == null) {
      throw new IllegalStateException("no such load file on the card: " + HexFormat.of().formatHex(loadFile));
    }
    install(application, applet, selected, c9);
  }

  /**
   * An applet the chip's maker put on it outside the hierarchy, with no control data (a phone's SE
   * holding other providers' applets beside the wallet; jCardSim's install with no security at all).
   */
  public void preload(byte[] aid, Class<? extends Applet> applet, byte[] data) {
    install(aid, applet, new byte[0], data);
  }

  private void install(byte[] aid, Class<? extends Applet> applet, byte[] control, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(aid.length);
    out.writeBytes(aid);
    out.write(control.length);
    out.writeBytes(control);
    out.write(data.length);
    out.writeBytes(data);
    byte[] bArray = out.toByteArray();
    simulator.installApplet(new AID(aid, (short) 0, (byte) aid.length), applet, bArray, (short) 0,
        (byte) bArray.length);
  }
}

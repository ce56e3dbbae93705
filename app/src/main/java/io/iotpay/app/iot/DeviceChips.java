package io.iotpay.app.iot;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.agent.sdk.ChipDeviceSigner;
import io.iotpay.card.chip.ChipApplet;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javacard.framework.AID;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CommandAPDU;

/**
 * The demo's device chips: the real IoT chip applet (docs/chip-apdus.md) installed in jCardSim —
 * the model of the secure element, since no chip is attached here — and reached through
 * javax.smartcardio as a device reaches its SE. The key is generated on the chip at install.
 */
final class DeviceChips {
  private static final byte[] AID_BYTES = HexFormat.of().parseHex("A0000009990101");

  static {
    // A real chip has a TRNG: the simulated one's RandomData is seeded from SecureRandom.
    if (System.getProperty("com.licel.jcardsim.randomdata.secure") == null) {
      System.setProperty("com.licel.jcardsim.randomdata.secure", "1");
    }
  }

  private DeviceChips() {}

  /** A chip for {@code deviceId} of {@code suite}, installed (key generated) but not personalised. */
  static ChipDeviceSigner install(String deviceId, AlgorithmSuite suite) {
    byte[] id = deviceId.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream parameters = new ByteArrayOutputStream();
    parameters.write(AID_BYTES.length);
    parameters.writeBytes(AID_BYTES);
    parameters.write(0); // no control information
    parameters.write(2 + id.length);
    parameters.write(suite == AlgorithmSuite.INTERNATIONAL ? 0x01 : 0x02);
    parameters.write(id.length);
    parameters.writeBytes(id);
    byte[] install = parameters.toByteArray();
    CardSimulator simulator = new CardSimulator();
    simulator.installApplet(new AID(AID_BYTES, (short) 0, (byte) AID_BYTES.length), ChipApplet.class, install, (short) 0,
        (byte) install.length);
    try {
      CardChannel channel = CardTerminalSimulator.terminal(simulator).connect("T=1").getBasicChannel();
      int sw = channel.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, AID_BYTES)).getSW();
      if (sw != 0x9000) {
        throw new IllegalStateException("chip of " + deviceId + " refused SELECT: " + Integer.toHexString(sw));
      }
      return new ChipDeviceSigner(channel);
    } catch (CardException e) {
      throw new IllegalStateException("chip of " + deviceId + " unreachable", e);
    }
  }
}

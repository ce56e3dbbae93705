package io.iotpay.acquirer.pos.online;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.card.emv.EmvApplet;
import io.iotpay.card.emv.PpseApplet;
import io.iotpay.card.se.SeApplet;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.SmartcardioCardChannel;
import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.phone.pos.SecureElement;
import io.iotpay.protocol.Pan;
import io.iotpay.terminal.pos.PosConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import javacard.framework.AID;
import javacard.framework.Applet;
import javax.smartcardio.CardException;

/**
 * The real applets a phone payment needs, in jCardSim behind javax.smartcardio: the phone's secure
 * element ({@link SeApplet}) and the cardholder's contactless debit card ({@link PpseApplet} and
 * {@link EmvApplet}, personalised as docs/emv-card-apdus.md §2 says, as device/terminal's test
 * fixture PosCard does) whose AC master key derives from {@link OnlineWorld}'s issuer master key,
 * so the real issuer verifies its ARQCs.
 */
final class PhoneParts {
  static final String CDOL1 = "9F02069F03069F1A0295055F2A029A039C019F3704";
  static final String CDOL2 = "8A02" + "910A" + CDOL1;
  static final String PDOL = "9F66049F02069F1A025F2A029A039C019F3704";
  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    System.setProperty("com.licel.jcardsim.randomdata.secure", "1"); // real entropy for the simulated chips
  }

  private PhoneParts() {}

  /** One simulated chip (card or SE), reconnectable as a card leaving and re-entering the field. */
  static final class Chip {
    final CardSimulator simulator = new CardSimulator();
    private javax.smartcardio.Card card;
    private CardChannel channel;

    void install(byte[] aid, Class<? extends Applet> applet, byte[] data) {
      byte[] parameters = concat(new byte[] {(byte) aid.length}, aid, new byte[] {0, (byte) data.length}, data);
      simulator.installApplet(new AID(aid, (short) 0, (byte) aid.length), applet, parameters, (short) 0,
          (byte) parameters.length);
    }

    CardChannel channel() {
      if (channel == null) {
        reconnect();
      }
      return channel;
    }

    void reconnect() {
      try {
        if (card != null) {
          card.disconnect(true);
        }
        card = CardTerminalSimulator.terminal(simulator).connect("T=1");
        channel = new SmartcardioCardChannel(card.getBasicChannel());
      } catch (CardException e) {
        throw new IllegalStateException("simulated chip did not connect", e);
      }
    }
  }

  /** A phone's secure element with nothing in it yet. */
  static SecureElement secureElement(AlgorithmSuite suite) {
    Chip chip = new Chip();
    chip.install(SecureElement.AID, SeApplet.class,
        new byte[] {suite == AlgorithmSuite.INTERNATIONAL ? (byte) 1 : (byte) 2});
    return new SecureElement(chip.channel());
  }

  /** The world's card (PAN, PSN 1, expiring December 2029), its AC key derived from the issuer's IMK. */
  static Chip card(AlgorithmSuite suite, SecretKeyBytes imk, Pan pan) {
    Chip chip = new Chip();
    byte[] aid = Hex.decode(PosConfig.IOTPAY_DEBIT_AID);
    byte[] label = "IOTPAY DEBIT".getBytes(StandardCharsets.US_ASCII);
    byte[] entry = concat(Hex.decode("4F"), new byte[] {(byte) aid.length}, aid, new byte[] {0x50, (byte) label.length},
        label, Hex.decode("870101"));
    chip.install("2PAY.SYS.DDF01".getBytes(StandardCharsets.US_ASCII), PpseApplet.class,
        concat(new byte[] {0x61, (byte) entry.length}, entry));
    ByteArrayOutputStream keys = new ByteArrayOutputStream();
    keys.writeBytes(EmvKeyDerivation.cardMasterKey(suite, imk, pan.digits(), "01").value());
    for (int i = 0; i < 2; i++) { // MK_SMI, MK_SMC: no scripts here, keys of no issuer
      byte[] other = new byte[16];
      RANDOM.nextBytes(other);
      keys.writeBytes(EmvKeyDerivation.cardMasterKey(suite, new SecretKeyBytes(other), pan.digits(), "01").value());
    }
    chip.install(aid, EmvApplet.class, concat(new byte[] {suite == AlgorithmSuite.INTERNATIONAL ? (byte) 1 : (byte) 2},
        keys.toByteArray(), new byte[] {3}, Hex.decode("241234FFFFFFFFFF")));
    CardChannel c = chip.channel();
    byte[] panBytes = Hex.decode(pan.digits().length() % 2 == 0 ? pan.digits() : pan.digits() + "F");
    String track2Digits = pan.digits() + "D2912" + "2010000000000";
    byte[] track2 = Hex.decode(track2Digits.length() % 2 == 0 ? track2Digits : track2Digits + "F");
    byte[] record1 = concat(tlv("57", track2), tlv("5A", panBytes), tlv("5F24", Hex.decode("291231")),
        Hex.decode("5F340101"), tlv("9F07", Hex.decode("FF00")), Hex.decode("5F28020156" + "9F42020156"));
    byte[] record2 = concat(tlv("8C", Hex.decode(CDOL1)), tlv("8D", Hex.decode(CDOL2)),
        tlv("8E", Hex.decode("0000000000000000" + "4203" + "5E03" + "1F00")), tlv("9F0D", Hex.decode("0000000000")),
        tlv("9F0E", Hex.decode("0010000000")), tlv("9F0F", Hex.decode("0000000000")));
    byte[] parameters = concat(tlv("9F38", Hex.decode(PDOL)), tlv("9F14", new byte[] {2}), tlv("9F23", new byte[] {4}),
        tlv("9F54", Bcd.encodeAmount(10_000)), tlv("9F5C", Bcd.encodeAmount(20_000)));
    ok(c.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, aid, 256)), "SELECT");
    ok(c.transmit(new CommandApdu(0x80, 0xE2, 0x00, 0, dgi(0x0101, record1), 0)), "STORE DATA 0101");
    ok(c.transmit(new CommandApdu(0x80, 0xE2, 0x00, 1, dgi(0x0102, record2), 0)), "STORE DATA 0102");
    ok(c.transmit(new CommandApdu(0x80, 0xE2, 0x80, 2, dgi(0x9200, parameters), 0)), "STORE DATA 9200");
    chip.reconnect();
    return chip;
  }

  private static ResponseApdu ok(ResponseApdu r, String what) {
    if (r.sw() != 0x9000) {
      throw new IllegalStateException(what + " returned " + Integer.toHexString(r.sw()));
    }
    return r;
  }

  private static byte[] dgi(int dgi, byte[] value) {
    return concat(new byte[] {(byte) (dgi >> 8), (byte) dgi, (byte) value.length}, value);
  }

  private static byte[] tlv(String tag, byte[] value) {
    byte[] length = value.length > 0x7F ? new byte[] {(byte) 0x81, (byte) value.length} : new byte[] {(byte) value.length};
    return concat(Hex.decode(tag), length, value);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
